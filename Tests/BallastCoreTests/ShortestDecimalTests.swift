import BallastCore
import Testing

@Suite("Shortest decimal of a Double")
struct ShortestDecimalTests {
    /// The reference: Swift's shortest round-trip text, parsed, at most `maxScale` decimals.
    static func byText(_ value: Double, maxScale: Int) -> FixedPoint? {
        guard let decimal = FixedPoint(parsing: value.description), decimal.doubleValue == value, decimal.trimmedScale <= maxScale else { return nil }
        return decimal
    }

    static func units(_ decimal: FixedPoint?, scale: Int) -> Int128? {
        decimal?.rescaled(to: scale, rounding: .towardZero)?.units
    }

    /// Significant digits of a decimal.
    static func significantDigits(_ decimal: FixedPoint) -> Int {
        String(decimal.units.magnitude).count
    }

    /// The fast answer equals the text path's, except that a decimal of more than 15 significant digits is refused.
    static func agrees(_ value: Double, maxScale: Int) -> Bool {
        let fast = FixedPoint.shortestDecimal(value, maxScale: maxScale)
        let slow = byText(value, maxScale: maxScale)
        if let fast { return units(fast, scale: 12) == units(slow, scale: 12) }
        guard let slow else { return true }
        return significantDigits(slow.rescaled(to: slow.trimmedScale, rounding: .towardZero) ?? slow) > 15
    }

    @Test("prices as feeds send them: the same decimal as the text path, every one of at most 15 significant digits found")
    func feedPrices() {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<50_000 {
            let decimals = Int(rng.next() % 9)
            let magnitude = Int(rng.next() % 7)
            var whole: UInt64 = 1
            for _ in 0..<magnitude { whole *= 10 }
            let units = Int128(rng.next() % (whole * 100_000_000) + 1)
            let value = FixedPoint(units: units, scale: decimals).doubleValue
            for maxScale in [4, 8, 12] {
                #expect(Self.agrees(value, maxScale: maxScale), "\(value) at ≤ \(maxScale) decimals")
            }
            // Every price of at most 15 significant digits is found.
            if magnitude + 1 + decimals <= 15 { #expect(FixedPoint.shortestDecimal(value, maxScale: 8) != nil, "\(value)") }
        }
    }

    @Test("arbitrary doubles: the text path's answer, or nil beyond 15 significant digits")
    func arbitrary() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<50_000 {
            let value = Double(bitPattern: 0x3F00_0000_0000_0000 &+ rng.next() % 0x0A00_0000_0000_0000)
            #expect(Self.agrees(value, maxScale: 12), "\(value)")
        }
        #expect(FixedPoint.shortestDecimal(109_135.5, maxScale: 8)?.description == "109135.5")
        #expect(FixedPoint.shortestDecimal(0.1, maxScale: 8)?.description == "0.1")
        #expect(FixedPoint.shortestDecimal(0.123456789, maxScale: 8) == nil)
        #expect(FixedPoint.shortestDecimal(.nan, maxScale: 8) == nil)
        #expect(FixedPoint.shortestDecimal(.infinity, maxScale: 8) == nil)
    }
}
