import RealModule

/// A European option valued with Black's 1976 model on a forward, with its sensitivities.
///
/// D = e^(−rT); d₁ = [ln(F/K) + σ²T/2]/(σ√T); d₂ = d₁ − σ√T;
/// **C = D·[F·N(d₁) − K·N(d₂)]**, **P = D·[K·N(−d₂) − F·N(−d₁)]**;
/// Δ_C = D·N(d₁), Δ_P = −D·N(−d₁); Γ = D·φ(d₁)/(F·σ√T); vega = D·F·φ(d₁)·√T;
/// θ = ∂V/∂t with F fixed, per year = r·V − D·F·φ(d₁)·σ/(2√T)
/// (F. Black, "The pricing of commodity contracts", *J. Financial Economics* 3 (1976) 167–179; cross-checked
/// against QuantLib `BlackCalculator` in the test fixture). Crypto venues use r = 0.
///
/// **Inverse (coin-settled) options** are quoted in coin: V_coin = V/F, and their greeks are the derivatives of
/// V/F (Δ = Δ_USD/F − V/F², Γ = Γ_USD/F − 2Δ_USD/F² + 2V/F³, vega = vega_USD/F, θ = θ_USD/F).
///
/// At expiry (T ≤ 0) or zero volatility the value is the discounted intrinsic value and the greeks are those of
/// the intrinsic payoff (Δ = ±D in the money, 0 out of it; Γ = vega = 0).
public struct Black76: Sendable, Hashable {
    /// Call or put.
    public var right: OptionRight
    /// Forward price F (> 0).
    public var forward: Double
    /// Strike K (> 0).
    public var strike: Double
    /// Annualised volatility σ (≥ 0).
    public var volatility: Double
    /// Time to expiry T in years.
    public var time: Double
    /// Continuously compounded rate r.
    public var rate: Double

    /// Creates a valuation.
    public init(right: OptionRight, forward: Double, strike: Double, volatility: Double, time: Double, rate: Double = 0) {
        self.right = right
        self.forward = forward
        self.strike = strike
        self.volatility = volatility
        self.time = time
        self.rate = rate
    }

    /// The discount factor D = e^(−rT) (1 when T ≤ 0 or r = 0, without calling `exp`).
    public var discount: Double { time > 0 && rate != 0 ? Double.exp(-rate * time) : 1 }

    /// Whether the time value has vanished (T ≤ 0 or σ·√T = 0).
    var isIntrinsic: Bool { !(time > 0 && volatility > 0) }

    /// (d₁, d₂, σ√T).
    var d: (d1: Double, d2: Double, stdDev: Double) { d(logMoneyness: Double.log(forward / strike)) }

    /// (d₁, d₂, σ√T) from ln(F/K).
    @inline(__always)
    func d(logMoneyness: Double) -> (d1: Double, d2: Double, stdDev: Double) {
        let stdDev = volatility * time.squareRoot()
        let d1 = (logMoneyness + 0.5 * stdDev * stdDev) / stdDev
        return (d1, d1 - stdDev, stdDev)
    }

    /// The value in quote currency per unit of underlying.
    public var price: Double { price(logMoneyness: isIntrinsic ? 0 : Double.log(forward / strike)) }

    /// ``price`` with ln(F/K) given (unused for an intrinsic value): a scenario loop computes it once per forward and
    /// shares it between the volatility moves of that forward.
    func price(logMoneyness: Double) -> Double {
        let df = discount
        if isIntrinsic {
            return df * max(0, right == .call ? forward - strike : strike - forward)
        }
        let (d1, d2, _) = d(logMoneyness: logMoneyness)
        switch right {
        case .call: return df * (forward * NormalDistribution.cdf(d1) - strike * NormalDistribution.cdf(d2))
        case .put: return df * (strike * NormalDistribution.cdf(-d2) - forward * NormalDistribution.cdf(-d1))
        }
    }

    /// ∂V/∂F.
    public var delta: Double {
        let df = discount
        if isIntrinsic {
            let inTheMoney = right == .call ? forward > strike : forward < strike
            return inTheMoney ? (right == .call ? df : -df) : 0
        }
        let d1 = d.d1
        return right == .call ? df * NormalDistribution.cdf(d1) : -df * NormalDistribution.cdf(-d1)
    }

    /// ∂²V/∂F².
    public var gamma: Double {
        if isIntrinsic { return 0 }
        let (d1, _, stdDev) = d
        return discount * NormalDistribution.density(d1) / (forward * stdDev)
    }

    /// ∂V/∂σ (per 1.00 of volatility).
    public var vega: Double {
        if isIntrinsic { return 0 }
        return discount * forward * NormalDistribution.density(d.d1) * time.squareRoot()
    }

    /// ∂V/∂t with F fixed, per year (negative for a long option when r = 0).
    public var theta: Double {
        if isIntrinsic { return rate * price }
        let d1 = d.d1
        return rate * price - discount * forward * NormalDistribution.density(d1) * volatility / (2 * time.squareRoot())
    }

    /// The value of the coin-settled option, in coin per unit of underlying: V/F.
    public var inversePrice: Double { price / forward }

    /// ∂(V/F)/∂F.
    public var inverseDelta: Double { delta / forward - price / (forward * forward) }

    /// ∂²(V/F)/∂F².
    public var inverseGamma: Double {
        let f = forward
        return gamma / f - 2 * delta / (f * f) + 2 * price / (f * f * f)
    }

    /// ∂(V/F)/∂σ.
    public var inverseVega: Double { vega / forward }

    /// ∂(V/F)/∂t with F fixed, per year.
    public var inverseTheta: Double { theta / forward }
}
