import BallastCore
import Testing

/// Ladders whose floors count contracts (``TierTable/Measure/contracts``), as OKX's position tiers: the size picks the
/// tier, whose rates apply to the whole notional without a deduction. The ladder below follows the shape of OKX's
/// BTC perpetual tiers as a third-party guide prints them ("tier 1: 0–20,000 contracts, 0.50 % maintenance, 1.00 %
/// initial, 100x … a 60,000-contract position falls under tier 4, 2 % maintenance, 20x"); the rates between are
/// illustrative. Contracts of 0.01 BTC, linear in USDT.
@Suite("Tiers measured in contracts")
struct ContractTierTests {
    static func ladder() throws -> MarginSchedule {
        MarginSchedule(shape: .tiered(try TierTable(floors: [0, 20_000, 40_000, 60_000], maxLeverages: [100, 66.66, 50, 20],
                                                    maintenanceRates: [0.005, 0.01, 0.015, 0.02], measure: .contracts)))
    }

    func market(mark: Double, inverse: Bool = false) throws -> TestMarket {
        var market = TestMarket()
        try market.asset("USDT", decimals: 6, price: 1)
        try market.asset("BTC", price: mark)
        try market.perpetual("BTC-USDT-SWAP", underlying: "BTC", quote: inverse ? "USD" : "USDT", settlement: inverse ? .inverse : .linear,
                             contractSize: inverse ? "100" : "0.01", lot: "1", tick: "0.1", mark: mark, schedule: try Self.ladder())
        return market
    }

    /// By hand: 60,000 contracts × 0.01 BTC = 600 BTC. At 30,000 the notional is 18,000,000: tier 4 (its floor is
    /// 60,000 contracts), MM = 2 % = 360,000 and IM at the tier's 20x = 900,000. At 300 (notional 180,000) the tier is
    /// still 4: MM 3,600. 59,999 contracts (17,999,700) fall in tier 3 (1.5 %, 50x): the requirement steps at the floor,
    /// with no deduction. −20,000 contracts (6,000,000) are in tier 2: 1 % and 1/66.66. (Tiers 1-based here, 0-based in
    /// the figures.)
    @Test("the size picks the tier at any price; the tier's rates apply to the whole notional")
    func tierBySize() throws {
        for (mark, size, tier, maintenance, initial) in [(30_000.0, "60000", 3, 360_000.0, 900_000.0), (300, "60000", 3, 3_600, 9_000),
                                                          (30_000, "59999", 2, 17_999_700 * 0.015, 17_999_700 / 50),
                                                          (30_000, "-20000", 1, 6_000_000 * 0.01, 6_000_000 / 66.66)] {
            let market = try market(mark: mark)
            let context = market.context()
            let figures = try PositionFigures(try market.position("BTC-USDT-SWAP", size: size, entry: "30000"), in: context)
            #expect(figures.tier == tier, "\(size) at \(mark)")
            #expect(abs(figures.maintenance - maintenance) <= 1e-9 * maintenance, "\(size) at \(mark)")
            #expect(abs(figures.initial - initial) <= 1e-9 * initial, "\(size) at \(mark)")
        }
    }

    /// Isolated, by hand: long 60,000 contracts (600 BTC) at 30,000 with 1,000,000 USDT; tier 4 whatever the price:
    /// 1,000,000 + 600·(X − 30,000) = 600·X·0.02 → X = 17,000,000/588 = 28,911.564…; bankruptcy 17,000,000/600.
    @Test("isolated closed form: the tier of the size, no tier search")
    func isolatedByHand() throws {
        let market = try market(mark: 30_000)
        let position = try market.position("BTC-USDT-SWAP", size: "60000", entry: "30000", mode: .isolated(margin: try market.units("1000000", of: "USDT")))
        let account = try market.account(balances: [], positions: [position])
        let (liquidation, bankruptcy) = try LiquidationPriceSolver.prices(account: account, slot: 0, context: market.context())
        #expect(liquidation.closedForm)
        #expect(abs(try require(liquidation.price) - 17_000_000 / 588) < 1e-6)
        #expect(abs(try require(bankruptcy.price) - 17_000_000 / 600) < 1e-6)
    }

    /// The isolated closed forms against the pool they solve, over random positions of both forms (sizes across all
    /// four tiers): at the liquidation price margin balance − MM is 0.
    @Test("isolated closed forms solve their equation (random, linear and inverse)")
    func isolatedClosedForms() throws {
        var rng = SeededGenerator(seed: 0xC0_17AC)
        var solved = 0
        for trial in 0..<60 {
            let inverse = trial % 2 == 1
            let mark = Double.random(in: 20_000...40_000, using: &rng).rounded()
            let market = try market(mark: mark, inverse: inverse)
            let contracts = Int.random(in: 1...80_000, using: &rng) * (Bool.random(using: &rng) ? 1 : -1)
            let entry = String(Int(mark * Double.random(in: 0.9...1.1, using: &rng)))
            let margin = format3(inverse ? Double.random(in: 0.01...20, using: &rng) : Double.random(in: 500...2_000_000, using: &rng))
            let position = try market.position("BTC-USDT-SWAP", size: String(contracts), entry: entry,
                                               mode: .isolated(margin: try market.units(margin, of: inverse ? "BTC" : "USDT")))
            let account = try market.account(balances: [], positions: [position])
            if try checkedClosedFormLiquidation(account, context: market.context(), mark: mark, trial: trial) != nil { solved += 1 }
        }
        #expect(solved >= 40)
    }

    @Test("a contracts ladder refuses deductions and the sliced rule")
    func refused() {
        #expect(throws: ParameterError.self) {
            try TierTable(floors: [0, 10], maxLeverages: [10, 5], maintenanceRates: [0.01, 0.02], statedDeductions: [0, 0], measure: .contracts)
        }
        #expect(throws: ParameterError.self) {
            try TierTable(floors: [0, 10], maxLeverages: [10, 5], maintenanceRates: [0.01, 0.02], initialRule: .sliced, measure: .contracts)
        }
    }
}
