import BallastCore
import Testing

/// ``LiquidationPrice/tickRounded(tick:mark:)``: toward the mark, a price on a tick up to floating-point noise stays on
/// it, and the result is the decimal ticks × tick.
@Suite("Liquidation prices at the tick")
struct TickRoundingTests {
    /// BitMEX's liquidation example (long 1 contract at 100.00: liquidation 99.50, bankruptcy 99.00) as a closed form
    /// computes 99.50000000000001 and 99.00000000000001; taken literally, rounding toward the mark gives 99.51 and 99.01
    /// (and 100, the mark itself, at a 0.5 tick).
    @Test("a price one ulp off a tick stays on it (BitMEX 99.50 and 99.00)", arguments: ["0.01", "0.5"])
    func noiseOnTick(tick: String) throws {
        let tickSize = try fixed(tick)
        #expect(LiquidationPrice(price: 99.50000000000001).tickRounded(tick: tickSize, mark: 100) == 99.5)
        #expect(LiquidationPrice(price: 99.00000000000001).tickRounded(tick: tickSize, mark: 100) == 99)
        // The same noise on the other side of a short's price above the mark.
        #expect(LiquidationPrice(price: 100.49999999999999).tickRounded(tick: tickSize, mark: 100) == 100.5)
    }

    /// A price genuinely between ticks goes toward the mark: a long's below the mark up, a short's above it down.
    @Test("between ticks: toward the mark")
    func towardMark() throws {
        let cent = try fixed("0.01")
        #expect(LiquidationPrice(price: 99.504).tickRounded(tick: cent, mark: 100) == 99.51)
        #expect(LiquidationPrice(price: 100.496).tickRounded(tick: cent, mark: 100) == 100.49)
        #expect(LiquidationPrice(price: 26_316.893265).tickRounded(tick: cent, mark: 31_967.27) == 26_316.9)
    }

    /// dYdX's isolated example (liquidation ≈ 3,174.60 = 10,000/3.15): at a 0.1 tick the result is the decimal 3,174.6,
    /// not 31,746 × 0.1 = 3,174.6000000000004; no price or a zero tick gives none.
    @Test("the result is the decimal at the tick; none without a price or a tick")
    func decimalResult() throws {
        #expect(LiquidationPrice(price: 10_000 / 3.15).tickRounded(tick: try fixed("0.1"), mark: 3_000) == 3_174.6)
        #expect(LiquidationPrice(price: 3_380.952_380_95).tickRounded(tick: try fixed("0.1"), mark: 3_000) == 3_380.9)
        #expect(LiquidationPrice(price: nil).tickRounded(tick: try fixed("0.1"), mark: 3_000) == nil)
        #expect(LiquidationPrice(price: 3_000).tickRounded(tick: try fixed("0"), mark: 3_000) == nil)
    }
}
