import RealModule

/// An implied-volatility surface of one underlying, built from option quotes.
///
/// Nodes are grouped by expiry. Within an expiry, **total variance w = σ²·T** is interpolated linearly in
/// log-moneyness k = ln(K/F) and held flat beyond the outermost strikes (flat volatility). Across expiries, w at the
/// same k is interpolated linearly in T; before the first expiry and after the last the volatility is held flat.
/// Interpolating total variance, not volatility, keeps the surface free of calendar arbitrage wherever the quotes are.
public struct VolatilitySurface: Sendable, Hashable {
    /// A quote: strike, years to expiry, forward and volatility.
    public struct Node: Sendable, Hashable {
        /// Strike.
        public var strike: Double
        /// Years to expiry (> 0).
        public var years: Double
        /// Forward of the option.
        public var forward: Double
        /// Implied volatility.
        public var volatility: Double

        /// Creates a node.
        public init(strike: Double, years: Double, forward: Double, volatility: Double) {
            self.strike = strike
            self.years = years
            self.forward = forward
            self.volatility = volatility
        }
    }

    struct Slice: Sendable, Hashable {
        var years: Double
        var logMoneyness: [Double]
        var variance: [Double]

        /// Total variance at log-moneyness `k`, linear between nodes and flat volatility outside.
        func totalVariance(_ k: Double) -> Double {
            guard let first = logMoneyness.first, let last = logMoneyness.last else { return 0 }
            if k <= first { return variance[0] }
            if k >= last { return variance[variance.count - 1] }
            var upper = 1
            while logMoneyness[upper] < k { upper += 1 }
            let (k0, k1) = (logMoneyness[upper - 1], logMoneyness[upper])
            let weight = k1 == k0 ? 0 : (k - k0) / (k1 - k0)
            return variance[upper - 1] + weight * (variance[upper] - variance[upper - 1])
        }
    }

    let slices: [Slice]

    /// Builds a surface; nodes with non-positive time, forward, strike or volatility are ignored, and nodes of the
    /// same expiry (within a second) and strike are averaged in variance.
    /// - Returns: `nil` without any usable node.
    public init?(nodes: [Node]) {
        let usable = nodes.filter { $0.years > 0 && $0.forward > 0 && $0.strike > 0 && $0.volatility > 0 && $0.volatility.isFinite }
        guard !usable.isEmpty else { return nil }
        let byExpiry = Dictionary(grouping: usable) { ($0.years * 365 * 86_400).rounded() }
        slices = byExpiry.keys.sorted().compactMap { key in
            guard let group = byExpiry[key] else { return nil }
            let years = group.map(\.years).reduce(0, +) / Double(group.count)
            let points = Dictionary(grouping: group) { Double.log($0.strike / $0.forward) }
                .map { (k: $0.key, w: $0.value.map { $0.volatility * $0.volatility * years }.reduce(0, +) / Double($0.value.count)) }
                .sorted { $0.k < $1.k }
            return Slice(years: years, logMoneyness: points.map(\.k), variance: points.map(\.w))
        }
    }

    /// The volatility for a strike, a time to expiry and a forward.
    public func volatility(strike: Double, years: Double, forward: Double) -> Double {
        let k = Double.log(strike / forward)
        guard let first = slices.first, let last = slices.last, years > 0 else { return 0 }
        if years <= first.years { return (first.totalVariance(k) / first.years).squareRoot() }
        if years >= last.years { return (last.totalVariance(k) / last.years).squareRoot() }
        var upper = 1
        while slices[upper].years < years { upper += 1 }
        let (a, b) = (slices[upper - 1], slices[upper])
        let weight = (years - a.years) / (b.years - a.years)
        let w = a.totalVariance(k) + weight * (b.totalVariance(k) - a.totalVariance(k))
        return (max(w, 0) / years).squareRoot()
    }
}
