/// Why an implied volatility could not be found.
public enum ImpliedVolatilityError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The price is below the discounted intrinsic value: no volatility produces it.
    case belowIntrinsic(price: Double, intrinsic: Double)
    /// The price reaches the no-arbitrage ceiling (D·F for a call, D·K for a put).
    case aboveUpperBound(price: Double, bound: Double)
    /// An input is not a positive finite number (or T ≤ 0).
    case invalidInput(field: String, value: Double)
    /// The solver did not meet its tolerance within the iteration budget.
    case noConvergence(lastVolatility: Double, priceError: Double)

    /// A sentence naming the cause.
    public var description: String {
        switch self {
        case .belowIntrinsic(let price, let intrinsic): return "price \(price) is below the discounted intrinsic value \(intrinsic)"
        case .aboveUpperBound(let price, let bound): return "price \(price) is at or above the no-arbitrage bound \(bound)"
        case .invalidInput(let field, let value): return "\(field) must be a positive finite number, got \(value)"
        case .noConvergence(let volatility, let error): return "no convergence (last volatility \(volatility), price error \(error))"
        }
    }
}

extension Black76 {
    /// The volatility at which the Black-76 value equals `price` (quote currency per unit of underlying).
    ///
    /// A safeguarded Newton iteration inside a bracket [σ_lo, σ_hi] that always contains the root: the value is
    /// strictly increasing in σ, so every evaluation shrinks the bracket; a Newton step that leaves the bracket,
    /// or a vanishing vega, falls back to bisection. Converges when the bracket is narrower than 1e-15·σ or the
    /// price matches to 1e-14 relative; σ is searched in (0, 50].
    ///
    /// - Throws: ``ImpliedVolatilityError`` saying why no volatility fits.
    public static func impliedVolatility(right: OptionRight, price: Double, forward: Double, strike: Double,
                                         time: Double, rate: Double = 0) throws(ImpliedVolatilityError) -> Double {
        for (field, value) in [("price", price), ("forward", forward), ("strike", strike), ("time", time)]
            where !(value.isFinite && value > 0) {
            throw .invalidInput(field: field, value: value)
        }
        guard rate.isFinite else { throw .invalidInput(field: "rate", value: rate) }
        var model = Black76(right: right, forward: forward, strike: strike, volatility: 0, time: time, rate: rate)
        let intrinsic = model.price
        let ceiling = model.discount * (right == .call ? forward : strike)
        guard price > intrinsic else { throw .belowIntrinsic(price: price, intrinsic: intrinsic) }
        guard price < ceiling else { throw .aboveUpperBound(price: price, bound: ceiling) }

        var low = 0.0
        var high = 50.0
        model.volatility = high
        guard model.price >= price else { throw .noConvergence(lastVolatility: high, priceError: model.price - price) }
        // Brenner–Subrahmanyam start: σ ≈ √(2π/T)·V/(D·F), clamped into the bracket.
        var sigma = min(max((2 * Double.pi / time).squareRoot() * price / (model.discount * forward), 1e-4), 5)
        var lastError = Double.infinity
        for _ in 0..<200 {
            model.volatility = sigma
            let error = model.price - price
            lastError = error
            if abs(error) <= 1e-14 * price { return sigma }
            if error > 0 { high = sigma } else { low = sigma }
            if high - low <= 1e-15 * high { return sigma }
            let vega = model.vega
            var next = sigma - error / vega
            if !(vega > 0) || !next.isFinite || next <= low || next >= high { next = 0.5 * (low + high) }
            sigma = next
        }
        throw .noConvergence(lastVolatility: sigma, priceError: lastError)
    }
}
