import BallastCore
import Foundation
@testable import BallastEngine
import Testing

/// The risk index's bucketed tolerances take out exactly the entries a move exceeds (ε < m), whatever their magnitude:
/// checked against a plain list over random tolerances from −1 and NaN to +∞ and random moves, with inserts between.
@Suite("Engine: tolerance buckets")
struct ToleranceBucketsTests {
    /// A tolerance of every kind: −1 (any change), NaN (never), 0, below 2^−20, across the buckets, above 2^5, +∞, and
    /// exact bucket floors.
    func tolerance(_ random: inout SeededGenerator) -> Double {
        switch Int.random(in: 0...9, using: &random) {
        case 0: return -1
        case 1: return [Double.nan, 0, .infinity, 0x1p-20, 0x1p5, 0x1.1p-3].randomElement(using: &random) ?? 0
        case 2: return Double.random(in: 0..<1e-6, using: &random)
        case 3: return Double.random(in: 30...1e6, using: &random)
        default: return exp(Double.random(in: log(1e-7)...log(40), using: &random))
        }
    }

    @Test("a move takes out exactly the entries whose tolerance is below it, and keeps the rest", arguments: [5, 6, 7] as [UInt64])
    func removesExactlyTheExceeded(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var buckets = ToleranceBuckets()
        var reference: [RiskIndex.Entry] = []
        var next: Int32 = 0
        for round in 0..<300 {
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                let entry = RiskIndex.Entry(move: tolerance(&random), unit: .account(next), stamp: UInt32(round))
                next += 1
                buckets.insert(entry)
                reference.append(entry)
            }
            // Moves of every size, 0 included (a volatility change takes out the −1 entries only).
            let move = Int.random(in: 0...5, using: &random) == 0 ? 0 : abs(tolerance(&random))
            var taken: [Int32] = []
            buckets.removeAll(below: move) { taken.append($0.unit.raw) }
            let expected = reference.filter { $0.move < move }.map(\.unit.raw)
            reference.removeAll { $0.move < move }
            #expect(taken.sorted() == expected.sorted(), "round \(round), move \(move)")
            #expect(buckets.count == reference.count)
        }
        var left: [Int32] = []
        buckets.forEach { left.append($0.unit.raw) }
        #expect(left.sorted() == reference.map(\.unit.raw).sorted(), "every entry not taken is still held")
        buckets.removeAll { $0.unit.raw % 2 == 0 }
        #expect(buckets.count == reference.count { $0.unit.raw % 2 != 0 })
    }

    @Test("the buckets order like the tolerances: a lower bucket never holds a larger tolerance")
    func bucketsAreMonotone() {
        var random = SeededGenerator(seed: 11)
        let tolerances = (0..<20_000).map { _ in abs(tolerance(&random)) }.filter { !$0.isNaN }.sorted()
        for (a, b) in zip(tolerances, tolerances.dropFirst()) {
            #expect(ToleranceBuckets.bucket(a) <= ToleranceBuckets.bucket(b), "\(a) \(b)")
        }
        #expect(ToleranceBuckets.bucket(-1) == 0 && ToleranceBuckets.bucket(.nan) == 0 && ToleranceBuckets.bucket(0) == 1)
        #expect(ToleranceBuckets.bucket(0x1p-20) == 2 && ToleranceBuckets.bucket(0x1p-20 * 1.0625) == 3, "16 buckets per doubling")
    }
}
