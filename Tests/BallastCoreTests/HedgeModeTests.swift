import BallastCore
import Testing

/// Hedge (two-way) mode: a long and a short leg of one instrument, each margined as a position of its own, closed by
/// trades on its side and never flipped. Every expected figure is derived by hand in the test's comment.
@Suite("Hedge mode: long and short legs of one instrument")
struct HedgeModeTests {
    /// USDT at 1 (6 decimals), BTCUSDT on Binance's 2021 BTCUSDT brackets, mark 61,000.
    func market() throws -> TestMarket {
        var market = TestMarket()
        try market.asset("USDT", decimals: 6, price: 1)
        try market.asset("BTC", price: 61_000)
        try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", tick: "0.1", mark: 61_000, schedule: try binanceBTCUSDT())
        return market
    }

    /// A leg: `position` on `side`.
    func leg(_ market: TestMarket, _ size: String, entry: String, _ side: PositionSide) throws -> Position {
        var position = try market.position("BTCUSDT", size: size, entry: entry, leverage: 10)
        position.side = side
        return position
    }

    /// Wallet 2,000 USDT, long leg 1 BTC at 60,000 and short leg 0.4 BTC at 62,000, both 10x.
    func hedged(_ market: TestMarket) throws -> Account {
        try market.account(balances: [("USDT", "2000")], positions: [try leg(market, "1", entry: "60000", .long),
                                                                       try leg(market, "-0.4", entry: "62000", .short)])
    }

    func usd(_ text: String) throws -> Int128 { try require(try fixed(text).rescaled(to: 6, rounding: .towardZero)).units }

    /// At the mark of 61,000 each leg is charged on its own notional, without netting:
    /// - long 61,000 in bracket 2 (50k–250k, 0.5 %, cum 50): MM 305 − 50 = 255; short 24,400 in bracket 1 (0.4 %): 97.6;
    ///   MM = 352.6 (the net 0.6 BTC long alone would be 36,600 × 0.4 % = 146.4);
    /// - IM at 10x: 6,100 + 2,440 = 8,540 (net: 3,660);
    /// - equity 2,000 + (61,000 − 60,000)·1 + (62,000 − 61,000)·0.4 = 3,400.
    @Test("each leg is margined on its own notional and tier; equity counts both")
    func legsMarginedApart() throws {
        let market = try market()
        let report = try MarginReport(account: try hedged(market), context: market.context())
        #expect(report.positions.map(\.label) == ["BTCUSDT long", "BTCUSDT short"])
        #expect(report.positions.map(\.tier) == [2, 1])
        #expect(report.cross.figures.maintenance == (try usd("352.6")))
        #expect(report.cross.figures.initial == (try usd("8540")))
        #expect(report.cross.figures.equity == (try usd("3400")))
    }

    /// Binance's USDⓈ-M cross liquidation price with both legs of one symbol (binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93):
    /// LP = (WB − TMM₁ + UPNL₁ + cum_L + cum_S − Pos_L·EP_L + Pos_S·EP_S) / (Pos_L·MMR_L + Pos_S·MMR_S − Pos_L + Pos_S)
    ///    = (2,000 + 50 + 0 − 60,000 + 0.4·62,000) / (0.005 + 0.4·0.004 − 1 + 0.4) = −33,150 / −0.5934 = 55,864.5096…
    /// with the long leg in bracket 2 (55,864.5 notional) and the short in bracket 1 (22,345.8). Check: equity
    /// 0.6·P − 33,200 = 318.706 = MM 0.0066·P − 50. Both legs show the same price: they share the cross pool.
    @Test("the cross liquidation price of two legs is Binance's closed form")
    func binanceHedgeLiquidationPrice() throws {
        let market = try market()
        let report = try MarginReport(account: try hedged(market), context: market.context())
        for line in report.positions {
            let price = try require(line.liquidationPrice.price)
            #expect(abs(price - 33_150 / 0.5934) < 0.01, "\(line.label): \(price)")
        }
    }

    /// Selling 0.5 on the long leg at 61,000 closes half of it: realised (61,000 − 60,000)·0.5 = 500, the wallet goes to
    /// 2,500, the long leg keeps 0.5 at 60,000 and the short leg is untouched. Selling the rest closes the leg and leaves
    /// the short one alone. A leg never flips, an instrument held in legs takes no one-way trade, and the reverse.
    @Test("a trade goes to its leg, closes it without flipping, and must name the side")
    func trades() throws {
        let market = try market()
        let context = market.context()
        let account = try hedged(market)
        let btc = try require(context.catalog.instrument("BTCUSDT"))
        let usdt = try require(context.catalog.asset("USDT"))
        let sellHalf = Trade(instrument: btc, size: -500, price: try fixed("61000"), side: .long)
        let (after, effect) = try TradeExecution.apply(sellHalf, to: account, context: context)
        #expect(effect.realisedPnL == (try usd("500")))
        #expect(effect.reducesOnly)
        #expect(after.balance(usdt) == (try usd("2500")))
        #expect(after.position(btc, side: .long)?.size == 500)
        #expect(after.position(btc, side: .long)?.cost == (try market.position("BTCUSDT", size: "0.5", entry: "60000")).cost)
        #expect(after.position(btc, side: .short) == account.position(btc, side: .short))

        let (closed, _) = try TradeExecution.apply(sellHalf, to: after, context: context)
        #expect(closed.position(btc, side: .long) == nil)
        #expect(closed.positions.count == 1 && closed.positions[0].side == .short)

        #expect(throws: TradeError.self) { try TradeExecution.apply(Trade(instrument: btc, size: -1_500, price: try fixed("61000"), side: .long),
                                                                    to: account, context: context) }
        #expect(throws: TradeError.self) { try TradeExecution.apply(Trade(instrument: btc, size: 100, price: try fixed("61000")),
                                                                    to: account, context: context) }
        let oneWay = try market.account(balances: [("USDT", "2000")], positions: [try market.position("BTCUSDT", size: "1", entry: "60000")])
        #expect(throws: TradeError.self) { try TradeExecution.apply(Trade(instrument: btc, size: -100, price: try fixed("61000"), side: .short),
                                                                    to: oneWay, context: context) }
        // Opening the other leg of a flat instrument, then trading it back, restores the account exactly.
        let flat = try market.account(balances: [("USDT", "2000")], positions: [])
        let (opened, _) = try TradeExecution.apply(Trade(instrument: btc, size: -300, price: try fixed("61000"), side: .short), to: flat, context: context)
        let (back, _) = try TradeExecution.apply(Trade(instrument: btc, size: 300, price: try fixed("61000"), side: .short), to: opened, context: context)
        #expect(back == flat)
    }

    /// Orders on legs do not net (Binance, OKX long/short mode). At the mark, with the legs' leverage of 10x:
    /// - buy 0.5 on the long leg: ΔIM = 0.5·61,000/10 = 3,050;
    /// - sell 0.2 on the short leg: ΔIM = 0.2·61,000/10 = 1,220;
    /// - both can fill, so they hold 3,050 + 1,220 = 4,270 (one-way netting would hold the larger, 3,050);
    /// - a sell of 0.5 on the long leg only closes part of it and holds nothing.
    @Test("orders on both legs both hold margin; an order closing its leg holds none")
    func orders() throws {
        let market = try market()
        let context = market.context()
        let account = try hedged(market)
        let btc = try require(context.catalog.instrument("BTCUSDT"))
        let price = try fixed("61000")
        let buyLong = OpenOrder(fill: Trade(instrument: btc, size: 500, price: price, side: .long))
        let sellShort = OpenOrder(fill: Trade(instrument: btc, size: -200, price: price, side: .short))
        let closeLong = OpenOrder(fill: Trade(instrument: btc, size: -500, price: price, side: .long))
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        let margin = try OpenOrderMargin(orders: [buyLong, sellShort, closeLong], account: account, context: context, workspace: &workspace)
        #expect(margin.lines.count == 1)
        #expect(margin.lines[0].buyCost == (try usd("3050")))
        #expect(margin.lines[0].sellCost == (try usd("1220")))
        #expect(margin.total == (try usd("4270")))
        #expect(try OpenOrderMargin(orders: [closeLong], account: account, context: context, workspace: &workspace).total == 0)
    }

    /// The largest order, with the wallet at 20,000: margin balance 21,400 against IM 8,540 leaves 12,860.
    /// - Without a side, a sell opens the short leg: each BTC at the mark and 10x needs 6,100 of IM and loses nothing,
    ///   so the largest is ⌊12,860/6,100⌋ in lots of 0.001 = 2.108 BTC (2.109 would need 12,864.9).
    /// - A sell on the long leg only closes it, so it is bounded by the leg's 1 BTC and passes up to there.
    @Test("max-size opens the leg a side opens by default, and a close is bounded by its leg")
    func maxSize() throws {
        let market = try market()
        let context = market.context()
        let account = try market.account(balances: [("USDT", "20000")], positions: [try leg(market, "1", entry: "60000", .long),
                                                                                    try leg(market, "-0.4", entry: "62000", .short)])
        let btc = try require(context.catalog.instrument("BTCUSDT"))
        let price = try fixed("61000")
        let closing = try MaxOrderSize.search(account: account, instrument: btc, side: .sell, price: price, context: context, positionSide: .long)
        #expect(closing.size == 1_000)
        let opening = try MaxOrderSize.search(account: account, instrument: btc, side: .sell, price: price, context: context)
        #expect(opening.size == 2_108)
        let explicit = try MaxOrderSize.search(account: account, instrument: btc, side: .sell, price: price, context: context, positionSide: .short)
        #expect(explicit.size == 2_108)
    }

    /// A nearly balanced pair loses on a rise although it is net long, since MM grows with the gross size: wallet 1,000,
    /// long 1 and short 0.999 both at 61,000, both legs in bracket 2 (0.5 %, cum 50) at the answer. Binance's form:
    /// LP = (1,000 + 50 + 50 − 61,000 + 0.999·61,000)/(0.005 + 0.999·0.005 − 1 + 0.999) = 1,039/0.008995 = 115,508.62,
    /// above the mark (f(p) = 939 + 0.001·p − (0.009995·p − 100) falls with p). Below the mark MM only shrinks: no root.
    @Test("a nearly balanced pair of legs liquidates on a rise, though net long")
    func balancedLegsLoseUp() throws {
        let market = try market()
        let account = try market.account(balances: [("USDT", "1000")], positions: [try leg(market, "1", entry: "61000", .long),
                                                                                   try leg(market, "-0.999", entry: "61000", .short)])
        let report = try MarginReport(account: account, context: market.context())
        for line in report.positions {
            let price = try require(line.liquidationPrice.price)
            #expect(abs(price - 1_039 / 0.008995) < 0.01, "\(line.label): \(price)")
            #expect(!line.liquidationPrice.breached)
        }
    }

    /// With no position but a resting bid on the long leg, the largest buy goes to the long leg too (not a one-way
    /// trade, which the leg orders would refuse): 20,000 USDT, bid 0.1 at the mark holding 610, so the largest buy at
    /// 10x is ⌊(20,000 − 610)/6,100⌋ in lots = 3.178 BTC.
    @Test("max-size follows resting orders on legs when nothing is held yet")
    func maxSizeWithLegOrders() throws {
        let market = try market()
        let context = market.context()
        let account = try market.account(balances: [("USDT", "20000")], positions: [])
        let btc = try require(context.catalog.instrument("BTCUSDT"))
        let price = try fixed("61000")
        let bid = OpenOrder(fill: Trade(instrument: btc, size: 100, price: price, leverage: 10, side: .long))
        let result = try MaxOrderSize.search(account: account, orders: [bid], instrument: btc, side: .buy, price: price, context: context, leverage: 10)
        #expect(result.size == 3_178)
    }
}
