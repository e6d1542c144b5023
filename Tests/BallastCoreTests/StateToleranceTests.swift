import BallastCore
import Foundation
import Testing

@Suite("State tolerance")
struct StateToleranceTests {
    /// A market with linear and inverse perpetuals (one with maintenance on the entry notional, two with a fee to
    /// close), a short-dated option pair and haircut collateral.
    static func market() throws -> TestMarket {
        var market = TestMarket()
        try market.asset("USDC", decimals: 6, price: 1)
        try market.asset("BTC", price: 60_000)
        try market.asset("ETH", price: 3_000)
        try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDC", lot: "0.001", tick: "0.1", mark: 60_010, schedule: try binanceBTCUSDT())
        try market.perpetual("ETHUSDT", underlying: "ETH", quote: "USDC", lot: "0.01", tick: "0.01", mark: 2_999,
                             schedule: MarginSchedule(shape: .tiered(try TierTable(floors: [0], maxLeverages: [50], maintenanceRates: [0.01])),
                                                      notionalBasis: .entry, closeFeeRate: 0.0006))
        try market.perpetual("BTCUSD", underlying: "BTC", quote: "USD", settlement: .inverse, contractSize: "100", lot: "1", tick: "0.1",
                             mark: 60_005, schedule: MarginSchedule(shape: .tiered(try TierTable(
                                floors: [0, 5, 10], maxLeverages: [125, 50, 20], maintenanceRates: [0.004, 0.01, 0.025])), closeFeeRate: 0.00075))
        let expiry = Timestamp(millisecondsSinceEpoch: market.time.millisecondsSinceEpoch + 20 * 86_400_000)
        try market.future("BTC-C-65000", kind: .option(right: .call, strike: 65_000, expiry: expiry), underlying: "BTC", quote: "USDC",
                          lot: "0.01", tick: "0.5", mark: 1_200, schedule: nil)
        try market.future("BTC-P-55000", kind: .option(right: .put, strike: 55_000, expiry: expiry), underlying: "BTC", quote: "USDC",
                          lot: "0.01", tick: "0.5", mark: 900, schedule: nil)
        market.haircuts["BTC"] = try HaircutSchedule(bound: .value, floors: [0, 1_000_000], ratios: [0.95, 0.8], liabilityWeight: 1.1)
        market.haircuts["ETH"] = try HaircutSchedule(bound: .quantity, floors: [0, 50], ratios: [0.9, 0.7])
        market.options["BTC"] = try OptionMarginParameters(
            call: ShortOptionRates(otmInitialRate: 0.15, minimumInitialRate: 0.10, maintenanceRate: 0.075),
            put: ShortOptionRates(otmInitialRate: 0.15, minimumInitialRate: 0.10, maintenanceRate: 0.075, maintenanceMarkRate: 0.075,
                                  initialAtLeastMaintenance: true))
        return market
    }

    /// The state and tolerances of `account`'s cross pool.
    static func evaluate(_ account: Account, _ context: RiskContext) throws -> (HealthState, [PriceTolerance]) {
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        var sensitivity = PoolSensitivity()
        let pool = try AccountMargin.crossPool(account, context: context, workspace: &workspace, observer: &sensitivity)
        let money = try pool.money(decimals: context.valuationDecimals)
        let state = context.healthThresholds.state(marginBalance: money.marginBalance, equity: money.equity, maintenance: money.maintenance)
        var tolerance = StateTolerance(assetCount: context.catalog.assets.count)
        var output: [PriceTolerance] = []
        tolerance.cross(sensitivity: sensitivity, money: money, state: state, context: context,
                        slopes: MaintenanceSlopes(context: context), into: &output)
        return (state, output)
    }

    @Test("no move within the tolerances changes the state (random books, random moves of every price of every group)")
    func movesWithinToleranceKeepTheState() throws {
        let market = try Self.market()
        let context = market.context()
        var rng = SeededGenerator(seed: 77)
        func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
        let symbols = ["BTCUSDT", "ETHUSDT", "BTCUSD", "BTC-C-65000", "BTC-P-55000"]
        let entries = ["BTCUSDT": 60_000.0, "ETHUSDT": 3_000, "BTCUSD": 60_000, "BTC-C-65000": 1_000, "BTC-P-55000": 1_000]
        var checked = 0
        var positive = 0
        for _ in 0..<400 {
            var positions: [Position] = []
            for symbol in symbols where uniform() < 0.6 {
                let sign = uniform() < 0.5 ? "-" : ""
                let size: String
                switch symbol {
                case "BTCUSD": size = "\(sign)\(1 + Int(uniform() * 2_000))"
                case "ETHUSDT": size = "\(sign)\(1 + Int(uniform() * 30)).00"
                default: size = "\(sign)\(Int(uniform() * 3) + 1).\(Int(uniform() * 9))0"
                }
                let entry = (entries[symbol] ?? 1) * (0.9 + 0.2 * uniform())
                let tick = symbol.hasPrefix("BTC-") ? 0.5 : 0.1
                positions.append(try market.position(symbol, size: size, entry: String(format: "%.1f", (entry / tick).rounded() * tick)))
            }
            let usdc = String(format: "%.2f", 2_000 + uniform() * 60_000)
            let btc = uniform() < 0.4 ? String(format: "%.4f", uniform() * 2 - 0.3) : "0"
            let account = try market.account(balances: [("USDC", usdc), ("BTC", btc), ("ETH", String(format: "%.2f", uniform() * 5))],
                                             positions: positions)
            let (state, tolerances) = try Self.evaluate(account, context)
            positive += tolerances.contains { $0.move > 0 } ? 1 : 0
            for _ in 0..<20 {
                var moved = market
                for (symbol, price) in market.indexPrices {
                    let group = try require(context.catalog.asset(symbol))
                    let move = tolerances.first { $0.group == group }?.move ?? 0
                    moved.indexPrices[symbol] = price * (1 + move * (2 * uniform() - 1))
                }
                for (symbol, mark) in market.marks {
                    let group = context.catalog[instrument: try require(context.catalog.instrument(symbol))].underlying
                    let move = tolerances.first { $0.group == group }?.move ?? 0
                    moved.marks[symbol] = mark * (1 + move * (2 * uniform() - 1))
                }
                let (after, _) = try Self.evaluate(account, moved.context())
                #expect(after == state, "state \(state) → \(after) within tolerances \(tolerances)")
                checked += 1
            }
        }
        #expect(checked == 8_000)
        #expect(positive > 200)
    }

    @Test("a 10x BTC long has a tolerance of a few percent (hand bound) and none in a group it does not touch")
    func handBound() throws {
        let market = try Self.market()
        let context = market.context()
        // 1 BTC long at the 60,010 mark, 6,001 USDC: MB = 6,001, MM = 60,010 × 0.5 % − 50 = 250.05 (tier 2).
        let account = try market.account(balances: [("USDC", "6001")], positions: [try market.position("BTCUSDT", size: "1", entry: "60010")])
        let (state, tolerances) = try Self.evaluate(account, context)
        #expect(state == .healthy)
        // Slack to the warning line: 6,001 − 1.5 × 250.05 = 5,625.925 (less the rounding allowance). K_BTC = (60,010 +
        // 1.5 × 0.005 × 60,010) × 1 × 1.25 = 75,575.09; K_USDC = 6,001 (equity at price 1) + 1.5 × 250.05 = 6,376.075.
        // Two groups: ε_BTC = 5,625.925 / (2 × 75,575.09) = 3.722 %, ε_USDC = 5,625.925 / (2 × 6,376.075) = 25 % (capped).
        let btc = try #require(tolerances.first { $0.group == context.catalog.asset("BTC") })
        let usdc = try #require(tolerances.first { $0.group == context.catalog.asset("USDC") })
        #expect(abs(btc.move - 5_625.925 / (2 * 75_575.0875)) < 1e-6)
        #expect(usdc.move == StateTolerance.maximumMove)
        #expect(!tolerances.contains { $0.group == context.catalog.asset("ETH") })
    }

    /// Each instrument's slope comes from its own ladder, the ladders laid one after another:
    /// - BTCUSDT (Binance ladder, no fee): the rate of the tier holding the notional, 0.4 % below 50,000, 0.5 % from
    ///   it, 10 % from 20 M;
    /// - ETHUSDT (one tier of 1 % on the entry notional, a fee of 0.06 % at the mark): 1.06 % at any notional;
    /// - BTCUSD (floors 0, 5, 10 at 0.4 %, 1 %, 2.5 %, a fee of 0.075 %): 0.475 %, 1.075 %, 2.575 %;
    /// - the options have no schedule: no bound.
    @Test("maintenance slopes: each ladder's own tier rate plus a fee at the mark, none for options")
    func slopesPerInstrument() throws {
        let context = try Self.market().context()
        let slopes = MaintenanceSlopes(context: context)
        func bound(_ symbol: String, _ upTo: Double) throws -> Double? {
            slopes.bound(try #require(context.catalog.instrument(symbol)), upTo: upTo, maintenance: 0, notional: 0)
        }
        let cases: [(String, Double, Double)] = [
            ("BTCUSDT", 49_999, 0.004), ("BTCUSDT", 50_000, 0.005), ("BTCUSDT", 20_000_000, 0.10), ("BTCUSDT", 1e12, 0.50),
            ("ETHUSDT", 0, 0.0106), ("ETHUSDT", 1e9, 0.0106),
            ("BTCUSD", 4.99, 0.00475), ("BTCUSD", 5, 0.01075), ("BTCUSD", 10, 0.02575),
        ]
        for (symbol, upTo, rate) in cases {
            let slope = try #require(try bound(symbol, upTo))
            #expect(abs(slope - rate) < 1e-15, "\(symbol) up to \(upTo)")
        }
        #expect(try bound("BTC-C-65000", 1_000) == nil)
        #expect(try bound("BTC-P-55000", 1_000) == nil)
    }
}
