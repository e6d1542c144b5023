/// BitMEX risk-limit steps: above a base limit, every started step of `stepSize` raises both rates.
///
/// steps = max(0, ⌈(V − baseLimit)/stepSize⌉); MM rate = baseMM + steps·mmIncrement;
/// IM rate = baseIM + steps·imIncrement (BitMEX "Risk Limits Examples": base 200 XBT, step 150 XBT,
/// +0.50 % to both per step).
public struct RiskLimitSteps: Sendable, Hashable {
    /// Notional below which no step applies.
    public var baseLimit: Double
    /// Notional per step.
    public var stepSize: Double
    /// MM rate at 0 steps.
    public var baseMaintenanceRate: Double
    /// IM rate at 0 steps.
    public var baseInitialRate: Double
    /// MM rate added per step.
    public var maintenanceIncrement: Double
    /// IM rate added per step.
    public var initialIncrement: Double

    /// Creates a step schedule.
    /// - Throws: ``ParameterError`` for non-positive sizes or rates outside (0, 1], or IM below MM.
    public init(baseLimit: Double, stepSize: Double, baseMaintenanceRate: Double, baseInitialRate: Double,
                maintenanceIncrement: Double, initialIncrement: Double) throws(ParameterError) {
        try ParameterError.check(["base_limit": baseLimit, "step_size": stepSize], "must be a positive number") { $0 > 0 }
        try ParameterError.check(["base_maintenance_rate": baseMaintenanceRate, "base_initial_rate": baseInitialRate], "must be in (0, 1]") {
            $0 > 0 && $0 <= 1
        }
        try ParameterError.check(["maintenance_increment": maintenanceIncrement, "initial_increment": initialIncrement], "must be ≥ 0") { $0 >= 0 }
        guard baseInitialRate >= baseMaintenanceRate, initialIncrement >= maintenanceIncrement else {
            throw ParameterError(field: "base_initial_rate", value: "\(baseInitialRate)", reason: "initial rates must be at least the maintenance rates")
        }
        self.baseLimit = baseLimit
        self.stepSize = stepSize
        self.baseMaintenanceRate = baseMaintenanceRate
        self.baseInitialRate = baseInitialRate
        self.maintenanceIncrement = maintenanceIncrement
        self.initialIncrement = initialIncrement
    }

    /// The number of started steps above the base limit, saturated at ``maximumSteps`` (an infinite notional, or one
    /// so large that its count is no longer exact, would trap in a conversion to `Int`); a NaN notional counts none,
    /// and the NaN propagates through the amounts instead.
    public func steps(notional: Double) -> Int {
        guard notional > baseLimit else { return 0 }
        let steps = ((notional - baseLimit) / stepSize).rounded(.up)
        return steps < Double(Self.maximumSteps) ? Int(steps) : Self.maximumSteps
    }

    /// The largest step count ``steps(notional:)`` reports: 2^52, the last whole number every larger `Double` count
    /// stops being exact at.
    public static let maximumSteps = 1 << 52

    /// MM rate after `steps` steps.
    public func maintenanceRate(steps: Int) -> Double { min(1, baseMaintenanceRate + Double(steps) * maintenanceIncrement) }

    /// IM rate after `steps` steps.
    public func initialRate(steps: Int) -> Double { min(1, baseInitialRate + Double(steps) * initialIncrement) }
}

/// Rates that grow linearly in the position size, as Deribit's futures margin since 2022-01-11:
/// IM = baseIM + initialPerUnit·|size|, MM = baseMM + maintenancePerUnit·|size| (size in underlying units;
/// BTC: 2 % + 0.005 %·size and 1 % + 0.005 %·size), each capped at 100 %.
public struct SizeScaledRates: Sendable, Hashable {
    /// IM rate at size 0.
    public var baseInitialRate: Double
    /// MM rate at size 0.
    public var baseMaintenanceRate: Double
    /// IM rate added per unit of underlying.
    public var initialPerUnit: Double
    /// MM rate added per unit of underlying.
    public var maintenancePerUnit: Double

    /// Creates size-scaled rates.
    /// - Throws: ``ParameterError`` for rates outside [0, 1] or IM below MM.
    public init(baseInitialRate: Double, baseMaintenanceRate: Double, initialPerUnit: Double, maintenancePerUnit: Double) throws(ParameterError) {
        try ParameterError.check(["base_initial_rate": baseInitialRate, "base_maintenance_rate": baseMaintenanceRate,
                                  "initial_per_unit": initialPerUnit, "maintenance_per_unit": maintenancePerUnit], "must be in [0, 1]") { (0...1).contains($0) }
        guard baseInitialRate >= baseMaintenanceRate, baseMaintenanceRate > 0 else {
            throw ParameterError(field: "base_initial_rate", value: "\(baseInitialRate)", reason: "must be ≥ the positive base maintenance rate")
        }
        self.baseInitialRate = baseInitialRate
        self.baseMaintenanceRate = baseMaintenanceRate
        self.initialPerUnit = initialPerUnit
        self.maintenancePerUnit = maintenancePerUnit
    }

    /// IM rate at `baseSize` units of underlying.
    public func initialRate(baseSize: Double) -> Double { min(1, baseInitialRate + initialPerUnit * abs(baseSize)) }

    /// MM rate at `baseSize` units of underlying.
    public func maintenanceRate(baseSize: Double) -> Double { min(1, baseMaintenanceRate + maintenancePerUnit * abs(baseSize)) }
}

/// dYdX v4 open-interest-scaled initial margin (`x/perpetuals/types/liquidity_tier.go`):
/// scaling = (OI − lowerCap)/(upperCap − lowerCap); **IMF = min(baseIMF + max(scaling, 0)·(1 − baseIMF), 1)**
/// (scaling off when upperCap = 0); MMF = baseIMF·maintenanceFraction, independent of open interest.
public struct OpenInterestScaledRates: Sendable, Hashable {
    /// The base initial margin fraction.
    public var baseInitialFraction: Double
    /// MM as a fraction of the base IMF.
    public var maintenanceFraction: Double
    /// Open interest notional where scaling starts.
    public var lowerCap: Double
    /// Open interest notional where IMF reaches 1 (0 disables scaling).
    public var upperCap: Double

    /// Creates OI-scaled rates.
    /// - Throws: ``ParameterError`` for fractions outside (0, 1] or caps out of order.
    public init(baseInitialFraction: Double, maintenanceFraction: Double, lowerCap: Double, upperCap: Double) throws(ParameterError) {
        guard baseInitialFraction.isFinite, baseInitialFraction > 0, baseInitialFraction <= 1 else {
            throw ParameterError(field: "base_initial_fraction", value: "\(baseInitialFraction)", reason: "must be in (0, 1]")
        }
        guard maintenanceFraction.isFinite, maintenanceFraction > 0, maintenanceFraction <= 1 else {
            throw ParameterError(field: "maintenance_fraction", value: "\(maintenanceFraction)", reason: "must be in (0, 1]")
        }
        guard lowerCap.isFinite, upperCap.isFinite, lowerCap >= 0, upperCap == 0 || upperCap > lowerCap else {
            throw ParameterError(field: "upper_cap", value: "\(upperCap)", reason: "must be 0 (no scaling) or above lower_cap \(lowerCap)")
        }
        self.baseInitialFraction = baseInitialFraction
        self.maintenanceFraction = maintenanceFraction
        self.lowerCap = lowerCap
        self.upperCap = upperCap
    }

    /// The MM rate baseIMF·maintenanceFraction.
    public var maintenanceRate: Double { baseInitialFraction * maintenanceFraction }

    /// The effective IMF at an open interest notional.
    public func initialFraction(openInterest: Double) -> Double {
        guard upperCap > 0 else { return baseInitialFraction }
        let scaling = (openInterest - lowerCap) / (upperCap - lowerCap)
        return min(baseInitialFraction + max(scaling, 0) * (1 - baseInitialFraction), 1)
    }
}

/// Drift's size premium (`programs/drift/src/math/margin.rs`, `calculate_size_premium_liability_weight`, applied to a
/// perp market's initial and maintenance ratios by `PerpMarket::get_margin_ratio`): a ratio r grows with the square root
/// of the position size once the premium passes the discounted ratio,
/// **ratio(size) = min(1, max(r, (1 − d)·r + k·√|size|))**, size in underlying units. Drift has d = 1/5 and
/// k = imf_factor/10⁶; it computes the ratio in whole basis points, floored, which can make its figure up to one basis
/// point lower than this one.
public struct SizePremiumRates: Sendable, Hashable {
    /// The initial ratio r at small sizes.
    public var initialRatio: Double
    /// The maintenance ratio r at small sizes.
    public var maintenanceRatio: Double
    /// k: the ratio added per √(unit of underlying).
    public var premiumFactor: Double
    /// d: the share of r the premium starts from below (Drift: 0.2).
    public var premiumDiscount: Double

    /// Creates size-premium rates.
    /// - Throws: ``ParameterError`` for ratios outside (0, 1], the initial ratio below the maintenance ratio, a negative
    ///   factor, or a discount outside [0, 1].
    public init(initialRatio: Double, maintenanceRatio: Double, premiumFactor: Double, premiumDiscount: Double) throws(ParameterError) {
        try ParameterError.check(["initial_ratio": initialRatio, "maintenance_ratio": maintenanceRatio], "must be in (0, 1]") { $0 > 0 && $0 <= 1 }
        guard initialRatio >= maintenanceRatio else {
            throw ParameterError(field: "initial_ratio", value: "\(initialRatio)", reason: "must be at least the maintenance ratio \(maintenanceRatio)")
        }
        try ParameterError.check(["premium_factor": premiumFactor, "premium_discount": premiumDiscount], "must be in [0, 1]") { (0...1).contains($0) }
        self.initialRatio = initialRatio
        self.maintenanceRatio = maintenanceRatio
        self.premiumFactor = premiumFactor
        self.premiumDiscount = premiumDiscount
    }

    /// The IM rate at `baseSize` units of underlying.
    public func initialRate(baseSize: Double) -> Double { rate(initialRatio, baseSize: baseSize) }

    /// The MM rate at `baseSize` units of underlying.
    public func maintenanceRate(baseSize: Double) -> Double { rate(maintenanceRatio, baseSize: baseSize) }

    private func rate(_ ratio: Double, baseSize: Double) -> Double {
        min(1, max(ratio, (1 - premiumDiscount) * ratio + premiumFactor * abs(baseSize).squareRoot()))
    }
}
