import BallastCore
import Testing

/// Leverage kept per instrument after its position closes, as venues keep it per symbol. ETHUSDT here is a flat
/// schedule (maintenance 1 %, cap 50×) marked at 2,000, so 1 ETH at 10× holds IM 2,000 / 10 = 200 USDT and at the cap
/// 2,000 / 50 = 40.
@Suite("Leverage kept after a close")
struct LeverageSettingTests {
    let market: TestMarket
    let context: RiskContext
    let eth: InstrumentID

    init() throws {
        market = try TradeExecutionTests().market()
        context = market.context()
        eth = try require(market.catalog.instrument("ETHUSDT"))
    }

    func trade(_ size: String, leverage: Double? = nil, side: PositionSide = .net) throws -> Trade {
        var trade = try TradeExecutionTests().trade(market, "ETHUSDT", size, at: "2000")
        trade.leverage = leverage
        trade.side = side
        return trade
    }

    /// The cross pool's initial margin in USDT.
    func initialMargin(_ account: Account) throws -> Double {
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        let summary = try MarginSummary(account, context: context, workspace: &workspace)
        let scale = (0..<summary.cross.decimals).reduce(Int128(1)) { product, _ in product * 10 }
        return Double(summary.cross.initial) / Double(scale)
    }

    @Test("a position closed at 10× leaves 10× for the next one, which a trade's own leverage overrides")
    func reopening() throws {
        var account = try market.account(balances: [("USDT", "10000")], positions: [])
        (account, _) = try TradeExecution.apply(try trade("1", leverage: 10), to: account, context: context)
        #expect(try initialMargin(account) == 200)
        (account, _) = try TradeExecution.apply(try trade("-1"), to: account, context: context)
        #expect(account.positions.isEmpty)
        #expect(account.instrumentSettings == [InstrumentSetting(instrument: eth, leverage: 10)])
        #expect(try initialMargin(account) == 0)

        // Reopened without a leverage: 2 ETH at 10× = 400 (at the cap it would be 80); the entry goes with the position.
        let (reopened, _) = try TradeExecution.apply(try trade("2"), to: account, context: context)
        #expect(reopened.position(eth)?.leverage == 10)
        #expect(reopened.instrumentSettings.isEmpty)
        #expect(try initialMargin(reopened) == 400)
        // Reopened short at 20×: 2 × 2,000 / 20 = 200.
        let (relevered, _) = try TradeExecution.apply(try trade("-2", leverage: 20), to: account, context: context)
        #expect(relevered.position(eth)?.leverage == 20)
        #expect(try initialMargin(relevered) == 200)
        // Closed again, the newer choice is the one kept.
        let (closedAgain, _) = try TradeExecution.apply(try trade("2"), to: relevered, context: context)
        #expect(closedAgain.instrumentSettings == [InstrumentSetting(instrument: eth, leverage: 20)])
    }

    @Test("a position at the schedule's cap keeps nothing; a flip keeps the position's leverage")
    func capAndFlip() throws {
        var account = try market.account(balances: [("USDT", "10000")], positions: [])
        (account, _) = try TradeExecution.apply(try trade("1"), to: account, context: context)
        (account, _) = try TradeExecution.apply(try trade("-1"), to: account, context: context)
        #expect(account.instrumentSettings.isEmpty)
        (account, _) = try TradeExecution.apply(try trade("1", leverage: 5), to: account, context: context)
        (account, _) = try TradeExecution.apply(try trade("-3"), to: account, context: context)
        #expect(account.position(eth)?.leverage == 5)
        #expect(account.instrumentSettings.isEmpty)
        // 2 ETH short at 5×: 2 × 2,000 / 5 = 800.
        #expect(try initialMargin(account) == 800)
    }

    @Test("a hedge-mode leg opens at the other leg's leverage; the instrument's leverage is kept once both are closed")
    func hedgeLegs() throws {
        var account = try market.account(balances: [("USDT", "10000")], positions: [])
        (account, _) = try TradeExecution.apply(try trade("1", leverage: 10, side: .long), to: account, context: context)
        // The short leg opens at the long leg's 10×, as venues keep one leverage per symbol: 200 + 200.
        (account, _) = try TradeExecution.apply(try trade("-1", side: .short), to: account, context: context)
        #expect(account.position(eth, side: .short)?.leverage == 10)
        #expect(try initialMargin(account) == 400)
        // A leg given a leverage of its own keeps it (Bybit sets buy and sell leverage apart): long 1 at 10× (200) and
        // short 1 at 4× (500).
        (account, _) = try TradeExecution.apply(try trade("1", side: .short), to: account, context: context)
        (account, _) = try TradeExecution.apply(try trade("-1", leverage: 4, side: .short), to: account, context: context)
        #expect(try initialMargin(account) == 700)
        // Closing one leg keeps nothing while the other is held; the reopened leg takes the held one's leverage.
        (account, _) = try TradeExecution.apply(try trade("-1", side: .long), to: account, context: context)
        #expect(account.instrumentSettings.isEmpty)
        (account, _) = try TradeExecution.apply(try trade("1", side: .long), to: account, context: context)
        #expect(account.position(eth, side: .long)?.leverage == 4)
        // Both closed: the last one's leverage is kept.
        (account, _) = try TradeExecution.apply(try trade("-1", side: .long), to: account, context: context)
        (account, _) = try TradeExecution.apply(try trade("1", side: .short), to: account, context: context)
        #expect(account.instrumentSettings == [InstrumentSetting(instrument: eth, leverage: 4)])
    }

    @Test("the largest order opens at the kept leverage: 1,000 USDT buy 1,000 × 10 / 2,000 = 5 ETH, not 25 at the cap")
    func maxSize() throws {
        var account = try market.account(balances: [("USDT", "1000")], positions: [])
        let flat = try MaxOrderSize.search(account: account, instrument: eth, side: .buy, price: try fixed("2000"), context: context)
        #expect(flat.size == 25_000)
        (account, _) = try TradeExecution.apply(try trade("1", leverage: 10), to: account, context: context)
        (account, _) = try TradeExecution.apply(try trade("-1"), to: account, context: context)
        let kept = try MaxOrderSize.search(account: account, instrument: eth, side: .buy, price: try fixed("2000"), context: context)
        #expect(kept.size == 5_000)
    }
}
