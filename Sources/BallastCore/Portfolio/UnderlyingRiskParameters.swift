/// How implied volatility is shocked in the "vol up" and "vol down" scenarios.
public enum VolatilityShock: Sendable, Hashable {
    /// σ ± points (SPAN volatility scan range in absolute vol points).
    case absolute(up: Double, down: Double)
    /// σ·(1 ± fraction).
    case relative(up: Double, down: Double)
    /// Deribit portfolio margin: with m = (30/DTE)^p (p = `shortTermPower` below 30 days to expiry, `longTermPower`
    /// above), **σ_up = max(σ·(1 + rangeUp·m), minimumUp)**, **σ_down = max(σ·(1 − rangeDown·m), 0)**.
    case deribit(rangeUp: Double, rangeDown: Double, minimumUp: Double, shortTermPower: Double, longTermPower: Double)

    /// (σ up, σ down) for volatility `sigma` and `years` to expiry; never negative.
    public func shocked(_ sigma: Double, years: Double) -> (up: Double, down: Double) {
        switch self {
        case .absolute(let up, let down):
            return (sigma + up, max(0, sigma - down))
        case .relative(let up, let down):
            return (sigma * (1 + up), max(0, sigma * (1 - down)))
        case .deribit(let rangeUp, let rangeDown, let minimumUp, let shortPower, let longPower):
            let days = max(years * 365, 1.0 / 24)
            let multiplier = Double.pow(30 / days, days < 30 ? shortPower : longPower)
            return (max(sigma * (1 + rangeUp * multiplier), minimumUp), max(0, sigma * (1 - rangeDown * multiplier)))
        }
    }
}

/// Charges between expiries of one underlying: delta of one tenor offsetting the opposite delta of another is not a
/// perfect hedge (SPAN intra-commodity spread charge; OKX MR4; Deribit roll shock).
///
/// Opposite net deltas of two tenors form n = min(|Δᵢ|, |Δⱼ|) spreads (units of underlying), nearest tenors paired
/// first. Each spread is charged the pair's stated charge if one is given (SPAN spread tiers, in the valuation currency
/// per unit), else **S·(floorRate + annualRate·|Tᵢ − Tⱼ|)**. A perpetual is the tenor 0.
public struct CalendarSpreadCharge: Sendable, Hashable {
    /// Charge per unit of spread as a fraction of the underlying price, whatever the tenors.
    public var floorRate: Double
    /// Extra charge per unit of spread per year between the tenors.
    public var annualRate: Double
    /// Charges per unit for given pairs of expiries (either order), overriding the rates.
    public var pairCharges: [ExpiryPair: Double]

    /// Two expiries (`nil` = perpetual), unordered.
    public struct ExpiryPair: Sendable, Hashable {
        /// The earlier tenor.
        public let first: Timestamp?
        /// The later tenor.
        public let second: Timestamp?

        /// A pair, stored in a canonical order.
        public init(_ a: Timestamp?, _ b: Timestamp?) {
            let aKey = a?.millisecondsSinceEpoch ?? Int64.min
            let bKey = b?.millisecondsSinceEpoch ?? Int64.min
            (first, second) = aKey <= bKey ? (a, b) : (b, a)
        }
    }

    /// Creates a calendar spread charge.
    public init(floorRate: Double = 0, annualRate: Double = 0, pairCharges: [ExpiryPair: Double] = [:]) {
        self.floorRate = floorRate
        self.annualRate = annualRate
        self.pairCharges = pairCharges
    }
}

/// Portfolio-margin parameters of one underlying.
public struct UnderlyingRiskParameters: Sendable, Hashable {
    /// The price scan range as a relative move (0.16 = 16 %).
    public var priceScanRange: Double
    /// The volatility shock of the "up" and "down" scenarios.
    public var volatilityShock: VolatilityShock
    /// The calendar spread charge, if any.
    public var calendarSpread: CalendarSpreadCharge?
    /// Short option minimum: the risk of the underlying is at least rate × S × max(short call units, short put units)
    /// (CME SOM, method MAX).
    public var shortOptionMinimumRate: Double
    /// Delta shock: rate × max(0, |net delta|·S − threshold) (Deribit's delta shock above a liquidity threshold).
    public var deltaShockRate: Double
    /// The notional of net delta below which no delta shock applies.
    public var deltaShockThreshold: Double
    /// Roll shock: rate × Σ |dated future notional| (Deribit's roll shock with its annualised-move floor).
    public var rollShockRate: Double
    /// The least risk charged for an underlying with any position, in the valuation currency.
    public var minimumCharge: Double

    /// Creates parameters.
    /// - Throws: ``ParameterError`` for a scan range outside (0, 1), a negative rate or volatility shock (a shock "up"
    ///   below zero priced options at a negative volatility), or calendar-spread rates outside [0, 10].
    public init(priceScanRange: Double, volatilityShock: VolatilityShock = .relative(up: 0.25, down: 0.25), calendarSpread: CalendarSpreadCharge? = nil,
                shortOptionMinimumRate: Double = 0, deltaShockRate: Double = 0, deltaShockThreshold: Double = 0, rollShockRate: Double = 0,
                minimumCharge: Double = 0) throws(ParameterError) {
        guard priceScanRange.isFinite, priceScanRange > 0, priceScanRange < 1 else {
            throw ParameterError(field: "price_scan_range", value: "\(priceScanRange)", reason: "must be in (0, 1)")
        }
        try ParameterError.check(["short_option_minimum_rate": shortOptionMinimumRate, "delta_shock_rate": deltaShockRate,
                                  "delta_shock_threshold": deltaShockThreshold, "roll_shock_rate": rollShockRate, "minimum_charge": minimumCharge],
                                 "must be ≥ 0") { $0 >= 0 }
        switch volatilityShock {
        case .absolute(let up, let down), .relative(let up, let down):
            try ParameterError.check(["volatility_shock.up": up, "volatility_shock.down": down], "must be ≥ 0") { $0 >= 0 }
        case .deribit(let rangeUp, let rangeDown, let minimumUp, let shortPower, let longPower):
            try ParameterError.check(["volatility_shock.up": rangeUp, "volatility_shock.down": rangeDown, "volatility_shock.minimum_up": minimumUp],
                                     "must be ≥ 0") { $0 >= 0 }
            try ParameterError.check(["volatility_shock.short_term_power": shortPower, "volatility_shock.long_term_power": longPower],
                                     "must be a finite number") { $0.isFinite }
        }
        if let calendarSpread {
            try ParameterError.check(["calendar_spread.floor_rate": calendarSpread.floorRate, "calendar_spread.annual_rate": calendarSpread.annualRate],
                                     "is not a rate from 0 to 10") { $0 >= 0 && $0 <= 10 }
        }
        self.priceScanRange = priceScanRange
        self.volatilityShock = volatilityShock
        self.calendarSpread = calendarSpread
        self.shortOptionMinimumRate = shortOptionMinimumRate
        self.deltaShockRate = deltaShockRate
        self.deltaShockThreshold = deltaShockThreshold
        self.rollShockRate = rollShockRate
        self.minimumCharge = minimumCharge
    }
}

import RealModule

extension UnderlyingRisk.Terms {
    /// The terms of `parameters`.
    init(_ parameters: borrowing UnderlyingRiskParameters) {
        self.init(shortOptionMinimumRate: parameters.shortOptionMinimumRate, deltaShockRate: parameters.deltaShockRate,
                  deltaShockThreshold: parameters.deltaShockThreshold, rollShockRate: parameters.rollShockRate,
                  minimumCharge: parameters.minimumCharge, hasCalendarSpread: parameters.calendarSpread != nil)
    }

    /// The terms of ``PortfolioParameters/underlying(_:)``, read in place: copying an underlying's parameters out of the
    /// array would retain and release its calendar pair charges.
    init(_ parameters: borrowing PortfolioParameters, underlying: Int) {
        let own: Self? = parameters.underlyings.withUnsafeBufferPointer { list in
            guard underlying < list.count, let rate = list[underlying]?.shortOptionMinimumRate else { return nil }
            return Self(shortOptionMinimumRate: rate, deltaShockRate: list[underlying]?.deltaShockRate ?? 0,
                        deltaShockThreshold: list[underlying]?.deltaShockThreshold ?? 0, rollShockRate: list[underlying]?.rollShockRate ?? 0,
                        minimumCharge: list[underlying]?.minimumCharge ?? 0, hasCalendarSpread: list[underlying]?.calendarSpread != nil)
        }
        self = own ?? Self(parameters.defaultUnderlying)
    }
}
