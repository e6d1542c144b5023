import BallastCore
import Testing

@Suite("Fixed-point numbers")
struct FixedPointTests {
    @Test("parses decimals exactly and prints them back")
    func parsing() throws {
        #expect(try fixed("1535443.01") == FixedPoint(units: 153_544_301, scale: 2))
        #expect(try fixed("-0.001").description == "-0.001")
        #expect(try fixed("1e-3") == FixedPoint(units: 1, scale: 3))
        #expect(try fixed("2.5E2") == FixedPoint(units: 250, scale: 0))
        #expect(try fixed("0.10").trimmedDescription == "0.1")
        #expect(FixedPoint(units: 5, scale: 4).description == "0.0005")
        for bad in ["", "-", "1.2.3", "abc", "1e", "NaN", "1,5", "0x10", "١٢"] {
            #expect(FixedPoint(parsing: bad) == nil, "\(bad) must not parse")
        }
        #expect(FixedPoint(parsing: "1.0000000000000000001") == nil, "19 decimals exceed the maximum scale")
        #expect(FixedPoint(parsing: "1000000000000000001") == nil, "above 10^18 in magnitude")
        #expect(FixedPoint(parsing: "123456789012345678901234567890e40") == nil, "a large mantissa times a large exponent overflows: refused, no trap")
        #expect(FixedPoint(parsing: "1.5e30") == nil, "above the maximum magnitude")
    }

    @Test("rescaling rounds in the named direction", arguments: [
        ("1.25", Rounding.up, "1.3"), ("1.25", .down, "1.2"), ("1.25", .towardZero, "1.2"), ("1.25", .halfEven, "1.2"),
        ("1.35", .halfEven, "1.4"), ("-1.25", .up, "-1.2"), ("-1.25", .down, "-1.3"), ("-1.25", .towardZero, "-1.2"),
        ("-1.25", .halfEven, "-1.2"), ("-1.26", .halfEven, "-1.3"), ("2.00", .up, "2.0"),
    ])
    func rescaling(input: String, rounding: Rounding, expected: String) throws {
        #expect(try fixed(input).rescaled(to: 1, rounding: rounding) == (try fixed(expected)))
    }

    @Test("a Double on a unit boundary is not pushed over it by noise, a real fraction is rounded as asked")
    func doubleConversion() throws {
        // 0.1 + 0.2 = 0.30000000000000004: noise, not a fraction of a micro-unit.
        #expect(FixedPoint(0.1 + 0.2, scale: 6, rounding: .up) == FixedPoint(units: 300_000, scale: 6))
        #expect(FixedPoint(0.1 + 0.2, scale: 6, rounding: .down) == FixedPoint(units: 300_000, scale: 6))
        // 1/3 is genuinely between units.
        #expect(FixedPoint(1.0 / 3, scale: 6, rounding: .up) == FixedPoint(units: 333_334, scale: 6))
        #expect(FixedPoint(1.0 / 3, scale: 6, rounding: .down) == FixedPoint(units: 333_333, scale: 6))
        #expect(FixedPoint(-1.0 / 3, scale: 6, rounding: .up) == FixedPoint(units: -333_333, scale: 6))
        #expect(FixedPoint(-1.0 / 3, scale: 6, rounding: .down) == FixedPoint(units: -333_334, scale: 6))
        #expect(FixedPoint(.nan, scale: 6, rounding: .up) == nil)
        #expect(FixedPoint(.infinity, scale: 6, rounding: .up) == nil)
        #expect(FixedPoint(1e40, scale: 6, rounding: .up) == nil)
    }

    @Test("equality and order compare values across scales")
    func comparison() throws {
        #expect(try fixed("1.50") == (try fixed("1.5")))
        #expect(Set([try fixed("1.50"), try fixed("1.5")]).count == 1)
        #expect(try fixed("0.999") < (try fixed("1")))
        #expect(try fixed("-2") < (try fixed("-1.5")))
        #expect((try fixed("1.5")) + (try fixed("0.25")) == (try fixed("1.75")))
        #expect((try fixed("1.5")) * (try fixed("0.25")) == (try fixed("0.375")))
    }

    @Test("a share of a cost basis never overflows and rounds as asked")
    func share() {
        // 10^30 × 3 / 7 computed without forming 3·10^30·… beyond Int128.
        let big: Int128 = 1_000_000_000_000_000_000_000_000_000_000
        let exact = big * 3 / 7  // 3·10^30 fits in Int128, so the direct division is the reference here
        #expect(ExactArithmetic.share(big, times: 3, over: 7, rounding: .towardZero) == exact)
        #expect(ExactArithmetic.share(10, times: 1, over: 3, rounding: .up) == 4)
        #expect(ExactArithmetic.share(-10, times: 1, over: 3, rounding: .down) == -4)
        #expect(ExactArithmetic.share(-10, times: -1, over: -3, rounding: .towardZero) == -3)
        #expect(ExactArithmetic.share(Int128.max / 2, times: Int64.max, over: Int64.max, rounding: .towardZero) == Int128.max / 2)
    }

    @Test("long division gives the exact quotient at any scale")
    func quotient() throws {
        // 100 / 3 at 18 decimals = 33.333333333333333333 (half-even keeps the last 3).
        let q = try require(ExactArithmetic.quotient(try fixed("100"), try fixed("3"), scale: 18, rounding: .halfEven))
        #expect(q.description == "33.333333333333333333")
        let up = try require(ExactArithmetic.quotient(try fixed("2"), try fixed("3"), scale: 4, rounding: .up))
        #expect(up.description == "0.6667")
        let down = try require(ExactArithmetic.quotient(try fixed("-2"), try fixed("3"), scale: 4, rounding: .down))
        #expect(down.description == "-0.6667")
        // 100,000 USD face at 42,000: 2.380952380952380952 BTC (…95238 0952 → half-even at 18 decimals).
        let coin = try require(ExactArithmetic.quotient(try fixed("100000"), try fixed("42000"), scale: 18, rounding: .halfEven))
        #expect(coin.description == "2.380952380952380952")
        #expect(ExactArithmetic.quotient(try fixed("1"), try fixed("0"), scale: 2, rounding: .up) == nil)
    }

    @Test("civil time round-trips and parses ISO 8601")
    func civilTime() throws {
        let t = try require(CivilTime.parse("2021-06-01T00:00:00Z"))
        #expect(t.millisecondsSinceEpoch == 1_622_505_600_000)
        #expect(try require(CivilTime.parse("2024-02-29")).description == "2024-02-29T00:00:00Z")
        #expect(Timestamp(millisecondsSinceEpoch: 1_622_505_600_007).description == "2021-06-01T00:00:00.007Z")
        #expect(CivilTime(year: 987, month: 3, day: 4, hour: 5, minute: 6, second: 7, millisecond: 80).iso8601 == "0987-03-04T05:06:07.080Z")
        #expect(CivilTime(year: 12_345, month: 1, day: 1).iso8601 == "12345-01-01T00:00:00Z", "wider than four digits: written whole")
        #expect(CivilTime(year: -5, month: 1, day: 1).iso8601 == "00-5-01-01T00:00:00Z", "the text \"-5\" zero-padded to four characters")
        #expect(try require(CivilTime.parse("1969-12-31T23:59:59.5Z")).millisecondsSinceEpoch == -500)
        #expect(CivilTime.parse("2023-02-29") == nil)
        #expect(CivilTime.parse("2021-13-01") == nil)
        #expect(CivilTime.parse("2021-06-01T24:00:00Z") == nil)
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<1000 {
            let ms = Int64.random(in: -10_000_000_000_000...10_000_000_000_000, using: &rng)
            let stamp = Timestamp(millisecondsSinceEpoch: ms)
            #expect(CivilTime(stamp).timestamp == stamp)
            #expect(CivilTime.parse(stamp.description) == stamp)
        }
    }

    @Test("the decimal text: the integer's digits with a point before the last `scale`, zeros in front as needed")
    func decimalText() {
        // The reference: the magnitude's digits as the standard library writes them, padded to scale + 1 digits, the
        // point inserted by position.
        func reference(_ units: Int128, _ scale: Int) -> String {
            var digits = Array(String(units.magnitude))
            if scale > 0 {
                if digits.count <= scale { digits.insert(contentsOf: repeatElement("0", count: scale + 1 - digits.count), at: 0) }
                digits.insert(".", at: digits.count - scale)
            }
            return (units < 0 ? "-" : "") + String(digits)
        }
        #expect(FixedPoint(units: 0, scale: 0).description == "0")
        #expect(FixedPoint(units: 0, scale: 3).description == "0.000")
        #expect(FixedPoint(units: -7, scale: 2).description == "-0.07")
        #expect(FixedPoint(units: 1_234_500, scale: 4).description == "123.4500")
        #expect(FixedPoint(units: .max, scale: 18).description == "170141183460469231731.687303715884105727")
        #expect(FixedPoint(units: .min, scale: 0).description == "-170141183460469231731687303715884105728")
        #expect(FixedPoint(units: -1, scale: 36).description == "-0." + String(repeating: "0", count: 35) + "1")
        var generator = SeededGenerator(seed: 0xDEC1)
        for _ in 0..<5_000 {
            let bits = Int(generator.next() % 127) + 1
            let magnitude = UInt128(generator.next()) << 64 | UInt128(generator.next())
            var units = Int128(truncatingIfNeeded: magnitude >> (128 - bits))
            if generator.next() % 2 == 0 { units = -units }
            let scale = Int(generator.next() % 37)
            #expect(FixedPoint(units: units, scale: scale).description == reference(units, scale), "\(units) at scale \(scale)")
        }
    }
}

@Suite("Fast integer conversions")
struct FastConversionTests {
    @Test("Double(nearest:) equals the standard library's Double(_:) for Int128, edge cases and 200,000 random values")
    func int128ToDouble() {
        var edges: [Int128] = [0, 1, -1, Int128(Int64.max), Int128(Int64.min), Int128(Int64.max) + 1, Int128(Int64.min) - 1, .max, .min, .max - 1, .min + 1]
        for bits in 60..<127 {
            let p = Int128(1) << bits
            edges += [p, p - 1, p + 1, -p, -(p - 1), -(p + 1), p + (p >> 53), p + (p >> 53) + 1, p + (p >> 54), p + 3 * (p >> 54)]
        }
        for value in edges { #expect(Double(nearest: value) == Double(value), "\(value)") }
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<200_000 {
            let raw = Int128(_low: rng.next(), _high: Int64(bitPattern: rng.next()))
            let value = raw >> Int(rng.next() % 127)
            #expect(Double(nearest: value) == Double(value))
        }
    }

    @Test("Int128(whole:) equals Int128(_:) on whole Doubles")
    func doubleToInt128() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<100_000 {
            let value = (Double.random(in: -1...1, using: &rng) * Double.pow(2, Double(Int.random(in: 0...120, using: &rng)))).rounded(.towardZero)
            #expect(Int128(whole: value) == Int128(value))
        }
    }
}

import RealModule

@Suite("Fast integer multiplication")
struct FastMultiplicationTests {
    @Test("Int128 × Int64 with overflow equals the standard library's, on edges and random operands")
    func multiply() {
        var cases: [(Int128, Int64)] = [(0, 0), (1, -1), (-1, Int64.min), (.max, 1), (.min, 1), (.min, -1), (.max, -1), (.max / 2, 2), (.max / 2 + 1, 2),
                                        (.min / 2, 2), (.min / 2 - 1, 2), (Int128(Int64.max) << 63, 2), (-(Int128(1) << 126), 2), (Int128(1) << 126, -2)]
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<200_000 {
            let a = Int128(_low: rng.next(), _high: Int64(bitPattern: rng.next())) >> Int(rng.next() % 127)
            let b = Int64(bitPattern: rng.next()) >> Int(rng.next() % 63)
            cases.append((a, b))
        }
        for (a, b) in cases {
            let fast = a.multipliedReportingOverflow(by64: b)
            let reference = a.multipliedReportingOverflow(by: Int128(b))
            #expect(fast.overflow == reference.overflow, "\(a) × \(b)")
            if !reference.overflow { #expect(fast.partialValue == reference.partialValue, "\(a) × \(b)") }
        }
    }
}

@Suite("Money rounding fast path")
struct MoneyRoundingTests {
    /// The fast path (|scaled| < 4·10^18) must agree with the general path, which uses Double.rounded: compare against
    /// a reference computed with Double.rounded on random values at every scale and direction.
    @Test("the integer fast path rounds as Double.rounded would")
    func agrees() {
        var rng = SeededGenerator(seed: 44)
        for _ in 0..<100_000 {
            let value = Double.random(in: -1...1, using: &rng) * Double.pow(10, Double(Int.random(in: -3...12, using: &rng)))
            let scale = Int.random(in: 0...8, using: &rng)
            for rounding in Rounding.allCases {
                let scaled = value * Double.pow(10, Double(scale))
                let nearest = scaled.rounded(.toNearestOrEven)
                let whole: Double
                if abs(scaled - nearest) <= max(abs(scaled) * 3.552_713_678_800_501e-15, 1e-6) {
                    whole = nearest
                } else {
                    switch rounding {
                    case .up: whole = scaled.rounded(.up)
                    case .down: whole = scaled.rounded(.down)
                    case .towardZero: whole = scaled.rounded(.towardZero)
                    case .halfEven: whole = nearest
                    }
                }
                #expect(FixedPoint(value, scale: scale, rounding: rounding)?.units == Int128(whole), "\(value) at \(scale) \(rounding)")
            }
        }
    }
}
