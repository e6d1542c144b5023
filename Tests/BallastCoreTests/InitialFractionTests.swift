import BallastCore
import Testing

/// ``InitialFractionLadder``: maintenance as a fraction of the IM at the chosen leverage (HTX, BingX).
@Suite("Maintenance as a fraction of initial margin")
struct InitialFractionTests {
    /// Tiers: 0–500,000 at 100x with factor 0.4; from 500,000 at 50x with factor 0.5.
    func ladder(basis: NotionalBasis = .mark) throws -> MarginSchedule {
        MarginSchedule(shape: .initialFraction(try InitialFractionLadder(floors: [0, 500_000], maxLeverages: [100, 50], adjustmentFactors: [0.4, 0.5])),
                       notionalBasis: basis)
    }

    func figures(size: String, leverage: Double?, schedule: MarginSchedule) throws -> PositionFigures {
        var market = TestMarket()
        try market.asset("USDT", decimals: 6, price: 1)
        try market.asset("BTC", price: 100_000)
        try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", mark: 100_000, schedule: schedule)
        return try PositionFigures(try market.position("BTCUSDT", size: size, entry: "100000", leverage: leverage), in: market.context())
    }

    /// By hand, at a mark of 100,000:
    /// - 1 BTC (V 100,000) at 20x: IM 5,000, MM = 5,000 × 0.4 = 2,000;
    /// - the same without a leverage: the tier's cap, IM 1,000, MM 400;
    /// - 6 BTC (V 600,000, second tier) without a leverage: IM 12,000, MM 6,000; at 100x (above the tier's cap of 50x)
    ///   the cap still applies: the same 12,000 and 6,000.
    @Test("MM = IM at the chosen leverage × the tier's factor, the tier's cap when none or above it")
    func byHand() throws {
        let schedule = try ladder()
        for (size, leverage, initial, maintenance) in [("1", 20.0, 5_000.0, 2_000.0), ("1", nil, 1_000, 400), ("6", nil, 12_000, 6_000),
                                                       ("6", 100, 12_000, 6_000)] as [(String, Double?, Double, Double)] {
            let f = try figures(size: size, leverage: leverage, schedule: schedule)
            #expect(abs(f.initial - initial) < 1e-9, "\(size) at \(String(describing: leverage)): IM")
            #expect(abs(f.maintenance - maintenance) < 1e-9, "\(size) at \(String(describing: leverage)): MM")
            #expect(f.tier == (size == "6" ? 1 : 0))
        }
    }

    /// Isolated long 1 BTC at 30,000 at 10x with 3,000 of margin, factor 0.5:
    /// - MM on the mark, 0.05·X: 3,000 + (X − 30,000) = 0.05·X, X = 27,000/0.95 = 28,421.05… (the numeric search);
    /// - MM on entry, 1,500: X = 30,000 − (3,000 − 1,500) = 28,500 (the closed form).
    @Test("isolated liquidation prices: the search on the mark, the closed form on entry (by hand)",
          arguments: [(NotionalBasis.mark, 27_000 / 0.95, false), (.entry, 28_500, true)])
    func isolatedLiquidation(basis: NotionalBasis, expected: Double, closedForm: Bool) throws {
        var market = TestMarket()
        try market.asset("USDT", decimals: 6, price: 1)
        try market.asset("BTC", price: 30_000)
        try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", mark: 30_000,
                             schedule: MarginSchedule(shape: .initialFraction(try InitialFractionLadder(floors: [0], maxLeverages: [100],
                                                                                                       adjustmentFactors: [0.5])),
                                                      notionalBasis: basis))
        let position = try market.position("BTCUSDT", size: "1", entry: "30000", leverage: 10,
                                           mode: .isolated(margin: try market.units("3000", of: "USDT")))
        let account = try market.account(balances: [], positions: [position])
        let (liquidation, _) = try LiquidationPriceSolver.prices(account: account, slot: 0, context: market.context())
        #expect(liquidation.closedForm == closedForm)
        #expect(abs(try require(liquidation.price) - expected) < 1e-6 * expected)
    }

    @Test("a ladder that breaks a rule names the tier and field", arguments: [
        ([0.0, 10], [10.0, 5], [0.5, 1.5], "tiers[1].adjustment_factor"),   // a factor above 1
        ([1.0], [10.0], [0.5], "tiers[0].floor"),                           // not starting at 0
        ([0.0, 10], [10.0, 0.5], [0.5, 0.5], "tiers[1].max_leverage"),      // below 1
        ([0.0, 10], [10.0, 100], [1, 1], "tiers[1].max_leverage"),          // more leverage for a larger position
        ([0.0, 10], [10.0, 10], [0.5, 0.4], "tiers[1].adjustment_factor"),  // MM at the cap falling with notional
    ])
    func refusals(floors: [Double], leverages: [Double], factors: [Double], field: String) {
        do {
            _ = try InitialFractionLadder(floors: floors, maxLeverages: leverages, adjustmentFactors: factors)
            Issue.record("accepted \(floors) \(leverages) \(factors)")
        } catch {
            #expect(error.field == field)
        }
    }
}
