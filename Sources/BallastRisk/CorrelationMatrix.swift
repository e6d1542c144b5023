/// A correlation matrix: symmetric, unit diagonal, entries in [−1, 1].
public struct CorrelationMatrix: Sendable, Hashable {
    /// The entries, row-major.
    public let entries: [[Double]]

    /// Why a matrix is not a correlation matrix.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        /// The row and column at fault.
        public var row: Int
        /// The column.
        public var column: Int
        /// What is wrong.
        public var reason: String
        /// `[row][column]: reason`.
        public var description: String { "[\(row)][\(column)]: \(reason)" }
    }

    /// Validates and wraps a matrix.
    /// - Throws: ``Invalid`` naming the first bad entry.
    public init(_ entries: [[Double]]) throws(Invalid) {
        for (i, row) in entries.enumerated() {
            guard row.count == entries.count else { throw Invalid(row: i, column: row.count, reason: "the matrix must be square") }
            for (j, value) in row.enumerated() {
                guard value.isFinite, value >= -1, value <= 1 else { throw Invalid(row: i, column: j, reason: "\(value) is not in [−1, 1]") }
                if i == j, value != 1 { throw Invalid(row: i, column: j, reason: "the diagonal must be 1, got \(value)") }
                guard abs(value - entries[j][i]) <= 1e-12 else { throw Invalid(row: i, column: j, reason: "not symmetric: \(value) vs \(entries[j][i])") }
            }
        }
        self.entries = entries
    }

    /// The identity of size `n` (no correlation).
    public static func identity(_ n: Int) -> CorrelationMatrix {
        // The identity satisfies every rule the initializer checks.
        (try? CorrelationMatrix((0..<n).map { i in (0..<n).map { j in i == j ? 1 : 0 } })) ?? CorrelationMatrix(unchecked: [])
    }

    /// A matrix of ones (perfect correlation): aggregation then reduces to a plain sum.
    public static func ones(_ n: Int) -> CorrelationMatrix {
        (try? CorrelationMatrix(Array(repeating: Array(repeating: 1, count: n), count: n))) ?? CorrelationMatrix(unchecked: [])
    }

    private init(unchecked entries: [[Double]]) { self.entries = entries }

    /// The size.
    public var count: Int { entries.count }

    /// The stressed matrix: every off-diagonal ρ pulled toward 1, **ρ′ = ρ + α·(1 − ρ)**, so diversification credit
    /// shrinks when assets move together in a sell-off (α = 0 keeps ρ, α = 1 gives perfect correlation).
    public func stressed(towardOne fraction: Double) -> CorrelationMatrix {
        let alpha = max(0, min(1, fraction))
        return CorrelationMatrix(unchecked: entries.enumerated().map { i, row in
            row.enumerated().map { j, rho in i == j ? 1 : rho + alpha * (1 - rho) }
        })
    }

    /// Whether the matrix is positive semi-definite (a Cholesky factorisation with a 1e-12 tolerance succeeds).
    public var isPositiveSemidefinite: Bool {
        let n = count
        var l = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                var sum = entries[i][j]
                for k in 0..<j { sum -= l[i][k] * l[j][k] }
                if i == j {
                    if sum < -1e-12 { return false }
                    l[i][i] = max(sum, 0).squareRoot()
                } else {
                    l[i][j] = l[j][j] > 1e-12 ? sum / l[j][j] : 0
                }
            }
        }
        return true
    }
}
