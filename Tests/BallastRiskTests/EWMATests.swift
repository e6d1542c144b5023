import BallastCore
import BallastRisk
import Testing

@Suite("EWMA volatility and correlation")
struct EWMATests {
    /// HC-15a (Hull, *Options, Futures and Other Derivatives*): λ = 0.90, σₙ₋₁ = 1 %, uₙ₋₁ = 2 % → σₙ = 1.140175425099138 %.
    @Test("one-step variance (HC-15a, HC-15b)")
    func oneStep() {
        let hull = EWMA.step(previous: 0.0001, returnX: 0.02, returnY: 0.02, lambda: 0.90)
        #expect(abs(hull - 0.00013) <= 1e-18)
        #expect(abs(hull.squareRoot() - 0.01140175425099138) <= 1e-9 * 0.0114)
        let riskMetrics = EWMA.step(previous: 0.0001, returnX: 0.02, returnY: 0.02, lambda: 0.94)
        #expect(abs(riskMetrics.squareRoot() - 0.010862780491200215) <= 1e-9 * 0.0109)
    }

    /// HC-15c (Hull, *Risk Management and Financial Institutions*): λ = 0.95, ρ = 0.6, σx = 1 %, σy = 2 %, ux = 0.5 %, uy = 2.5 %.
    @Test("one-step covariance and correlation (HC-15c)")
    func correlationStep() throws {
        let lambda = 0.95
        let cov = EWMA.step(previous: 0.6 * 0.01 * 0.02, returnX: 0.005, returnY: 0.025, lambda: lambda)
        let varX = EWMA.step(previous: 0.0001, returnX: 0.005, returnY: 0.005, lambda: lambda)
        let varY = EWMA.step(previous: 0.0004, returnX: 0.025, returnY: 0.025, lambda: lambda)
        #expect(abs(cov - 0.00012025) <= 1e-9 * 0.00012025)
        #expect(abs(varX - 0.00009625) <= 1e-9 * 0.00009625)
        #expect(abs(varY - 0.00041125) <= 1e-9 * 0.00041125)
        let (vols, rho) = try #require(EWMA.correlation(covariance: [[varX, cov], [cov, varY]]))
        #expect(abs(vols[0] - 0.009810708435174292) <= 1e-9 * 0.0098)
        #expect(abs(vols[1] - 0.02027929979067325) <= 1e-9 * 0.0203)
        #expect(abs(rho.entries[0][1] - 0.6044101660606683) <= 1e-9)
    }

    @Test("the recursion over a series equals the closed-form weights (1 − λ)λᵏ")
    func closedFormWeights() throws {
        var rng = SeededGenerator(seed: 1)
        let x = (0..<300).map { _ in Double(Int64(bitPattern: rng.next() % 2001) - 1000) / 50_000 }
        let lambda = 0.94
        let estimator = EWMA(lambda: lambda, seeding: .firstReturn, includeLatest: true)
        let variance = try #require(estimator.covariance([x]))[0][0]
        // Seeded with x₀², then λ-weighted: var = λ^(n−1)·x₀² + Σₜ₌₁ⁿ⁻¹ (1 − λ)·λ^(n−1−t)·xₜ².
        var expected = Double.pow(lambda, Double(x.count - 1)) * x[0] * x[0]
        for t in 1..<x.count { expected += (1 - lambda) * Double.pow(lambda, Double(x.count - 1 - t)) * x[t] * x[t] }
        #expect(abs(variance - expected) <= 1e-12 * expected)
    }

    @Test("stressed correlations move toward 1 and keep the matrix valid")
    func stressed() throws {
        let rho = try CorrelationMatrix([[1, 0.5, -0.2], [0.5, 1, 0.1], [-0.2, 0.1, 1]])
        let half = rho.stressed(towardOne: 0.5)
        #expect(half.entries[0][1] == 0.75)
        #expect(abs(half.entries[0][2] - 0.4) < 1e-15)
        #expect(rho.stressed(towardOne: 1).entries.allSatisfy { $0.allSatisfy { $0 == 1 } })
        #expect(rho.isPositiveSemidefinite && half.isPositiveSemidefinite)
        #expect(throws: CorrelationMatrix.Invalid.self) { try CorrelationMatrix([[1, 2], [2, 1]]) }
        #expect(throws: CorrelationMatrix.Invalid.self) { try CorrelationMatrix([[1, 0.3], [0.2, 1]]) }
        #expect(!(try CorrelationMatrix([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])).isPositiveSemidefinite)
    }
}

import RealModule
