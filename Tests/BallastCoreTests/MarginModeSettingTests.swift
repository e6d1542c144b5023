import BallastCore
import Testing

/// The margin mode kept per instrument, as venues keep the margin type per symbol (Binance's marginType). ETHUSDT: a
/// flat schedule (maintenance 1 %, cap 50×) marked at 2,000, so 1 ETH at 10× holds IM 200 USDT, which an isolated
/// position takes from the cross balance.
@Suite("Margin mode kept per instrument")
struct MarginModeSettingTests {
    /// The same market, account figures and trades as the leverage settings' tests.
    let base: LeverageSettingTests
    var market: TestMarket { base.market }
    var context: RiskContext { base.context }
    var eth: InstrumentID { base.eth }

    init() throws { base = try LeverageSettingTests() }

    func trade(_ size: String, leverage: Double? = nil, isolated: Bool? = nil, side: PositionSide = .net) throws -> Trade {
        var trade = try base.trade(size, leverage: leverage, side: side)
        trade.isolated = isolated
        return trade
    }

    /// USDT in ledger units.
    func usdt(_ amount: Int128) throws -> Int128 {
        let usdt = try require(market.catalog.asset("USDT"))
        return amount * (0..<market.catalog[asset: usdt].decimals).reduce(Int128(1)) { product, _ in product * 10 }
    }

    @Test("a position closed isolated leaves isolated for the next one, which opens isolated unless its trade names cross")
    func reopening() throws {
        let usdtID = try require(market.catalog.asset("USDT"))
        var account = try market.account(balances: [("USDT", "10000")], positions: [])
        (account, _) = try TradeExecution.apply(try trade("1", leverage: 10, isolated: true), to: account, context: context)
        #expect(account.position(eth)?.mode == .isolated(margin: try usdt(200)))
        #expect(account.balance(usdtID) == (try usdt(9_800)))
        (account, _) = try TradeExecution.apply(try trade("-1"), to: account, context: context)
        #expect(account.positions.isEmpty)
        #expect(account.balance(usdtID) == (try usdt(10_000)))
        #expect(account.instrumentSettings == [InstrumentSetting(instrument: eth, leverage: 10, isolated: true)])
        #expect(account.isolatedToOpen(eth))

        // Neither given: isolated at 10×, 2 ETH holding 400 of their own; the cross pool holds no IM.
        let (reopened, effect) = try TradeExecution.apply(try trade("2"), to: account, context: context)
        #expect(reopened.position(eth)?.mode == .isolated(margin: try usdt(400)))
        #expect(effect.isolatedTransfer == (try usdt(400)))
        #expect(try base.initialMargin(reopened) == 0)
        #expect(reopened.instrumentSettings.isEmpty)
        // Cross named: the trade's choice, 400 in the cross pool.
        let (cross, _) = try TradeExecution.apply(try trade("2", isolated: false), to: account, context: context)
        #expect(cross.position(eth)?.mode == .cross)
        #expect(try base.initialMargin(cross) == 400)
    }

    @Test("a trade naming the other mode than the position it goes to is refused; one naming none adds to it")
    func namedMode() throws {
        let held = try market.account(balances: [("USDT", "10000")], positions: [])
        let (cross, _) = try TradeExecution.apply(try trade("1"), to: held, context: context)
        #expect(throws: TradeError.marginMode(instrument: "ETHUSDT",
                                              reason: "is isolated, but the account holds ETHUSDT in cross margin (a position keeps the mode it opened in, and hedge-mode legs share theirs)")) {
            try TradeExecution.apply(try trade("1", isolated: true), to: cross, context: context)
        }
        let (isolated, _) = try TradeExecution.apply(try trade("1", leverage: 10, isolated: true), to: held, context: context)
        #expect(throws: TradeError.marginMode(instrument: "ETHUSDT",
                                              reason: "is cross, but the account holds ETHUSDT in isolated margin (a position keeps the mode it opened in, and hedge-mode legs share theirs)")) {
            try TradeExecution.apply(try trade("-1", isolated: false), to: isolated, context: context)
        }
        let (added, _) = try TradeExecution.apply(try trade("1"), to: isolated, context: context)
        #expect(added.position(eth)?.mode == .isolated(margin: try usdt(400)))
    }

    @Test("the mode is chosen only with no position held; a hedge leg opens in the held leg's mode; a default setting is not kept")
    func choosing() throws {
        var account = try market.account(balances: [("USDT", "10000")], positions: [])
        let chosen = account.setMarginMode(isolated: true, of: eth)
        #expect(chosen)
        #expect(account.instrumentSettings == [InstrumentSetting(instrument: eth, isolated: true)])
        account.setLeverage(5, of: eth)
        #expect(account.instrumentSettings == [InstrumentSetting(instrument: eth, leverage: 5, isolated: true)])
        let crossChosen = account.setMarginMode(isolated: false, of: eth)
        #expect(crossChosen)
        account.setLeverage(nil, of: eth)
        #expect(account.instrumentSettings.isEmpty)

        (account, _) = try TradeExecution.apply(try trade("1", leverage: 10, isolated: true, side: .long), to: account, context: context)
        let before = account
        let heldChosen = account.setMarginMode(isolated: false, of: eth)
        #expect(!heldChosen)
        #expect(account == before)
        (account, _) = try TradeExecution.apply(try trade("-1", side: .short), to: account, context: context)
        #expect(account.position(eth, side: .short)?.mode == .isolated(margin: try usdt(200)))
        // Both closed: isolated at 10× kept.
        (account, _) = try TradeExecution.apply(try trade("-1", side: .long), to: account, context: context)
        #expect(account.instrumentSettings.isEmpty)
        (account, _) = try TradeExecution.apply(try trade("1", side: .short), to: account, context: context)
        #expect(account.instrumentSettings == [InstrumentSetting(instrument: eth, leverage: 10, isolated: true)])
    }

    /// By hand: at the kept 10× a buy of x ETH at 2,000 moves 200·x from the 1,000 USDT into its own margin, so 5 ETH
    /// (at the cap it would be 25); the what-if's position opens isolated with 200.
    @Test("the largest order and a what-if open in the kept mode")
    func searchAndWhatIf() throws {
        var account = try market.account(balances: [("USDT", "1000")], positions: [])
        account.setLeverage(10, of: eth)
        _ = account.setMarginMode(isolated: true, of: eth)
        let kept = try MaxOrderSize.search(account: account, instrument: eth, side: .buy, price: try fixed("2000"), context: context)
        #expect(kept.size == 5_000)
        // At 2,100 against the 2,000 mark the modes part: isolated, the open loss of 100·x stays in the position's pool
        // and 200·x moves in, so still 5 ETH; cross, 200·x ≤ 1,000 − 100·x, so 3.333 ETH (lot 0.001).
        let dear = try fixed("2100")
        #expect(try MaxOrderSize.search(account: account, instrument: eth, side: .buy, price: dear, context: context).size == 5_000)
        var cross = account
        _ = cross.setMarginMode(isolated: false, of: eth)
        #expect(try MaxOrderSize.search(account: cross, instrument: eth, side: .buy, price: dear, context: context).size == 3_333)
        let whatIf = try WhatIf(account: account, trades: [try trade("1")], context: context)
        #expect(whatIf.accountAfter.position(eth)?.mode == .isolated(margin: try usdt(200)))
        #expect(whatIf.after.instrumentSettings.isEmpty && whatIf.before.instrumentSettings == account.instrumentSettings)
    }

    @Test("hedge-mode legs share one mode: a leg naming the other leg's other mode is refused")
    func hedgeLegsShareMode() throws {
        let cash = try market.account(balances: [("USDT", "10000")], positions: [])
        let (long, _) = try TradeExecution.apply(try trade("1", leverage: 10, isolated: true, side: .long), to: cash, context: context)
        #expect(throws: TradeError.marginMode(instrument: "ETHUSDT",
                                              reason: "is cross, but the account holds ETHUSDT long in isolated margin (a position keeps the mode it opened in, and hedge-mode legs share theirs)")) {
            try TradeExecution.apply(try trade("-1", isolated: false, side: .short), to: long, context: context)
        }
        let (both, _) = try TradeExecution.apply(try trade("-1", isolated: true, side: .short), to: long, context: context)
        #expect(both.position(eth, side: .short)?.mode == .isolated(margin: try usdt(200)))
    }

    /// Under ``OpenGainCredit/ignored`` a buy of 1 ETH at 1,900 against the 2,000 mark has an open gain of 100 that the
    /// check does not count in the cross pool; opened isolated by the setting, the gain stays in the position's pool and
    /// nothing is taken off.
    @Test("the open gain of a trade opened isolated by the setting is not taken off the cross pool")
    func openGain() throws {
        var parameters = context.parameters
        parameters.conventions.openGain = .ignored
        let ignoring = RiskContext(catalog: context.catalog, snapshot: context.snapshot, parameters: parameters)
        var account = try market.account(balances: [("USDT", "10000")], positions: [])
        var buy = try trade("1", leverage: 10)
        buy.price = try fixed("1900")
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        let cross = try PreTradeCheck.evaluate(buy, account: account, context: ignoring, workspace: &workspace).0
        #expect(cross.uncountedGain == (try usdt(100)))
        _ = account.setMarginMode(isolated: true, of: eth)
        let isolated = try PreTradeCheck.evaluate(buy, account: account, context: ignoring, workspace: &workspace).0
        #expect(isolated.uncountedGain == 0)
    }

    /// A group's pool keeps no member's settings or isolated positions, so the member's resting orders take its terms:
    /// a bid of 1 ETH at 2,000 with the member's isolated 10× holds 2,000 / 10 = 200 (moved into the position it would
    /// open); at the pool's cap (50×, which its cross positions take) it would hold 40.
    @Test("a group member's resting orders are margined in the member's mode and leverage")
    func groupMemberOrders() throws {
        var member = try market.account(balances: [("USDT", "1000")], positions: [])
        member.setLeverage(10, of: eth)
        _ = member.setMarginMode(isolated: true, of: eth)
        let pool = SharedPool(others: try market.account(balances: [("USDT", "500")], positions: []))
        let bid = OpenOrder(fill: try trade("1"))
        let whatIf = try WhatIf(account: member, orders: [bid], trades: [], context: context, sharing: pool)
        let held = try require(whatIf.before.openOrders?.total)
        #expect(held == (try usdt(200)), "\(held)")
        var crossMember = member
        _ = crossMember.setMarginMode(isolated: false, of: eth)
        let cross = try WhatIf(account: crossMember, orders: [bid], trades: [], context: context, sharing: pool)
        #expect(cross.before.openOrders?.total == (try usdt(40)))
    }
}
