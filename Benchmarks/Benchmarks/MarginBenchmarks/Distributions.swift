import BallastCore
import Foundation

/// Distributions over Ballast's seeded generator (SplitMix64), so every run builds the same book.
extension SeededGenerator {
    /// A uniform double in [lower, upper).
    mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * Double(next() >> 11) * 0x1p-53
    }

    /// A log-uniform double in [lower, upper): as many values per decade.
    mutating func logUniform(_ lower: Double, _ upper: Double) -> Double {
        exp(log(lower) + (log(upper) - log(lower)) * uniform(0, 1))
    }

    /// A uniform integer in 0..<bound.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
