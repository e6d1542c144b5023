import BallastCore
import Testing

@Suite("Standard option margin")
struct OptionMarginTests {
    func deribit() throws -> OptionMarginParameters {
        try OptionMarginParameters(
            call: try ShortOptionRates(otmInitialRate: 0.15, minimumInitialRate: 0.10, maintenanceRate: 0.075),
            put: try ShortOptionRates(otmInitialRate: 0.15, minimumInitialRate: 0.10, maintenanceRate: 0.075, maintenanceMarkRate: 0.075,
                                      initialAtLeastMaintenance: true))
    }

    func bybit() throws -> OptionMarginParameters {
        let rates = try ShortOptionRates(otmInitialRate: 0.15, minimumInitialRate: 0.10, maintenanceRate: 0.03, maintenanceMarkRate: 0.03,
                                         maintenanceFeeRate: 0.002, initialAtLeastMaintenance: true)
        return try OptionMarginParameters(call: rates, put: rates)
    }

    func market(options: OptionMarginParameters, coinSettled: Bool) throws -> TestMarket {
        var market = TestMarket()
        try market.asset("USDC", decimals: 6, price: 1)
        try market.asset("BTC", price: 40_000)
        market.options["BTC"] = options
        let expiry = try require(CivilTime.parse("2021-06-25T08:00:00Z"))
        let settlement: Settlement = coinSettled ? .inverse : .linear
        let quote = coinSettled ? "USD" : "USDC"
        try market.future("C45", kind: .option(right: .call, strike: 45_000, expiry: expiry), underlying: "BTC", quote: quote,
                          settlement: settlement, lot: "0.1", tick: "0.0005", mark: coinSettled ? 0.02 : 800, schedule: nil)
        try market.future("P35", kind: .option(right: .put, strike: 35_000, expiry: expiry), underlying: "BTC", quote: quote,
                          settlement: settlement, lot: "0.1", tick: "0.0005", mark: coinSettled ? 0.015 : 600, schedule: nil)
        return market
    }

    /// Deribit, per 1 BTC in BTC, S = 40,000:
    /// short 45,000 call, mark 0.02: OTM/S = 0.125; IM = max(0.15 − 0.125, 0.10) + 0.02 = 0.12; MM = 0.075 + 0.02 = 0.095.
    /// short 35,000 put, mark 0.015: IM = max(max(0.15 − 0.125, 0.10) + 0.015, MM) = 0.115; MM = max(0.075, 0.075·0.015) + 0.015 = 0.09.
    @Test("Deribit coin-settled short call and put (hand derivation)")
    func deribitShorts() throws {
        let market = try market(options: try deribit(), coinSettled: true)
        let context = market.context()
        for (symbol, initial, maintenance) in [("C45", 0.12, 0.095), ("P35", 0.115, 0.09)] {
            let position = try market.position(symbol, size: "-2", entry: "0.01")
            let figures = try PositionFigures(position, in: context)
            #expect(abs(figures.initial - 2 * initial) < 1e-12, "\(symbol) IM")
            #expect(abs(figures.maintenance - 2 * maintenance) < 1e-12, "\(symbol) MM")
            // Equity contribution = value − cost = −2·mark + 2·0.01 (a short's value is a liability), exact at 10^-18.
            let mark = symbol == "C45" ? 0.02 : 0.015
            #expect(abs(Double(figures.exactEquity) * 1e-18 + figures.markValue - (-2 * mark + 0.02)) < 1e-15)
            #expect(figures.exactUnrealisedPnL == (symbol == "C45" ? -20_000_000_000_000_000 : -10_000_000_000_000_000))
        }
    }

    /// Bybit USDC, per 1 BTC in USDC, S = 40,000, short 45,000 call at mark 800:
    /// MM = max(0.03·40,000, 0.03·800) + 800 + 0.002·40,000 = 2,080; IM = max(max(6,000 − 5,000, 4,000) + 800, 2,080) = 4,800.
    @Test("Bybit USDC short call (hand derivation)")
    func bybitShortCall() throws {
        let market = try market(options: try bybit(), coinSettled: false)
        let context = market.context()
        let position = try market.position("C45", size: "-1", entry: "750")
        let figures = try PositionFigures(position, in: context)
        #expect(abs(figures.maintenance - 2_080) < 1e-9)
        #expect(abs(figures.initial - 4_800) < 1e-9)
    }

    /// The premium term max(entry, mark) (Bybit's "Max(Position Average Price, Option Mark Price)"), per 1 BTC, S = 40,000,
    /// short 45,000 call (OTM 5,000), both with IM ≥ MM:
    /// - USDC, mark 800: sold at 750 (below), IM = max(6,000 − 5,000, 4,000) + 800 = 4,800; sold at 900, 4,000 + 900 = 4,900;
    /// - coin-settled, mark 0.02 BTC (800 USD): sold at 0.03 BTC (1,200 USD), IM = (4,000 + 1,200)/40,000 = 0.13 BTC; at
    ///   0.01 BTC, (4,000 + 800)/40,000 = 0.12 BTC. MM is unchanged by the entry.
    @Test("short option IM with the premium at max(entry, mark): USDC and coin-settled, sold above and below the mark",
          arguments: [(false, "750", 4_800.0), (false, "900", 4_900), (true, "0.01", 0.12), (true, "0.03", 0.13)])
    func premiumAtEntryOrMark(coinSettled: Bool, entry: String, initial: Double) throws {
        let rates = try ShortOptionRates(otmInitialRate: 0.15, minimumInitialRate: 0.10, maintenanceRate: 0.03, maintenanceMarkRate: 0.03,
                                         maintenanceFeeRate: 0.002, initialAtLeastMaintenance: true, initialPremium: .entryOrMark)
        let market = try market(options: try OptionMarginParameters(call: rates, put: rates), coinSettled: coinSettled)
        let context = market.context()
        let figures = try PositionFigures(try market.position("C45", size: "-1", entry: entry), in: context)
        #expect(abs(figures.initial - initial) < 1e-9 * initial)
        // MM = max(1,200, 24) + 800 + 80 = 2,080 USD (coin: /40,000 = 0.052 BTC).
        #expect(abs(figures.maintenance - (coinSettled ? 0.052 : 2_080)) < 1e-9 * figures.maintenance)
    }

    /// OKX's coin-margined short call (formula: https://www.okx.com/help/ii-option-margin, "max(0.15 − OTM amount/futures
    /// mark, 0.1) × margin factor + mark"; the numbers of its worked example, copied at 365shuku.com/13503.html): one
    /// BTCUSD call of 0.1 BTC, futures mark 5,900 (the index here), strike 6,000 (OTM 100), mark 0.0575 BTC, factor 1.02:
    /// per BTC 1.02 × max(0.15 − 100/5,900, 0.1) + 0.0575 = 1.02 × 0.133050… + 0.0575 = 0.193211…; per contract × 0.1 =
    /// 0.0193211… BTC (published 0.01932). With factor 1: 0.0190550… BTC.
    @Test("OKX short call with a margin factor of 1.02: IM 0.01932 BTC per 0.1 BTC contract (factor 1: 0.019055)", arguments: [1.02, 1.0])
    func okxMarginFactor(factor: Double) throws {
        let otmTerm: Double = 0.15 - 100 / 5_900.0
        let initial: Double = 0.1 * (factor * otmTerm + 0.0575)
        let rates = try ShortOptionRates(otmInitialRate: 0.15, minimumInitialRate: 0.10, maintenanceRate: 0.075, marginFactor: factor)
        var market = TestMarket()
        try market.asset("BTC", price: 5_900)
        market.options["BTC"] = try OptionMarginParameters(call: rates, put: rates)
        let expiry = try require(CivilTime.parse("2021-06-25T08:00:00Z"))
        try market.future("BTC-USD-210625-6000-C", kind: .option(right: .call, strike: 6_000, expiry: expiry), underlying: "BTC", quote: "USD",
                          settlement: .inverse, contractSize: "0.1", lot: "1", tick: "0.0005", mark: 0.0575, schedule: nil)
        let figures = try PositionFigures(try market.position("BTC-USD-210625-6000-C", size: "-1", entry: "0.0575"), in: market.context())
        #expect(abs(figures.initial - initial) < 1e-12)
        #expect(abs(initial - (factor == 1 ? 0.019_055_1 : 0.019_321_2)) < 1e-7)
        // MM by the same form with an illustrative c = 0.075 (the example publishes no MM): 0.1 × (factor × 0.075 + 0.0575).
        #expect(abs(figures.maintenance - 0.1 * (factor * 0.075 + 0.0575)) < 1e-12)
    }

    /// Gate's (and the old OKX) short-put floor b·S·(1 + mark/S) = b·S + b·mark, by hand: S = 40,000, put 35,000
    /// (OTM 5,000), mark 600 USDC, a = 0.15, b = 0.10, e = b: max(6,000 − 5,000, 4,000 + 60) + 600 = 4,660 (without e:
    /// 4,600).
    @Test("an IM floor on the mark too (b·S + e·mark): 4,660 against 4,600")
    func floorOnMark() throws {
        for (e, expected) in [(0.1, 4_660.0), (0, 4_600)] {
            let rates = try ShortOptionRates(otmInitialRate: 0.15, minimumInitialRate: 0.10, maintenanceRate: 0.075, minimumInitialMarkRate: e)
            let market = try market(options: try OptionMarginParameters(call: rates, put: rates), coinSettled: false)
            let figures = try PositionFigures(try market.position("P35", size: "-1", entry: "600"), in: market.context())
            #expect(abs(figures.initial - expected) < 1e-9, "e = \(e)")
        }
    }

    /// A long option needs no maintenance; its initial margin is its counted value, so available = balance − premium.
    @Test("a long option locks its premium and needs no maintenance")
    func longOption() throws {
        let market = try market(options: try bybit(), coinSettled: false)
        let context = market.context()
        let account = try market.account(balances: [("USDC", "10000")], positions: [try market.position("P35", size: "1.5", entry: "600")])
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        let summary = try MarginSummary(account, context: context, workspace: &workspace)
        // equity = 10,000 − 900 (cost) + 900 (value); IM = 900; available = 9,100, as if the premium had been paid.
        #expect(summary.cross.equity == 10_000_000_000)
        #expect(summary.cross.initial == 900_000_000)
        #expect(summary.cross.maintenance == 0)
        #expect(summary.cross.available == 9_100_000_000)
    }

    /// An option book's liquidation price moves the underlying and reprices the options (Black-76 at the implied
    /// volatility of the mark); at the found price, margin balance equals maintenance.
    @Test("liquidation price of a short option searched on the underlying")
    func optionLiquidation() throws {
        var market = try market(options: try deribit(), coinSettled: true)
        market.vols["C45"] = 0.8
        let context = market.context()
        let account = try market.account(balances: [("BTC", "0.5")], positions: [try market.position("C45", size: "-3", entry: "0.02")])
        let (liquidation, _) = try LiquidationPriceSolver.prices(account: account, slot: 0, context: context)
        let price = try require(liquidation.price)
        #expect(price > 40_000, "a short call loses when the underlying rises")
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        var observer = NoObserver()
        let pool = try AccountMargin.crossPool(account, context: context.moved(account.positions[0].instrument, by: price / 40_000, scope: .instrument),
                                               workspace: &workspace, observer: &observer)
        #expect(abs(pool.marginBalance - pool.maintenance) < 1e-6 * pool.maintenance)
    }

    /// Found by fuzzing `ballast serve`: `max-size?isolated=true` of an option answered a size for a group member (the
    /// pool's check never reached the isolated pool that refuses options), an order no fill could make. The trade
    /// itself is refused: an option is never isolated.
    @Test("a trade or max-size search that would isolate an option is refused as a margin mode")
    func isolatedOptionRefused() throws {
        let market = try market(options: try deribit(), coinSettled: false)
        let context = market.context()
        let call = try require(context.catalog.instrument("C45"))
        let account = try market.account(balances: [("USDC", "100000")], positions: [])
        let trade = Trade(instrument: call, size: 10, price: try fixed("800"), isolated: true)
        #expect(throws: TradeError.marginMode(instrument: "C45", reason: "is isolated, but isolated margin applies to futures and perpetuals")) {
            try TradeExecution.plan(trade, account: account, context: context)
        }
        #expect(throws: TradeError.marginMode(instrument: "C45", reason: "is isolated, but isolated margin applies to futures and perpetuals")) {
            try MaxOrderSize.search(account: account, instrument: call, side: .buy, price: try fixed("800"), context: context, isolated: true)
        }
        #expect(try MaxOrderSize.search(account: account, instrument: call, side: .buy, price: try fixed("800"), context: context, isolated: false)
            .size > 0)
    }
}
