@testable import BallastCore
import Testing

/// The tolerance bound of a position whose MM carries a fee to close: the fee is on the mark notional, so even an
/// entry-notional schedule's MM moves with the price by f·V (``StateTolerance`` would otherwise allow moves that
/// change the state).
@Suite("Fee to close in the state tolerance")
struct CloseFeeToleranceTests {
    /// 2 BTC at a mark of 50,000 (V = 100,000 USDT), flat MMR 0.5 %, fee 0.06 %, linear (no inverse growth factor):
    /// - entry basis: dE = V = 100,000, dMM = f·V = 60 (0 without the fee);
    /// - mark basis: dMM = (MMR + f)·V = 560.
    /// A fee at the bankruptcy price from entry does not move: dMM = 0 on entry, MMR·V = 500 on the mark.
    @Test("dMM per unit move: f·V on entry, (MMR + f)·V on the mark; a fee at the bankruptcy price adds nothing", arguments: [
        (NotionalBasis.entry, 0.0006, CloseFeeBasis.mark, 60.0), (.entry, 0, .mark, 0), (.mark, 0.0006, .mark, 560), (.mark, 0, .mark, 500),
        (.entry, 0.0006, .bankruptcy, 0), (.mark, 0.0006, .bankruptcy, 500),
    ])
    func sensitivity(basis: NotionalBasis, fee: Double, feeBasis: CloseFeeBasis, expected: Double) throws {
        var market = TestMarket()
        try market.asset("USDT", decimals: 6, price: 1)
        try market.asset("BTC", price: 50_000)
        try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", mark: 50_000, schedule: MarginSchedule(
            shape: .tiered(try TierTable(floors: [0], maxLeverages: [100], maintenanceRates: [0.005])), notionalBasis: basis, closeFeeRate: fee,
            closeFeeBasis: feeBasis))
        let context = market.context()
        let position = try market.position("BTCUSDT", size: "2", entry: "48000")
        let figures = try PositionFigures(position, in: context)
        let (dE, dMM) = try #require(StateTolerance.sensitivity(position.instrument, figures: figures, risk: context.instruments[0],
                                                                 slopes: MaintenanceSlopes(context: context)))
        #expect(abs(dE - 100_000) < 1e-9)
        #expect(abs(dMM - expected) < 1e-9)
    }
}
