import BallastCore
import Testing

/// The fee to close (``MarginSchedule/closeFeeRate``): reserved in both requirements on the mark notional, so the
/// liquidation price comes earlier by it, and the bankruptcy price is where equity just pays it.
@Suite("Fee to close in requirements, liquidation and bankruptcy prices")
struct CloseFeeTests {
    static let fee = 0.00075

    func schedule(maintenance: Double, maxLeverage: Double, basis: NotionalBasis, fee: Double = CloseFeeTests.fee) throws -> MarginSchedule {
        MarginSchedule(shape: .tiered(try TierTable(floors: [0], maxLeverages: [maxLeverage], maintenanceRates: [maintenance])),
                       notionalBasis: basis, closeFeeRate: fee)
    }

    /// Linear cross, hand-derived: 10,000 USDT, long 2 BTC at 50,000, mark 50,000, MMR 0.5 % on the mark, fee 0.075 %.
    /// MM = 100,000 × (0.005 + 0.00075) = 575; IM at 10x = 10,000 + 75 = 10,075.
    /// LP: 10,000 + 2·(X − 50,000) = 2·X·0.00575 → X = 90,000/1.9885 = 45,260.246…
    /// BP: 10,000 + 2·(X − 50,000) = 2·X·0.00075 → X = 90,000/1.9985 = 45,033.775…
    @Test("linear cross: requirements carry the fee; liquidation and bankruptcy prices by hand")
    func linearCross() throws {
        let (account, context) = try twoBitcoinLongCross(schedule: try schedule(maintenance: 0.005, maxLeverage: 20, basis: .mark))
        let figures = try PositionFigures(account.positions[0], in: context)
        #expect(abs(figures.maintenance - 575) < 1e-9)
        #expect(abs(figures.initial - 10_075) < 1e-9)
        let (liquidation, bankruptcy) = try LiquidationPriceSolver.prices(account: account, slot: 0, context: context)
        #expect(abs(try require(liquidation.price) - 90_000 / 1.9885) < 1e-6)
        #expect(abs(try require(bankruptcy.price) - 90_000 / 1.9985) < 1e-6)
    }

    /// Isolated closed forms against the search of the same pool, over random positions of both forms and both
    /// notional bases with a fee: margin balance − MM is 0 at the liquidation price, and at the bankruptcy price
    /// equity equals the fee to close there: |q|·m·X·f (inverse |q|·m·f/X) on the mark basis; on the bankruptcy basis
    /// the fee of the snapshot, which does not move with the price. The third case values the fee at the bankruptcy
    /// price in IM only (Phemex), so the prices follow the mark basis of its maintenance; the fourth at the mark in IM
    /// only, so they follow the bankruptcy basis (the flat tiers of the hot path, which value it at the mark, must not
    /// take that schedule).
    @Test("isolated closed forms with a fee solve their equations (random, linear and inverse, mark and entry)",
          arguments: [(CloseFeeBasis.mark, CloseFeeBasis.mark), (.bankruptcy, .bankruptcy), (.bankruptcy, .mark), (.mark, .bankruptcy)])
    func isolatedClosedForms(initialBasis: CloseFeeBasis, feeBasis: CloseFeeBasis) throws {
        var rng = SeededGenerator(seed: initialBasis != feeBasis ? (feeBasis == .mark ? 0x5E7 : 0x5E8) : feeBasis == .mark ? 0xFEE : 0xB4F)
        var solved = 0
        for trial in 0..<80 {
            let inverse = trial % 2 == 1
            let basis: NotionalBasis = trial % 4 < 2 ? .mark : .entry
            var fees = try schedule(maintenance: 0.004, maxLeverage: 50, basis: basis, fee: 0.0006)
            fees.closeFeeBasis = initialBasis
            fees.maintenanceCloseFeeBasis = feeBasis
            let trialCase = try RandomIsolated(inverse: inverse, schedule: fees, using: &rng)
            let context = trialCase.market.context()
            if try checkedClosedFormLiquidation(trialCase.account, context: context, mark: trialCase.mark, trial: trial) != nil { solved += 1 }
            let (_, bankruptcy) = try LiquidationPriceSolver.prices(account: trialCase.account, slot: 0, context: context)
            guard let price = bankruptcy.price else { continue }
            let pool = try trialCase.pool(at: price)
            let atX = try PositionFigures(trialCase.position, in: context.moved(trialCase.position.instrument, by: price / trialCase.mark,
                                                                                 scope: .instrument)).closeFee
            // On the bankruptcy basis, by hand: no leverage, so r is the ladder's 1/50; the entry value |C| times
            // (1 ∓ r) for a linear long/short, (1 ± r) for inverse, times the fee rate.
            let long = trialCase.position.size > 0
            let factor = (long != inverse) ? 1 - 0.02 : 1 + 0.02
            let expected = feeBasis == .mark
                ? (inverse ? trialCase.units * 0.0006 / price : trialCase.units * price * 0.0006)
                : abs(Double(trialCase.position.cost) * 1e-18) * factor * 0.0006
            #expect(abs(atX - expected) <= 1e-12 * expected, "trial \(trial): fee at the bankruptcy price")
            // In the valuation currency: the settlement asset's price is 1 (USDT) or 30,000 (BTC, not moved).
            let feeValue = expected * (inverse ? 30_000 : 1)
            #expect(abs(pool.equity - feeValue) <= 1e-7 * max(1, feeValue), "trial \(trial) BP \(price)")
        }
        #expect(solved >= 50)
    }

    /// Without a fee every figure is the one of a schedule that has none.
    @Test("a zero fee changes nothing")
    func zeroFee() throws {
        var market = TestMarket()
        try market.asset("USDT", decimals: 6, price: 1)
        try market.asset("BTC", price: 50_000)
        try market.perpetual("A", underlying: "BTC", quote: "USDT", mark: 50_000, schedule: try schedule(maintenance: 0.005, maxLeverage: 20, basis: .mark, fee: 0))
        try market.perpetual("B", underlying: "BTC", quote: "USDT", mark: 50_000, schedule: try flatSchedule(maintenance: 0.005, maxLeverage: 20))
        let context = market.context()
        let a = try PositionFigures(try market.position("A", size: "2", entry: "48000", leverage: 10), in: context)
        let b = try PositionFigures(try market.position("B", size: "2", entry: "48000", leverage: 10), in: context)
        #expect(a.initial == b.initial && a.maintenance == b.maintenance)
    }
}
