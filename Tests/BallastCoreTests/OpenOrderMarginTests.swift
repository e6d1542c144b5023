import BallastCore
import Testing

/// The margin held by resting orders (worst-case fill per side), and its effect on the pre-trade check and the
/// largest order. Every expected figure is derived by hand in the test's comment.
@Suite("Open orders: margin held by worst-case fill")
struct OpenOrderMarginTests {
    /// USDT at 1; BTCUSDT (lot 0.001) and ETHUSDT (lot 0.01) on one tier: 20x, maintenance 0.5 %.
    func market(btcMark: Double = 60_000) throws -> TestMarket {
        var market = TestMarket()
        try market.asset("USDT", decimals: 6, price: 1)
        try market.asset("BTC", price: btcMark)
        try market.asset("ETH", price: 2_000)
        try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", tick: "0.1", mark: btcMark,
                             schedule: try flatSchedule(maintenance: 0.005, maxLeverage: 20))
        try market.perpetual("ETHUSDT", underlying: "ETH", quote: "USDT", mark: 2_000, schedule: try flatSchedule(maintenance: 0.005, maxLeverage: 20))
        return market
    }

    func order(_ market: TestMarket, _ symbol: String, _ size: String, at price: String, reduceOnly: Bool = false) throws -> OpenOrder {
        let id = try require(market.catalog.instrument(symbol))
        let units = try require(try fixed(size).rescaled(to: market.catalog[instrument: id].sizeDecimals, rounding: .towardZero))
        return OpenOrder(fill: Trade(instrument: id, size: try require(Int64(exactly: units.units)), price: try fixed(price)), reduceOnly: reduceOnly)
    }

    /// Valuation units (USD, 6 decimals) of a decimal amount.
    func usd(_ text: String) throws -> Int128 { try require(try fixed(text).rescaled(to: 6, rounding: .towardZero)).units }

    func margin(_ orders: [OpenOrder], _ account: Account, _ context: RiskContext) throws -> OpenOrderMargin {
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        return try OpenOrderMargin(orders: orders, account: account, context: context, workspace: &workspace)
    }

    /// OKX one-way mode (pastorq.com/1222.html): a long's IM with orders = max(pos + buys, sells − pos)·mark/lev.
    /// Long 1 BTC at 10x, mark 60,000 (IM 6,000), orders at the mark:
    /// - sell 3: max(1, 3 − 1) = 2 → 12,000, so the orders hold 12,000 − 6,000 = 6,000;
    /// - and buy 0.5: max(1.5, 2) = 2, still 6,000 (the buy side alone would hold 1.5·6,000 − 6,000 = 3,000);
    /// - a sell of 0.5 alone only reduces: max(1, 0.5 − 1) = 1, it holds 0.
    @Test("one-way netting: the worse side holds the margin, reducing orders hold none")
    func netting() throws {
        let market = try market()
        let context = market.context()
        let account = try market.account(balances: [("USDT", "20000")],
                                          positions: [try market.position("BTCUSDT", size: "1", entry: "60000", leverage: 10)])
        let both = try margin([try order(market, "BTCUSDT", "-3", at: "60000"), try order(market, "BTCUSDT", "0.5", at: "60000")], account, context)
        #expect(both.lines.count == 1)
        #expect(both.lines[0].sellCost == (try usd("6000")))
        #expect(both.lines[0].buyCost == (try usd("3000")))
        #expect(both.lines[0].sells == 3_000)
        #expect(both.lines[0].buys == 500)
        #expect(both.total == (try usd("6000")))
        let reducing = try margin([try order(market, "BTCUSDT", "-0.5", at: "60000")], account, context)
        #expect(reducing.lines[0].sellCost == (try usd("-3000")))
        #expect(reducing.total == 0)
    }

    /// Binance's example (binance.com/en/support/faq/87fa7ee33b574f7084d42bd2ce2e463b): mark 9,259.84, 20x, 1 BTC at
    /// 9,253.30. Open loss = 1·|min(0, dir·(mark − price))|: 6.54 for the sell, 0 for the buy.
    /// Ballast takes the IM at the mark, 9,259.84/20 = 462.992 (Binance: at the order price for a buy, 462.665), so:
    /// - sell: 462.992 + 6.54 = 469.532;
    /// - buy: 462.992, its gain of 6.54 not credited under either open-gain convention (it is a resting order).
    @Test("open loss of a sell below the mark is charged, the gain of a buy below it is not, under both conventions")
    func openLoss() throws {
        let market = try market(btcMark: 9_259.84)
        let context = market.context()
        let account = try market.account(balances: [("USDT", "1000")], positions: [])
        let sell = try order(market, "BTCUSDT", "-1", at: "9253.30")
        let buy = try order(market, "BTCUSDT", "1", at: "9253.30")
        #expect(try margin([sell], account, context).total == (try usd("469.532")))
        #expect(try margin([buy], account, context).total == (try usd("462.992")))
        var parameters = context.parameters
        parameters.conventions.openGain = .ignored
        let ignoring = RiskContext(catalog: context.catalog, snapshot: context.snapshot, parameters: parameters)
        #expect(try margin([buy], account, ignoring).total == (try usd("462.992")))
        // Both at once: the worse side, the sell.
        #expect(try margin([buy, sell], account, ignoring).total == (try usd("469.532")))
    }

    /// The same example under `order_initial_price: limit` (Binance's assuming price, without its last-price term):
    /// - buy: IM on the order price, 9,253.30/20 = 462.665 (Binance prints 462.66), no open loss;
    /// - sell: assuming price max(9,253.30, 9,259.84) = 9,259.84, IM 462.992, + open loss 6.54 = 469.532 (Binance's
    ///   470.18 includes last price × 1.0015 = 9,272.88 in the max, which a snapshot does not have);
    /// - two bids, 1 at 9,200 and 1 at 9,000: (9,200 + 9,000)/20 = 910.
    @Test("Binance's assuming price: a bid is margined at its limit, an offer at max(limit, mark)")
    func limitPrice() throws {
        let market = try market(btcMark: 9_259.84)
        let base = market.context()
        var parameters = base.parameters
        parameters.conventions.orderInitialPrice = .limit
        let context = RiskContext(catalog: base.catalog, snapshot: base.snapshot, parameters: parameters)
        let account = try market.account(balances: [("USDT", "1000")], positions: [])
        #expect(try margin([try order(market, "BTCUSDT", "1", at: "9253.30")], account, context).total == (try usd("462.665")))
        #expect(try margin([try order(market, "BTCUSDT", "-1", at: "9253.30")], account, context).total == (try usd("469.532")))
        let bids = [try order(market, "BTCUSDT", "1", at: "9200"), try order(market, "BTCUSDT", "1", at: "9000")]
        #expect(try margin(bids, account, context).total == (try usd("910")))
        // An offer above the mark: IM at its limit, 9,300/20 = 465, no loss.
        #expect(try margin([try order(market, "BTCUSDT", "-1", at: "9300")], account, context).total == (try usd("465")))
    }

    /// Bybit, "Order Cost (USDT Contract)" (help.bybit.com/hc/en-us/articles/900000169703): long 1 BTC at 50,000 with
    /// 10x, taker fee 0.06 %: IM 50,000/10 = 5,000, fee to open 1 × 50,000 × 0.0006 = 30, fee to close at the bankruptcy
    /// price 1 × 50,000 × (10 − 1)/10 × 0.0006 = 27: order cost 5,057. Here: a schedule with the fee to close at the
    /// bankruptcy price (in its IM), an order at the mark with its fee to open, on a flat account.
    @Test("Bybit order cost: 1 BTC at 50,000, 10x, 0.06 %: 5,000 + 30 + 27 = 5,057")
    func bybitOrderCost() throws {
        var market = TestMarket()
        try market.asset("USDT", decimals: 6, price: 1)
        try market.asset("BTC", price: 50_000)
        let id = try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", mark: 50_000, schedule: MarginSchedule(
            shape: .tiered(try TierTable(floors: [0], maxLeverages: [100], maintenanceRates: [0.005])), closeFeeRate: 0.0006,
            closeFeeBasis: .bankruptcy))
        let context = market.context()
        let account = try market.account(balances: [("USDT", "10000")], positions: [])
        let order = OpenOrder(fill: Trade(instrument: id, size: 1_000, price: try fixed("50000"), fee: try market.units("30", of: "USDT"),
                                          leverage: 10))
        #expect(try margin([order], account, context).total == (try usd("5057")))
    }

    /// Reduce-only orders hold nothing, even when larger than the position; instruments add up:
    /// BTC buy 0.1 at the mark (0.1·60,000/20 = 300) + ETH sell 2 at the mark (2·2,000/20 = 200) = 500.
    @Test("reduce-only orders hold nothing; instruments add up")
    func reduceOnlyAndSum() throws {
        let market = try market()
        let context = market.context()
        let account = try market.account(balances: [("USDT", "20000")],
                                          positions: [try market.position("BTCUSDT", size: "1", entry: "60000")])
        let orders = [try order(market, "BTCUSDT", "-5", at: "55000", reduceOnly: true), try order(market, "BTCUSDT", "0.1", at: "60000"),
                      try order(market, "ETHUSDT", "-2", at: "2000")]
        let result = try margin(orders, account, context)
        let expected = [try usd("300"), try usd("200")]
        #expect(result.lines.map(\.margin) == expected)
        #expect(result.lines[0].sells == 0)
        #expect(result.total == (try usd("500")))
        #expect(try margin([orders[0]], account, context).lines.isEmpty)
    }

    /// 20,000 USDT, long 1 BTC at 10x (IM 6,000), orders sell 3 at 60,000 and buy 0.5 at 59,000.
    /// - Orders: the sells hold 6,000 (above); the buy 0.5·60,000/10 = 3,000 (its gain is not credited). Available 8,000.
    /// - Buying x more at 60,000: IM 6,000·(1 + x); the sells now only reduce (1 + x − 3 > −(1 + x)), the buy still holds
    ///   3,000, so 6,000·(1 + x) + 3,000 ≤ 20,000 gives x ≤ 1.8333…: 1.833 in lots of 0.001. Without the orders,
    ///   6,000·(1 + x) ≤ 20,000 gives 2.333.
    /// - A buy of 1: IM 12,000 + orders 3,000 passes; its cost is ΔIM 6,000 + Δorders (3,000 − 6,000) = 3,000.
    @Test("pre-trade check, largest order and report hold the order margin back")
    func preTradeAndMaxSize() throws {
        let market = try market()
        let context = market.context()
        let account = try market.account(balances: [("USDT", "20000")],
                                          positions: [try market.position("BTCUSDT", size: "1", entry: "60000", leverage: 10)])
        let orders = [try order(market, "BTCUSDT", "-3", at: "60000"), try order(market, "BTCUSDT", "0.5", at: "59000")]
        let report = try MarginReport(account: account, orders: orders, context: context)
        #expect(report.openOrders?.total == (try usd("6000")))
        #expect(report.cross.available == (try usd("8000")))
        #expect(try MarginReport(account: account, context: context).cross.available == (try usd("14000")))

        let id = try require(market.catalog.instrument("BTCUSDT"))
        let withOrders = try MaxOrderSize.search(account: account, orders: orders, instrument: id, side: .buy, price: try fixed("60000"), context: context)
        #expect(withOrders.size == 1_833)
        let without = try MaxOrderSize.search(account: account, instrument: id, side: .buy, price: try fixed("60000"), context: context)
        #expect(without.size == 2_333)

        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        let buy = Trade(instrument: id, size: 1_000, price: try fixed("60000"))
        let (check, _, _) = try PreTradeCheck.evaluate(buy, account: account, orders: orders, context: context, workspace: &workspace)
        #expect(check.passes)
        #expect(check.ordersBefore == (try usd("6000")))
        #expect(check.ordersAfter == (try usd("3000")))
        #expect(check.cost == (try usd("3000")))
        #expect(check.reason.contains("+ open orders 3000"))
        // 2 more is 18,000 + 3,000 = 21,000 > 20,000: fails by 1,000, which it would not without the orders.
        let big = Trade(instrument: id, size: 2_000, price: try fixed("60000"))
        let (failing, _, _) = try PreTradeCheck.evaluate(big, account: account, orders: orders, context: context, workspace: &workspace)
        #expect(!failing.passes)
        #expect(failing.reason.contains("by 1000"))
        #expect(try PreTradeCheck.evaluate(big, account: account, context: context, workspace: &workspace).0.passes)
    }

    /// An order does not re-lever the position it adds to: a bid of 1 at 20x on a 10x long of 1 holds 1 × 60,000/10 =
    /// 6,000, not (2 × 60,000/20 − 6,000) = 0. Without a position the side opens at the lowest leverage its orders give:
    /// bids of 1 at 2x and 1 at 50x hold 2 × 60,000/2 = 60,000 in either order.
    @Test("orders do not re-lever a position; a new one opens at the side's lowest leverage")
    func leverageTerms() throws {
        let market = try market()
        let context = market.context()
        let id = try require(market.catalog.instrument("BTCUSDT"))
        let long = try market.account(balances: [("USDT", "100000")],
                                       positions: [try market.position("BTCUSDT", size: "1", entry: "60000", leverage: 10)])
        let bid20 = OpenOrder(fill: Trade(instrument: id, size: 1_000, price: try fixed("60000"), leverage: 20))
        #expect(try margin([bid20], long, context).total == (try usd("6000")))
        let flat = try market.account(balances: [("USDT", "100000")], positions: [])
        let bid2 = OpenOrder(fill: Trade(instrument: id, size: 1_000, price: try fixed("60000"), leverage: 2))
        let bid50 = OpenOrder(fill: Trade(instrument: id, size: 1_000, price: try fixed("60000"), leverage: 50))
        #expect(try margin([bid2, bid50], flat, context).total == (try usd("60000")))
        #expect(try margin([bid50, bid2], flat, context).total == (try usd("60000")))
    }

    /// A buy nets against a resting offer, so the requirement falls before it rises. 2,000 USDT, no position, an offer of
    /// 1 BTC at the mark 60,000, 20x (IM 3,000 per BTC): a buy of x needs max(3,000·x, 3,000·|x − 1|) ≤ 2,000, so
    /// 0.334 ≤ x ≤ 0.666 pass while one lot (0.001, needing 2,997) fails. The largest buy is 0.666.
    @Test("max-size finds the sizes that pass by netting against resting orders when one lot fails")
    func maxSizeThroughNetting() throws {
        let market = try market()
        let context = market.context()
        let account = try market.account(balances: [("USDT", "2000")], positions: [])
        let offer = try order(market, "BTCUSDT", "-1", at: "60000")
        let id = try require(market.catalog.instrument("BTCUSDT"))
        let result = try MaxOrderSize.search(account: account, orders: [offer], instrument: id, side: .buy, price: try fixed("60000"), context: context)
        #expect(result.size == 666)
        let sell = try MaxOrderSize.search(account: account, orders: [offer], instrument: id, side: .sell, price: try fixed("60000"), context: context)
        #expect(sell.size == 0)
    }

    /// An isolated order's open loss stays in its pool, out of the cross figures, and is charged to the order: Binance's
    /// offer of 1 BTC at 9,253.30 against the mark 9,259.84 as an isolated order holds 462.992 + 6.54 = 469.532, as
    /// the cross one does.
    @Test("an isolated order is charged its open loss")
    func isolatedOpenLoss() throws {
        let market = try market(btcMark: 9_259.84)
        let context = market.context()
        let account = try market.account(balances: [("USDT", "1000")], positions: [])
        let id = try require(market.catalog.instrument("BTCUSDT"))
        let offer = OpenOrder(fill: Trade(instrument: id, size: -1_000, price: try fixed("9253.30"), isolated: true))
        #expect(try margin([offer], account, context).total == (try usd("469.532")))
    }

    /// The order margin does not depend on how the orders are listed: random books of bids and offers at several prices,
    /// leverages and margin modes, on a linear and an inverse perpetual, give the same figure for every shuffle.
    @Test("the order margin is the same for every listing of the orders")
    func listingIndependence() throws {
        var market = try market()
        try market.perpetual("BTCUSD", underlying: "BTC", quote: "USD", settlement: .inverse, contractSize: "100", lot: "1", tick: "0.5",
                             mark: 60_000, schedule: try flatSchedule(maintenance: 0.005, maxLeverage: 20))
        let context = market.context()
        var random = SeededGenerator(seed: 7)
        for trial in 0..<60 {
            let symbol = trial % 2 == 0 ? "BTCUSDT" : "BTCUSD"
            let id = try require(market.catalog.instrument(symbol))
            let unit: Int64 = symbol == "BTCUSDT" ? 100 : 1
            var account = try market.account(balances: [("USDT", "1000000"), ("BTC", "20")], positions: [])
            if Bool.random(using: &random) {
                let size = Int64.random(in: -20...20, using: &random) * unit
                if size != 0 {
                    account.setPosition(try market.position(symbol, size: symbol == "BTCUSDT" ? "\(Double(size) / 1_000)" : "\(size)",
                                                            entry: "59000", leverage: [nil, 5, 10].randomElement(using: &random) ?? nil))
                }
            }
            var orders: [OpenOrder] = []
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let size = Int64.random(in: 1...10, using: &random) * unit * (Bool.random(using: &random) ? 1 : -1)
                let price = try fixed(["58000", "59500", "60000", "61000", "62500"].randomElement(using: &random) ?? "60000")
                let leverage = [nil, 2.0, 5, 20].randomElement(using: &random) ?? nil
                orders.append(OpenOrder(fill: Trade(instrument: id, size: size, price: price, leverage: leverage,
                                                    isolated: Int.random(in: 0..<4, using: &random) == 0)))
            }
            let reference = try margin(orders, account, context)
            for _ in 0..<4 {
                let shuffled = try margin(orders.shuffled(using: &random), account, context)
                #expect(shuffled.total == reference.total, "trial \(trial)")
            }
        }
    }

    /// With every order at the mark on a one-tier 20x schedule, the margin is OKX's closed form
    /// max(0, max(|p + B|, |p − S|) − |p|)·mark/20, for random positions p and order totals B and S split over several orders.
    @Test("random books at the mark match the closed form of one-way netting")
    func randomNetting() throws {
        let market = try market()
        let context = market.context()
        let id = try require(market.catalog.instrument("BTCUSDT"))
        var random = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            let p = Int64.random(in: -5_000...5_000, using: &random)
            var account = try market.account(balances: [("USDT", "100000")], positions: [])
            if p != 0 {
                let cost = try TradeExecution.cost(of: p, at: try fixed("60000"), instrument: market.catalog[instrument: id])
                account.setPosition(Position(instrument: id, size: p, cost: cost))
            }
            var orders: [OpenOrder] = []
            var (buys, sells): (Int64, Int64) = (0, 0)
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                let size = Int64.random(in: 1...3_000, using: &random) * (Bool.random(using: &random) ? 1 : -1)
                if size > 0 { buys += size } else { sells -= size }
                orders.append(OpenOrder(fill: Trade(instrument: id, size: size, price: try fixed("60000"))))
            }
            let worst = max((p + buys).magnitude, (p - sells).magnitude)
            let expected = max(0, Int128(worst) - Int128(p.magnitude)) * 3_000 * 1_000  // lots of 0.001 × 60,000/20, in 10⁻⁶ USD
            #expect(try margin(orders, account, context).total == expected, "p \(p) buys \(buys) sells \(sells)")
        }
    }
}
