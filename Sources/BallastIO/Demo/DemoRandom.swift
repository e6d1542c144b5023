import BallastCore
import Foundation

/// The distributions the demo draws from, over Ballast's seeded generator (SplitMix64), so a seed always builds the
/// same book and the same price path. Every draw uses the generator's raw bits (not the standard library's
/// `random(in:)`, whose algorithm is not promised to stay the same).
extension SeededGenerator {
    /// A uniform double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform double in [lower, upper).
    mutating func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * unit() }

    /// A log-uniform double in [lower, upper): as many values per decade.
    mutating func logUniform(_ lower: Double, _ upper: Double) -> Double {
        exp(log(lower) + (log(upper) - log(lower)) * unit())
    }

    /// A uniform integer in 0..<bound (`bound` > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }

    /// True with probability `probability`.
    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// A standard normal draw (Box–Muller, one of the pair).
    mutating func normal() -> Double {
        let u = 1 - unit()  // (0, 1]: the logarithm stays finite
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * unit())
    }

    /// One of `choices`, with probability proportional to its weight.
    mutating func pick<Value>(_ choices: [(Value, Double)]) -> Value {
        let total = choices.reduce(0) { $0 + $1.1 }
        var draw = unit() * total
        for (value, weight) in choices {
            if draw < weight { return value }
            draw -= weight
        }
        return choices[choices.count - 1].0
    }
}
