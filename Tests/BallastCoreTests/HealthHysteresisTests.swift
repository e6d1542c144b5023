import BallastCore
import Testing

/// Hysteresis of the health states (``HealthBands/exitBuffer``): on Binance PM Pro's bands (150 % / 120 % / 105 %) with
/// a buffer of 0.1 a pool leaves a state only at its threshold plus 0.1 (liquidation at 1.15, reduce-only at 1.30,
/// warning at 1.60), while it enters a worse one at the plain threshold. Maintenance is 100 throughout, so the margin
/// balance is the ratio in per cent.
@Suite("Health states with hysteresis")
struct HealthHysteresisTests {
    static func bands(buffer: String) throws -> HealthThresholds {
        try HealthBands(warningBelow: fixed("1.5"), reduceOnlyBelow: fixed("1.2"), liquidationBelow: fixed("1.05"), exitBuffer: fixed(buffer)).thresholds
    }

    func state(_ thresholds: HealthThresholds, ratio: Int128, previous: HealthState) -> HealthState {
        thresholds.state(marginBalance: ratio, equity: ratio, maintenance: 100, previous: previous)
    }

    @Test("a state is entered at its threshold and left only at the threshold plus the buffer",
          arguments: [
              // (margin balance per 100 of MM, previous state, state)
              (Int128(104), HealthState.healthy, HealthState.liquidation),  // worse: entered at once
              (110, .liquidation, .liquidation),                      // 1.10 ≤ 1.15: stays, though 1.10 alone is reduce-only
              (115, .liquidation, .liquidation),                      // on the exit threshold: the boundary is worse
              (116, .liquidation, .reduceOnly),
              (120, .liquidation, .reduceOnly),
              (140, .liquidation, .warning),                          // past 1.30: straight to warning
              (155, .warning, .warning),                              // 1.55 ≤ 1.60: stays, though healthy alone
              (161, .warning, .healthy),
              (125, .reduceOnly, .reduceOnly),
              (131, .reduceOnly, .warning),
              (200, .bankrupt, .healthy),
              (125, .healthy, .warning),                              // worse than before: the entry bands (1.25 < 1.5)
          ])
    func hysteresis(ratio: Int128, previous: HealthState, expected: HealthState) throws {
        #expect(state(try Self.bands(buffer: "0.1"), ratio: ratio, previous: previous) == expected)
    }

    @Test("without a buffer the previous state changes nothing; a bad buffer is refused by name")
    func noBuffer() throws {
        let plain = try Self.bands(buffer: "0")
        for ratio: Int128 in [100, 104, 110, 116, 140, 155, 161] {
            let fresh = plain.state(marginBalance: ratio, equity: ratio, maintenance: 100)
            for previous in HealthState.allCases {
                #expect(state(plain, ratio: ratio, previous: previous) == fresh)
            }
        }
        // Bankruptcy is never held: equity above zero leaves it by the thresholds.
        #expect(try Self.bands(buffer: "0.1").state(marginBalance: -5, equity: -5, maintenance: 100, previous: .healthy) == .bankrupt)
        #expect(throws: ParameterError.self) { _ = try Self.bands(buffer: "-0.1") }
    }
}
