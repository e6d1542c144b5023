import BallastCore
import Testing

/// The fixed margin per open position (``MarginSchedule/fixedMarginPerPosition``, Synthetix v3's
/// `minimumPositionMargin`): a constant of the settlement asset in both requirements, so it moves the liquidation price
/// by c/|q| (linear) and leaves the bankruptcy price alone.
@Suite("Fixed margin per open position")
struct FixedPositionMarginTests {
    func schedule(maintenance: Double, basis: NotionalBasis, fixed: Double) throws -> MarginSchedule {
        MarginSchedule(shape: .tiered(try TierTable(floors: [0], maxLeverages: [50], maintenanceRates: [maintenance])),
                       notionalBasis: basis, fixedMarginPerPosition: fixed)
    }

    /// Linear cross, hand-derived: 10,000 USDT, long 2 BTC at 50,000 (mark 50,000), MMR 0.5 % on the mark, c = 100 USDT,
    /// 10x. MM = 100,000 × 0.005 + 100 = 600; IM = 10,000 + 100 = 10,100.
    /// LP: 10,000 + 2·(X − 50,000) = 2·X·0.005 + 100 → X = 90,100/1.99 = 45,276.381…
    /// BP: 10,000 + 2·(X − 50,000) = 0 → X = 45,000 (the fixed margin is not paid to anyone).
    @Test("linear cross: both requirements carry it; liquidation price by hand; bankruptcy price unmoved")
    func linearCross() throws {
        let (account, context) = try twoBitcoinLongCross(schedule: try schedule(maintenance: 0.005, basis: .mark, fixed: 100))
        let figures = try PositionFigures(account.positions[0], in: context)
        #expect(abs(figures.maintenance - 600) < 1e-9)
        #expect(abs(figures.initial - 10_100) < 1e-9)
        let (liquidation, bankruptcy) = try LiquidationPriceSolver.prices(account: account, slot: 0, context: context)
        #expect(abs(try require(liquidation.price) - 90_100 / 1.99) < 1e-6)
        #expect(abs(try require(bankruptcy.price) - 45_000) < 1e-6)
    }

    /// Isolated closed forms, hand-derived (c = 50 USDT linear; c = 0.001 BTC inverse):
    /// - linear long 1 BTC at 20,000 with 400 USDT, MMR 0.5 % on the mark: 400 + X − 20,000 = 0.005·X + 50
    ///   → X = 19,650/0.995 = 19,748.743…; on entry MM = 100 + 50 = 150 → X = 19,750; bankruptcy 19,600 in both;
    /// - inverse long 100 contracts of 100 USD (10,000 USD) at 8,000 with 0.5 BTC, MMR 0.5 % on the mark:
    ///   0.5 + 10,000·(1/8,000 − 1/X) = 10,000·0.005/X + 0.001 → X = 10,050/1.749 = 5,746.140…; bankruptcy
    ///   10,000/1.75 = 5,714.285….
    @Test("isolated closed forms by hand: linear on mark and on entry, inverse on mark")
    func isolatedByHand() throws {
        for (basis, expected) in [(NotionalBasis.mark, 19_650 / 0.995), (.entry, 19_750)] {
            var market = TestMarket()
            try market.asset("USDT", decimals: 6, price: 1)
            try market.asset("BTC", price: 20_000)
            try market.perpetual("P", underlying: "BTC", quote: "USDT", mark: 20_000, schedule: try schedule(maintenance: 0.005, basis: basis, fixed: 50))
            let position = try market.position("P", size: "1", entry: "20000", mode: .isolated(margin: try market.units("400", of: "USDT")))
            let account = try market.account(balances: [], positions: [position])
            let (liquidation, bankruptcy) = try LiquidationPriceSolver.prices(account: account, slot: 0, context: market.context())
            #expect(liquidation.closedForm)
            #expect(abs(try require(liquidation.price) - expected) < 1e-6, "\(basis)")
            #expect(abs(try require(bankruptcy.price) - 19_600) < 1e-6, "\(basis)")
        }

        var market = TestMarket()
        try market.asset("BTC", price: 8_000)
        try market.perpetual("P", underlying: "BTC", quote: "USD", settlement: .inverse, contractSize: "100", lot: "1", tick: "0.5", mark: 8_000,
                             schedule: try schedule(maintenance: 0.005, basis: .mark, fixed: 0.001))
        let position = try market.position("P", size: "100", entry: "8000", mode: .isolated(margin: try market.units("0.5", of: "BTC")))
        let account = try market.account(balances: [], positions: [position])
        let (liquidation, bankruptcy) = try LiquidationPriceSolver.prices(account: account, slot: 0, context: market.context())
        #expect(abs(try require(liquidation.price) - 10_050 / 1.749) < 1e-6)
        #expect(abs(try require(bankruptcy.price) - 10_000 / 1.75) < 1e-6)
    }

    /// The isolated closed forms with a fixed margin (and a fee to close) against the pool they solve, over random
    /// positions of both forms and both notional bases: at the liquidation price margin balance − MM is 0.
    @Test("isolated closed forms with a fixed margin solve their equation (random, linear and inverse, mark and entry)")
    func isolatedClosedForms() throws {
        var rng = SeededGenerator(seed: 0xF1ED)
        var solved = 0
        for trial in 0..<80 {
            let inverse = trial % 2 == 1
            let basis: NotionalBasis = trial % 4 < 2 ? .mark : .entry
            var fixedSchedule = try schedule(maintenance: 0.004, basis: basis, fixed: inverse ? 0.002 : 40)
            fixedSchedule.closeFeeRate = trial % 8 < 4 ? 0 : 0.0006
            let trialCase = try RandomIsolated(inverse: inverse, schedule: fixedSchedule, using: &rng)
            if try checkedClosedFormLiquidation(trialCase.account, context: trialCase.market.context(), mark: trialCase.mark, trial: trial) != nil {
                solved += 1
            }
        }
        #expect(solved >= 50)
    }

    /// The amount is per open position: two positions under the same schedule carry it twice, and it is the same at
    /// any size (a size-scaled schedule with zero rates leaves only the fixed part).
    @Test("counted once per open position, whatever its size")
    func perPosition() throws {
        var market = TestMarket()
        try market.asset("USDC", decimals: 6, price: 1)
        try market.asset("ETH", price: 2_000)
        try market.asset("SOL", price: 100)
        let onlyFixed = MarginSchedule(shape: .sizeScaled(try SizeScaledRates(baseInitialRate: 1e-12, baseMaintenanceRate: 1e-12,
                                                                              initialPerUnit: 0, maintenancePerUnit: 0)),
                                       fixedMarginPerPosition: 250)
        try market.perpetual("ETH-PERP", underlying: "ETH", quote: "USDC", mark: 2_000, schedule: onlyFixed)
        try market.perpetual("SOL-PERP", underlying: "SOL", quote: "USDC", mark: 100, schedule: onlyFixed)
        let context = market.context()
        for sizes in [("0.001", "1"), ("500", "-20000")] {
            let account = try market.account(balances: [("USDC", "1000000")],
                                             positions: [try market.position("ETH-PERP", size: sizes.0, entry: "2000"),
                                                         try market.position("SOL-PERP", size: sizes.1, entry: "100")])
            var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
            let summary = try MarginSummary(account, context: context, workspace: &workspace)
            let scale = (0..<summary.cross.decimals).reduce(1.0) { product, _ in product * 10 }
            #expect(abs(Double(summary.cross.maintenance) / scale - 500) < 0.01, "\(sizes)")
            #expect(abs(Double(summary.cross.initial) / scale - 500) < 0.01, "\(sizes)")
        }
    }
}
