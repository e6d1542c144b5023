import BallastCore
import Testing

/// An isolated position's loss is bounded by its margin: what a close realises beyond the margin released with it is
/// not the account's (``TradeEffect/isolatedShortfall``).
///
/// Every case starts from 10,000 USDT and an isolated long of 1 ETHUSDT bought at 2,000 at 10× (the market's mark is
/// 2,000): its initial margin, 2,000 / 10 = 200, moves in, leaving 9,800 in the cross balance.
@Suite("Isolated loss bounded by the margin")
struct IsolatedShortfallTests {
    static let usdt: Int128 = 1_000_000

    /// The market of ``TradeExecutionTests`` and the account holding the isolated long.
    static func isolatedLong() throws -> (TestMarket, RiskContext, Account) {
        let market = try TradeExecutionTests().market()
        let context = market.context()
        var open = try TradeExecutionTests().trade(market, "ETHUSDT", "1", at: "2000")
        open.isolated = true
        open.leverage = 10
        let (account, effect) = try TradeExecution.apply(open, to: try market.account(balances: [("USDT", "10000")], positions: []),
                                                         context: context)
        #expect(effect.isolatedTransfer == 200 * usdt)
        return (market, context, account)
    }

    static func usdtBalance(_ account: Account, _ market: TestMarket) throws -> Int128 {
        account.balance(try #require(market.catalog.asset("USDT")))
    }

    @Test("a close past the bankruptcy price costs the account its margin, not more: 1,700 realises −300, 200 released, 100 short")
    func closePastBankruptcy() throws {
        let (market, context, account) = try Self.isolatedLong()
        let (after, effect) = try TradeExecution.apply(try TradeExecutionTests().trade(market, "ETHUSDT", "-1", at: "1700"), to: account, context: context)
        #expect(effect.realisedPnL == -300 * Self.usdt)
        #expect(effect.isolatedShortfall == 100 * Self.usdt)
        #expect(after.positions.isEmpty)
        // 9,800 + (−300 + 200 released + 100 not charged) = 9,800: the account lost the 200 it gave the position.
        #expect(try Self.usdtBalance(after, market) == 9_800 * Self.usdt)
    }

    @Test("the fee is charged either way: the same close with a fee of 1 leaves 9,799")
    func closeWithFee() throws {
        let (market, context, account) = try Self.isolatedLong()
        let (after, effect) = try TradeExecution.apply(try TradeExecutionTests().trade(market, "ETHUSDT", "-1", at: "1700", fee: "1"),
                                                       to: account, context: context)
        #expect(effect.isolatedShortfall == 100 * Self.usdt)
        #expect(try Self.usdtBalance(after, market) == 9_799 * Self.usdt)
    }

    /// An inverse isolated long of 300 BTCUSD contracts (100 USD each) bought at 30,000 at 10× holds 300·100/30,000/10
    /// = 0.1 BTC; closed at 20,000 it realises 30,000·(1/30,000 − 1/20,000) = −0.5 BTC, 0.4 beyond the margin. The
    /// BTC balance of 1 pays only the 0.1 moved in: 0.9 stay.
    @Test("an inverse isolated close past the bankruptcy price: the coin loss beyond the margin is not charged")
    func inverseClosePastBankruptcy() throws {
        let market = try TradeExecutionTests().market()
        let context = market.context()
        let btc = try #require(market.catalog.asset("BTC"))
        var open = try TradeExecutionTests().trade(market, "BTCUSD", "300", at: "30000")
        open.isolated = true
        open.leverage = 10
        let (long, opened) = try TradeExecution.apply(open, to: try market.account(balances: [("BTC", "1")], positions: []), context: context)
        #expect(opened.isolatedTransfer == 10_000_000)
        let (after, effect) = try TradeExecution.apply(try TradeExecutionTests().trade(market, "BTCUSD", "-300", at: "20000"), to: long, context: context)
        #expect(effect.realisedPnL == -50_000_000)
        #expect(effect.isolatedShortfall == 40_000_000)
        #expect(after.balance(btc) == 90_000_000)
    }

    @Test("closed in two halves, each half's shortfall is its share: 50 and 50, the same 9,800 as one close")
    func closeInHalves() throws {
        let (market, context, account) = try Self.isolatedLong()
        let half = try TradeExecutionTests().trade(market, "ETHUSDT", "-0.5", at: "1700")
        // First half: realised −150; the margin kept is 200 × 0.5 = 100, so 100 is released: −150 + 100 → 50 short.
        let (middle, first) = try TradeExecution.apply(half, to: account, context: context)
        #expect(first.isolatedShortfall == 50 * Self.usdt)
        #expect(middle.positions.first?.mode == .isolated(margin: 100 * Self.usdt))
        #expect(try Self.usdtBalance(middle, market) == 9_800 * Self.usdt)
        // Second half: realised −150, the last 100 released → 50 short.
        let (after, second) = try TradeExecution.apply(half, to: middle, context: context)
        #expect(second.isolatedShortfall == 50 * Self.usdt)
        #expect(try Self.usdtBalance(after, market) == 9_800 * Self.usdt)
    }

    @Test("a solvent close pays its whole loss: 1,900 realises −100 against 200 released, nothing short")
    func solventClose() throws {
        let (market, context, account) = try Self.isolatedLong()
        let (after, effect) = try TradeExecution.apply(try TradeExecutionTests().trade(market, "ETHUSDT", "-1", at: "1900"), to: account, context: context)
        #expect(effect.isolatedShortfall == 0)
        #expect(try Self.usdtBalance(after, market) == 9_900 * Self.usdt)
    }

    /// Selling 2 at 1,700 closes the long (−300 against the old 200 of margin: 100 short) and opens a short of 1 at 10×,
    /// whose IM at the 2,000 mark, 200, the old margin covers (transfer 0): credit −300 + 100 = −200, so 9,800 − 200 =
    /// 9,600 stay and 200 back the short.
    @Test("a flip past the bankruptcy price: the old side's loss is bounded by the old margin, the new side's margin paid apart")
    func flipPastBankruptcy() throws {
        let (market, context, account) = try Self.isolatedLong()
        let (after, effect) = try TradeExecution.apply(try TradeExecutionTests().trade(market, "ETHUSDT", "-2", at: "1700"), to: account, context: context)
        #expect(effect.isolatedShortfall == 100 * Self.usdt)
        #expect(effect.isolatedTransfer == 0)
        #expect(after.positions.first?.size == -1_000)
        #expect(after.positions.first?.mode == .isolated(margin: 200 * Self.usdt))
        #expect(try Self.usdtBalance(after, market) == 9_600 * Self.usdt)
    }

    @Test("a cross position's loss is the account's in full: a cross long of 1 at 2,000 closed at 1,700 costs 300")
    func crossPaysInFull() throws {
        let market = try TradeExecutionTests().market()
        let context = market.context()
        let (long, _) = try TradeExecution.apply(try TradeExecutionTests().trade(market, "ETHUSDT", "1", at: "2000"),
                                                 to: try market.account(balances: [("USDT", "10000")], positions: []), context: context)
        let (after, effect) = try TradeExecution.apply(try TradeExecutionTests().trade(market, "ETHUSDT", "-1", at: "1700"), to: long, context: context)
        #expect(effect.isolatedShortfall == 0)
        #expect(try Self.usdtBalance(after, market) == 9_700 * Self.usdt)
    }
}
