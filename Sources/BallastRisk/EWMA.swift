/// Exponentially weighted moving average estimates of variance and covariance (RiskMetrics, 1996).
///
/// **σ²ₜ = λ·σ²ₜ₋₁ + (1 − λ)·r²ₜ₋₁** and **covₜ = λ·covₜ₋₁ + (1 − λ)·r₁,ₜ₋₁·r₂,ₜ₋₁**; the weight of the return k
/// periods back is (1 − λ)·λᵏ, so the memory is about 1/(1 − λ) periods. RiskMetrics uses λ = 0.94 for daily data and
/// 0.97 for monthly. Whether the latest return is included and how the recursion is seeded are explicit choices.
public struct EWMA: Sendable, Hashable {
    /// The decay factor λ in (0, 1).
    public var lambda: Double
    /// How the recursion starts.
    public var seeding: Seeding
    /// Whether the estimate includes the latest return (NSE: yes) or stops one period before it (the textbook σₙ
    /// from uₙ₋₁).
    public var includeLatest: Bool

    /// How the first variance is chosen.
    public enum Seeding: Sendable, Hashable {
        /// The sample (co)variance of the first `count` returns, about zero mean.
        case sample(count: Int)
        /// The square (product) of the first return.
        case firstReturn
    }

    /// Creates an estimator.
    /// - Precondition: 0 < λ < 1.
    public init(lambda: Double = 0.94, seeding: Seeding = .sample(count: 20), includeLatest: Bool = true) {
        precondition(lambda > 0 && lambda < 1, "EWMA lambda must be in (0, 1)")
        self.lambda = lambda
        self.seeding = seeding
        self.includeLatest = includeLatest
    }

    /// One step of the recursion: the new (co)variance from the previous one and the latest returns.
    public static func step(previous: Double, returnX: Double, returnY: Double, lambda: Double) -> Double {
        lambda * previous + (1 - lambda) * returnX * returnY
    }

    /// The covariance matrix of `returns` (one array per asset, all the same length, aligned in time), at the end of
    /// the series.
    /// - Returns: `nil` if the series are empty, of different lengths, or shorter than the seeding window.
    public func covariance(_ returns: [[Double]]) -> [[Double]]? {
        let n = returns.count
        guard n > 0, let length = returns.first?.count, length > 0, returns.allSatisfy({ $0.count == length }) else { return nil }
        let usable = includeLatest ? length : length - 1
        let seedCount: Int
        switch seeding {
        case .sample(let count): seedCount = count
        case .firstReturn: seedCount = 1
        }
        guard seedCount >= 1, usable >= seedCount else { return nil }
        var cov = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        for i in 0..<n {
            for j in i..<n {
                var sum = 0.0
                for t in 0..<seedCount { sum += returns[i][t] * returns[j][t] }
                cov[i][j] = sum / Double(seedCount)
                cov[j][i] = cov[i][j]
            }
        }
        for t in seedCount..<usable {
            for i in 0..<n {
                for j in i..<n {
                    cov[i][j] = EWMA.step(previous: cov[i][j], returnX: returns[i][t], returnY: returns[j][t], lambda: lambda)
                    cov[j][i] = cov[i][j]
                }
            }
        }
        return cov
    }

    /// Volatilities (square roots of the diagonal) and the correlation matrix of a covariance matrix.
    public static func correlation(covariance: [[Double]]) -> (volatilities: [Double], correlation: CorrelationMatrix)? {
        let vols = covariance.indices.map { covariance[$0][$0].squareRoot() }
        guard vols.allSatisfy({ $0 > 0 && $0.isFinite }) else { return nil }
        var rho = covariance
        for i in rho.indices {
            for j in rho.indices { rho[i][j] = i == j ? 1 : max(-1, min(1, covariance[i][j] / (vols[i] * vols[j]))) }
        }
        guard let matrix = try? CorrelationMatrix(rho) else { return nil }
        return (vols, matrix)
    }

    /// Annualises a per-period volatility with √(periods per year) (365 for daily crypto returns).
    public static func annualised(_ volatility: Double, periodsPerYear: Double = 365) -> Double { volatility * periodsPerYear.squareRoot() }
}

/// Log returns ln(Pₜ/Pₜ₋₁) of a price series; `nil` if a price is not positive and finite.
public func logReturns(_ prices: [Double]) -> [Double]? {
    guard prices.allSatisfy({ $0.isFinite && $0 > 0 }) else { return nil }
    return zip(prices.dropFirst(), prices).map { log($0 / $1) }
}

import RealModule

private func log(_ x: Double) -> Double { Double.log(x) }
