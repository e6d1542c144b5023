import BallastCore
import Testing

@Suite("Liquidation and bankruptcy prices")
struct LiquidationPriceTests {
    /// The BNB-1 market: USDT cross account, BTCUSDT and ETHUSDT longs; per-position MMR and cum as published.
    func bnbMarket(ethTable: TierTable) throws -> TestMarket {
        var market = TestMarket()
        try market.asset("USDT", price: 1)
        try market.asset("BTC", price: 31_967.27)
        try market.asset("ETH", price: 1_335.18)
        try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", mark: 31_967.27, schedule: try binanceBTCUSDT())
        try market.perpetual("ETHUSDT", underlying: "ETH", quote: "USDT", mark: 1_335.18, schedule: MarginSchedule(shape: .tiered(ethTable)))
        return market
    }

    /// An ETH ladder whose 2 M–5 M bracket has MMR 10 % and cum 135,365, as BNB-1 states for the ETH position.
    func ethLadder() throws -> TierTable {
        try TierTable(floors: [0, 10_000, 100_000, 500_000, 1_000_000, 2_000_000, 5_000_000],
                      maxLeverages: [100, 75, 50, 25, 10, 5, 4], maintenanceRates: [0.005, 0.0065, 0.01, 0.02, 0.05, 0.10, 0.125])
    }

    /// BNB-1 (Binance FAQ via freqtrade): LP_BTC = 26,316.89, LP_ETH = 1,153.26; unrounded 26,316.893265, 1,153.256464.
    @Test("cross liquidation prices of two positions (BNB-1)")
    func binanceCross() throws {
        let market = try bnbMarket(ethTable: try ethLadder())
        let account = try market.account(balances: [("USDT", "1535443.01")], positions: [
            try market.position("BTCUSDT", size: "109.488", entry: "32481.98"),
            try market.position("ETHUSDT", size: "3683.979", entry: "1456.84"),
        ])
        let context = market.context()
        let report = try MarginReport(account: account, context: context)
        let btc = try require(report.positions.first { $0.instrument == "BTCUSDT" })
        let eth = try require(report.positions.first { $0.instrument == "ETHUSDT" })
        #expect(btc.maintenance == (try fixed("71200.811444")))
        #expect(eth.maintenance == (try fixed("356512.508122")))
        #expect(btc.unrealisedPnL == (try fixed("-56354.56848")))
        #expect(eth.unrealisedPnL == (try fixed("-448192.88514")))
        #expect(abs(try require(btc.liquidationPrice.price) - 26_316.893265) < 1e-6)
        #expect(abs(try require(eth.liquidationPrice.price) - 1_153.256464) < 1e-6)
        #expect(!btc.liquidationPrice.breached)
    }

    /// BNB-2: the same positions isolated with 1,535,443.01 each: ETH 1,114.784964, BTC 18,778.725932.
    @Test("isolated liquidation prices in closed form (BNB-2)")
    func binanceIsolated() throws {
        let market = try bnbMarket(ethTable: try ethLadder())
        let margin = try market.units("1535443.01", of: "USDT")
        let account = try market.account(balances: [("USDT", "0")], positions: [
            try market.position("BTCUSDT", size: "109.488", entry: "32481.98", mode: .isolated(margin: margin)),
            try market.position("ETHUSDT", size: "3683.979", entry: "1456.84", mode: .isolated(margin: margin)),
        ])
        let context = market.context()
        for (slot, expected) in [(0, 18_778.725932), (1, 1_114.784964)] {
            let (liquidation, _) = try LiquidationPriceSolver.prices(account: account, slot: slot, context: context)
            #expect(liquidation.closedForm)
            #expect(abs(try require(liquidation.price) - expected) < 1e-6)
        }
    }

    /// BYB-1: isolated long 1 BTC at 20,000, 50×, MMR 0.5 % on entry value: IM 400, MM 100, LP 19,700.
    @Test("isolated liquidation price with margin on entry value (BYB-1)")
    func bybitIsolated() throws {
        var market = TestMarket()
        try market.asset("USDT", price: 1)
        try market.asset("BTC", price: 20_000)
        try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", mark: 20_000,
                             schedule: try flatSchedule(maintenance: 0.005, maxLeverage: 100, basis: .entry))
        let context = market.context()
        let cross = try market.position("BTCUSDT", size: "1", entry: "20000", leverage: 50)
        let figures = try PositionFigures(cross, in: context)
        #expect(abs(figures.initial - 400) < 1e-9)
        #expect(abs(figures.maintenance - 100) < 1e-9)
        let isolated = try market.position("BTCUSDT", size: "1", entry: "20000", leverage: 50, mode: .isolated(margin: try market.units("400", of: "USDT")))
        let account = try market.account(balances: [], positions: [isolated])
        let (liquidation, bankruptcy) = try LiquidationPriceSolver.prices(account: account, slot: 0, context: context)
        #expect(liquidation.price == 19_700)
        // BP = P0·(1 − 1/lev) = 19,600.
        #expect(abs(try require(bankruptcy.price) - 19_600) < 1e-9)
    }

    /// BYB-1's isolated long (LP 19,700, BP 19,600) at marks on either side of both: a price the mark has passed the
    /// way the position loses is breached, the bankruptcy price like the liquidation price (it never was before).
    @Test("isolated closed-form prices are breached once the mark is past them", arguments: [
        (20_000.0, false, false), (19_650.0, true, false), (19_600.0, true, true), (19_500.0, true, true),
    ])
    func isolatedBreached(mark: Double, liquidationBreached: Bool, bankruptcyBreached: Bool) throws {
        var market = TestMarket()
        try market.asset("USDT", price: 1)
        try market.asset("BTC", price: mark)
        try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", mark: mark,
                             schedule: try flatSchedule(maintenance: 0.005, maxLeverage: 100, basis: .entry))
        let isolated = try market.position("BTCUSDT", size: "1", entry: "20000", leverage: 50, mode: .isolated(margin: try market.units("400", of: "USDT")))
        let account = try market.account(balances: [], positions: [isolated])
        let (liquidation, bankruptcy) = try LiquidationPriceSolver.prices(account: account, slot: 0, context: market.context())
        #expect(liquidation.price == 19_700 && liquidation.breached == liquidationBreached)
        #expect(abs(try require(bankruptcy.price) - 19_600) < 1e-9)
        #expect(bankruptcy.breached == bankruptcyBreached)
    }

    /// Inverse isolated (Bybit UTA formulas): PV = Qty/P0, IM = PV/lev, MM = PV·MMR on entry:
    /// LP_long = Qty/(PV + IM − MM), LP_short = Qty/(PV − (IM − MM)); BP_long = P0·lev/(lev + 1), BP_short = P0·lev/(lev − 1).
    @Test("inverse isolated liquidation and bankruptcy prices, long and short", arguments: [1.0, -1.0])
    func inverseIsolated(side: Double) throws {
        var market = TestMarket()
        try market.asset("BTC", price: 50_000)
        try market.perpetual("BTCUSD", underlying: "BTC", quote: "USD", settlement: .inverse, contractSize: "1", lot: "1", tick: "0.5",
                             mark: 50_000, schedule: try flatSchedule(maintenance: 0.005, maxLeverage: 100, basis: .entry))
        let context = market.context()
        let qty = 10_000.0, p0 = 40_000.0, lev = 20.0
        let pv = qty / p0, im = pv / lev, mm = pv * 0.005
        let position = try market.position("BTCUSD", size: side > 0 ? "10000" : "-10000", entry: "40000", leverage: lev,
                                           mode: .isolated(margin: try require(FixedPoint(im, scale: 8, rounding: .up)).units))
        let account = try market.account(balances: [], positions: [position])
        let (liquidation, bankruptcy) = try LiquidationPriceSolver.prices(account: account, slot: 0, context: context)
        let expectedLP = side > 0 ? qty / (pv + (im - mm)) : qty / (pv - (im - mm))
        let expectedBP = side > 0 ? p0 * lev / (lev + 1) : p0 * lev / (lev - 1)
        #expect(abs(try require(liquidation.price) - expectedLP) < 1e-6)
        #expect(abs(try require(bankruptcy.price) - expectedBP) < 1e-6)
    }

    /// The closed forms and the numeric search solve the same equation: feed an isolated position's pool to the search.
    @Test("closed form equals the account-level search for isolated positions (random)")
    func closedFormMatchesSearch() throws {
        var rng = SeededGenerator(seed: 5)
        var solved = 0
        for trial in 0..<60 {
            let inverse = trial % 2 == 1
            let trialCase = try RandomIsolated(inverse: inverse, schedule: try binanceBTCUSDTScaled(inverse: inverse), using: &rng)
            let (account, isolated, mark) = (trialCase.account, trialCase.position, trialCase.mark)
            let context = trialCase.market.context()
            let (closed, _) = try LiquidationPriceSolver.prices(account: account, slot: 0, context: context)
            // The same equation searched numerically: isolated pool, instrument moved by a factor.
            let f = { (factor: Double) throws(MarginError) -> Double in
                let pool = try AccountMargin.isolatedPool(account, slot: 0, context: context.moved(isolated.instrument, by: factor, scope: .instrument)).0
                return pool.marginBalance - pool.maintenance
            }
            let atOne = try f(1)
            let losesDown = isolated.size > 0
            let direction: PriceSearch.Direction = (losesDown != (atOne <= 0)) ? .down : .up
            let factor = try PriceSearch.nearestRoot(direction: direction, valueAtOne: atOne, f)
            switch (closed.price, factor) {
            case (let price?, let factor?):
                solved += 1
                #expect(abs(price - factor * mark) <= 1e-9 * price, "trial \(trial)")
            case (nil, nil):
                break
            default:
                Issue.record("trial \(trial): closed form \(String(describing: closed.price)) vs search \(String(describing: factor.map { $0 * mark }))")
            }
        }
        #expect(solved >= 40, "most random isolated positions have a liquidation price")
    }

    /// At the computed liquidation price, margin balance equals maintenance to within one tick of price movement.
    @Test("at the liquidation price equity equals maintenance to one tick (cross, random accounts)")
    func equityEqualsMaintenanceAtLP() throws {
        var rng = SeededGenerator(seed: 9)
        for trial in 0..<40 {
            var market = TestMarket()
            try market.asset("USDT", price: 1)
            try market.asset("BTC", price: 30_000)
            try market.asset("ETH", price: 2_000)
            try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", tick: "0.1", mark: 30_000, schedule: try binanceBTCUSDT())
            try market.perpetual("ETHUSDT", underlying: "ETH", quote: "USDT", mark: 2_000, schedule: MarginSchedule(shape: .tiered(try ethLadder())))
            try market.perpetual("BTCUSD", underlying: "BTC", quote: "USD", settlement: .inverse, contractSize: "100", lot: "1", tick: "0.5",
                                 mark: 30_000, schedule: try binanceBTCUSDTScaled(inverse: true))
            let btc = String(format3(Double.random(in: -50...50, using: &rng)))
            let eth = String(format3(Double.random(in: -500...500, using: &rng)))
            let inverse = String(Int.random(in: -3_000...3_000, using: &rng))
            var positions: [Position] = []
            if btc != "0.000" { positions.append(try market.position("BTCUSDT", size: btc, entry: "29000")) }
            if eth != "0.000" { positions.append(try market.position("ETHUSDT", size: eth, entry: "2100")) }
            if inverse != "0" { positions.append(try market.position("BTCUSD", size: inverse, entry: "31000")) }
            let account = try market.account(balances: [("USDT", String(Int.random(in: 20_000...400_000, using: &rng))), ("BTC", "0.5")],
                                              positions: positions)
            let context = market.context()
            for slot in account.positions.indices {
                let (liquidation, _) = try LiquidationPriceSolver.prices(account: account, slot: slot, context: context)
                guard let price = liquidation.price else { continue }
                let instrument = account.positions[slot].instrument
                let mark = context.instruments[instrument.index].mark
                let tick = context.catalog[instrument: instrument].tickSize.doubleValue
                var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
                var observer = NoObserver()
                func gap(_ p: Double) throws -> Double {
                    let pool = try AccountMargin.crossPool(account, context: context.moved(instrument, by: p / mark, scope: .instrument),
                                                           workspace: &workspace, observer: &observer)
                    return pool.marginBalance - pool.maintenance
                }
                // The sign of equity − MM changes within one tick around the liquidation price.
                let below = try gap(price - tick), at = try gap(price), above = try gap(price + tick)
                #expect((below <= 0) != (above <= 0) || abs(at) < 1e-6 * max(1, abs(below)), "trial \(trial) slot \(slot)")
            }
        }
    }

    @Test("no liquidation price when no price liquidates (fully collateralised long, coin-backed inverse short)")
    func none() throws {
        var market = TestMarket()
        try market.asset("USDT", price: 1)
        try market.asset("BTC", price: 30_000)
        try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", mark: 30_000, schedule: try binanceBTCUSDT())
        try market.perpetual("BTCUSD", underlying: "BTC", quote: "USD", settlement: .inverse, contractSize: "100", lot: "1", tick: "0.5",
                             mark: 30_000, schedule: try binanceBTCUSDTScaled(inverse: true))
        let context = market.context()
        // A 1 BTC long backed by 40,000 USDT cannot lose more than 30,000.
        let long = try market.account(balances: [("USDT", "40000")], positions: [try market.position("BTCUSDT", size: "1", entry: "30000")])
        #expect(try LiquidationPriceSolver.prices(account: long, slot: 0, context: context).liquidation.price == nil)
        // A short of 3,000 USD face (0.1 BTC at entry) backed by 1 BTC: the coin loss is bounded by 0.1 BTC.
        let short = try market.account(balances: [("BTC", "1")], positions: [try market.position("BTCUSD", size: "-30", entry: "30000")])
        #expect(try LiquidationPriceSolver.prices(account: short, slot: 0, context: context).liquidation.price == nil)
    }
}

/// The Binance BTCUSDT ladder, rescaled to coin notionals for inverse tests (floors ÷ 30,000).
func binanceBTCUSDTScaled(inverse: Bool) throws -> MarginSchedule {
    guard inverse else { return try binanceBTCUSDT() }
    return MarginSchedule(shape: .tiered(try TierTable(
        floors: [0, 50_000, 250_000, 1_000_000, 10_000_000, 20_000_000].map { $0 / 30_000 },
        maxLeverages: [125, 100, 50, 20, 10, 5], maintenanceRates: [0.004, 0.005, 0.01, 0.025, 0.05, 0.10])))
}

/// A positive or negative number with three decimals, as text.
func format3(_ value: Double) -> String {
    let units = Int((value * 1000).rounded())
    let sign = units < 0 ? "-" : ""
    let magnitude = abs(units)
    let fraction = String(magnitude % 1000)
    return sign + String(magnitude / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
}
