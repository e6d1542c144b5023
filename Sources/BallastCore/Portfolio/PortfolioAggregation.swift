/// The account risk from the risks of its underlyings, with each underlying's Euler factor.
public struct PortfolioAggregation: Sendable, Hashable {
    /// Σ Rᵤ.
    public var sum: Double
    /// The aggregated risk.
    public var total: Double
    /// The credit Σ Rᵤ − total.
    public var credit: Double
    /// Whether the credit cap bound.
    public var capped: Bool
    /// ∂total/∂Rᵤ for each underlying, in the order given: Σ factorᵤ·Rᵤ = total (the aggregation is homogeneous of
    /// degree 1, so this Euler allocation is exact).
    public var factors: [Double]

    /// The aggregated risk alone, without allocating: the same total as ``aggregate(_:rule:)``.
    public static func total(_ risks: [UnderlyingRisk], rule: CrossUnderlyingAggregation) -> Double {
        risks.withUnsafeBufferPointer { total($0, rule: rule) }
    }

    /// ``total(_:rule:)`` over a buffer (the hot path).
    static func total(_ risks: UnsafeBufferPointer<UnderlyingRisk>, rule: borrowing CrossUnderlyingAggregation) -> Double {
        switch rule {
        case .sum:
            return risks.reduce(0) { $0 + $1.risk }
        case .correlation(let offsets):
            return correlated(risks, offsets: offsets)
        case .interSpreads:
            return aggregate(Array(risks), rule: rule).total
        }
    }

    /// √(Rᵀ·C·R) with the credit cap, summed in the order of ``aggregate(_:rule:)``; ρ as ``CorrelationOffsets/rho(_:_:)``,
    /// with each underlying's place in the matrix looked up once instead of once per pair.
    private static func correlated(_ risks: UnsafeBufferPointer<UnderlyingRisk>, offsets: CorrelationOffsets) -> Double {
        // A handful of underlyings: their matrix rows on the stack (−1: not in the matrix, ρ = 1 with everything).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: risks.count) { places in
            for i in risks.indices { places[i] = offsets.underlyings.firstIndex(of: risks[i].underlying) ?? -1 }
            var sum = 0.0
            var quadratic = 0.0
            for i in risks.indices {
                sum += risks[i].risk
                var weighted = 0.0
                for j in risks.indices {
                    let rho = risks[i].underlying == risks[j].underlying || places[i] < 0 || places[j] < 0 ? 1 : offsets.matrix[places[i]][places[j]]
                    weighted += rho * risks[j].risk
                }
                quadratic += risks[i].risk * weighted
            }
            let uncapped = max(quadratic, 0).squareRoot()
            guard uncapped > 0 else { return 0 }
            return max(uncapped, (1 - offsets.maximumCreditFraction) * sum)
        }
    }

    /// Aggregates `risks` under `rule`.
    ///
    /// Correlation: total = √(Rᵀ·C·R), factorᵢ = (C·R)ᵢ/total; if the credit exceeds the cap, total = (1 − cap)·Σ R and
    /// every factor is scaled by the same ratio. Inter spreads: creditₖ per leg as in ``InterSpreadCredit``,
    /// factorᵤ = (Rᵤ − creditᵤ)/Rᵤ.
    public static func aggregate(_ risks: [UnderlyingRisk], rule: CrossUnderlyingAggregation) -> PortfolioAggregation {
        let sum = risks.reduce(0) { $0 + $1.risk }
        switch rule {
        case .sum:
            return PortfolioAggregation(sum: sum, total: sum, credit: 0, capped: false, factors: risks.map { _ in 1 })
        case .correlation(let offsets):
            var weighted = Array(repeating: 0.0, count: risks.count)
            for i in risks.indices {
                for j in risks.indices { weighted[i] += offsets.rho(risks[i].underlying, risks[j].underlying) * risks[j].risk }
            }
            let quadratic = zip(risks, weighted).reduce(0) { $0 + $1.0.risk * $1.1 }
            let uncapped = max(quadratic, 0).squareRoot()
            guard uncapped > 0 else { return PortfolioAggregation(sum: sum, total: 0, credit: sum, capped: false, factors: risks.map { _ in 0 }) }
            let floor = (1 - offsets.maximumCreditFraction) * sum
            let total = max(uncapped, floor)
            let scale = total / uncapped
            return PortfolioAggregation(sum: sum, total: total, credit: sum - total, capped: total > uncapped,
                                        factors: weighted.map { $0 / uncapped * scale })
        case .interSpreads(let rules):
            var delta = Dictionary(uniqueKeysWithValues: risks.map { ($0.underlying, $0.netDelta) })
            var credits = Dictionary(uniqueKeysWithValues: risks.map { ($0.underlying, 0.0) })
            let perDelta = Dictionary(uniqueKeysWithValues: risks.map { ($0.underlying, abs($0.netDelta) > 0 ? $0.risk / abs($0.netDelta) : 0) })
            for spread in rules {
                let legs = spread.underlyings.map { delta[$0] ?? 0 }
                guard legs.contains(where: { $0 > 0 }), legs.contains(where: { $0 < 0 }) else { continue }
                let count = zip(legs, spread.ratios).map { abs($0) / $1 }.min() ?? 0
                guard count > 0 else { continue }
                for (k, underlying) in spread.underlyings.enumerated() {
                    credits[underlying, default: 0] += spread.rate * count * spread.ratios[k] * (perDelta[underlying] ?? 0)
                    let used = count * spread.ratios[k]
                    delta[underlying] = legs[k] > 0 ? legs[k] - used : legs[k] + used
                }
            }
            let factors = risks.map { risk in risk.risk > 0 ? max(0, risk.risk - (credits[risk.underlying] ?? 0)) / risk.risk : 0 }
            let total = zip(risks, factors).reduce(0) { $0 + $1.0.risk * $1.1 }
            return PortfolioAggregation(sum: sum, total: total, credit: sum - total, capped: false, factors: factors)
        }
    }
}
