extension EWMA {
    /// Filtered historical simulation (Barone-Adesi et al.): each return rescaled from the volatility of its own day to
    /// today's, **r̃ₜ = rₜ·σ_now/σₜ**, so a calm history can stand for a volatile present and the other way round.
    ///
    /// σₜ is the EWMA forecast for day t from the returns before it (seeded as ``seeding`` says, so the seeding returns get
    /// none), and σ_now the estimate at the end of the series (with the latest return if ``includeLatest``).
    /// - Returns: the rescaled returns of the days after the seeding window, in order; `nil` if the series is shorter than
    ///   the seeding window plus one, or a forecast is not positive.
    public func filteredReturns(_ returns: [Double]) -> [Double]? {
        let seedCount: Int
        switch seeding {
        case .sample(let count): seedCount = count
        case .firstReturn: seedCount = 1
        }
        guard seedCount >= 1, returns.count > seedCount, returns.allSatisfy(\.isFinite) else { return nil }
        var variance = returns[0..<seedCount].reduce(0) { $0 + $1 * $1 } / Double(seedCount)
        var devolatilised: [Double] = []
        devolatilised.reserveCapacity(returns.count - seedCount)
        var lastForecast = variance
        for t in seedCount..<returns.count {
            guard variance > 0 else { return nil }
            devolatilised.append(returns[t] / variance.squareRoot())
            lastForecast = variance
            variance = EWMA.step(previous: variance, returnX: returns[t], returnY: returns[t], lambda: lambda)
        }
        let now = (includeLatest ? variance : lastForecast).squareRoot()
        return devolatilised.map { $0 * now }
    }
}
