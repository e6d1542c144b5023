/// How far the prices of one underlying may move, relative to their values at the evaluation, before a pool's
/// health state can change.
public struct PriceTolerance: Sendable, Hashable {
    /// The price group: an asset's index price, and the marks and underlying prices of every instrument on it.
    public var group: AssetID
    /// The largest relative move ε of every price of the group (each price p stays in [p·(1−ε), p·(1+ε)]) that
    /// cannot change the state while every other group also stays within its own tolerance. 0 means any move may.
    public var move: Double

    /// Creates a tolerance.
    public init(group: AssetID, move: Double) {
        self.group = group
        self.move = move
    }
}

/// Bounds, for a pool just evaluated, how far each price group can move before its health state can change, so an
/// engine re-evaluates on a price tick only the pools whose tolerance the move exceeds (the others provably keep their
/// state).
///
/// **Derivation.** Let every price of group u move by a relative θ with |θ| ≤ εᵤ ≤ ε_max = ``maximumMove``. In each
/// settlement asset s the pool's equity Eₛ and maintenance MMₛ change by at most Σᵢ dEᵢ·εᵤ₍ᵢ₎ and Σᵢ dMMᵢ·εᵤ₍ᵢ₎, with
/// per position i (settlement units, per unit of ε):
/// - linear future: dE = V = |q|·m·P (the value moves with its mark); dMM = slope·V, where slope bounds dMM/dV up to
///   V/(1−ε_max) (``MaintenanceSlopes``, the fee to close included), or only the fee rate f·V for entry-notional
///   schedules (their MM is fixed at entry but for the fee to close, which is on the mark notional);
/// - inverse future: value |q|·m/P moves by at most V·ε/(1−ε) ≤ V·ε·G with G = 1/(1−ε_max); dMM = slope·V·G;
/// - option: dE = |q|·m·mark (times the long value weight); a short's MM per unit, max(c·S, d·mark) + mark + f·S (or
///   the same divided by S for coin-settled options), is a max and sum of terms of degree 1 (or 0) in the group's
///   prices, so it moves by at most MM·ε.
/// The pool values Eₛ at the index price pₛ (group s) through a haircut whose slope in quantity and in price is at
/// most wₛ = max(1, liability weight), so |Δ margin balance| ≤ Σₛ wₛ·(|ΔEₛ|·pₛ·(1+ε_max) + |Eₛ|·pₛ·εₛ) and
/// |Δ MM| ≤ Σₛ (|ΔMMₛ|·pₛ·(1+ε_max) + MMₛ·pₛ·εₛ). A state boundary is a line MB = t·MM (t a health threshold) or
/// E = 0, so the state cannot change while Σᵤ Kᵤ·εᵤ < slack, with Kᵤ the sum of the terms above for group u weighted
/// by (w, t) and slack the distance to the nearer boundary. The budget is split equally between the groups:
/// **εᵤ = min(ε_max, slack / (n·Kᵤ))**, n the number of groups the pool depends on. The slack is reduced by four units
/// of the valuation currency's last decimal (the money figures are rounded) and 1e-9 of the figures (floating error).
///
/// Schedules without a continuous bound (risk-limit steps) give tolerance 0 for every group: the pool is re-evaluated
/// on every move. Portfolio-margined pools are not covered here (their requirement is a scenario maximum).
public struct StateTolerance: Sendable {
    /// ε_max: no tolerance exceeds a 25 % move, and the bounds above use this as the largest move.
    public static let maximumMove = 0.25

    /// Coefficient Kᵤ per asset index, with the list of groups touched.
    private var coefficients: [Double]
    private var touched: [Int] = []

    /// A builder for a catalog of `assetCount` assets.
    public init(assetCount: Int) {
        coefficients = Array(repeating: 0, count: assetCount)
    }

    /// The tolerances of a standard-margin cross pool from an evaluation observed by `sensitivity`, appended to `output`.
    /// - Parameters:
    ///   - money: the pool's money figures; `state` its state under the context's health thresholds.
    public mutating func cross(sensitivity: PoolSensitivity, money: MoneyFigures, state: HealthState,
                               context: RiskContext, slopes: MaintenanceSlopes, into output: inout [PriceTolerance]) {
        let (t, slack) = Self.boundary(state: state, money: money, ratios: context.healthThresholds.ratios)
        var bounded = true
        for entry in sensitivity.positions {
            let risk = context.instruments[entry.instrument.index]
            let settle = risk.settle.index
            let weight = max(1, context.parameters.collateral[settle].liabilityWeight)
            guard let (dE, dMM) = Self.sensitivity(entry.instrument, figures: entry.figures, risk: risk, slopes: slopes) else {
                bounded = false
                add(risk.underlying.index, 1)
                continue
            }
            add(risk.underlying.index, (weight * dE + t * dMM) * context.indexPrices[settle] * (1 + Self.maximumMove))
        }
        for asset in sensitivity.assets {
            let weight = max(1, context.parameters.collateral[asset.asset.index].liabilityWeight)
            add(asset.asset.index, (weight * abs(asset.equity) + t * asset.maintenance) * asset.price)
        }
        finish(slack: bounded ? slack : 0, into: &output)
    }

    /// The tolerances of an isolated position's pool (no haircut: weight 1), appended to `output`.
    /// - Parameters:
    ///   - pool: the pool's figures from ``AccountMargin/isolatedPool(_:slot:context:)``; `money` and `state` as money.
    public mutating func isolated(position: borrowing Position, figures: PositionFigures, pool: PoolFigures, money: MoneyFigures,
                                  state: HealthState, context: RiskContext, slopes: MaintenanceSlopes, into output: inout [PriceTolerance]) {
        let (t, slack) = Self.boundary(state: state, money: money, ratios: context.healthThresholds.ratios)
        let risk = context.instruments[position.instrument.index]
        let price = context.indexPrices[risk.settle.index]
        guard let (dE, dMM) = Self.sensitivity(position.instrument, figures: figures, risk: risk, slopes: slopes), price > 0 else {
            add(risk.underlying.index, 1)
            add(risk.settle.index, 1)
            finish(slack: 0, into: &output)
            return
        }
        add(risk.underlying.index, (dE + t * dMM) * price * (1 + Self.maximumMove))
        add(risk.settle.index, abs(pool.equity) + t * pool.maintenance)
        finish(slack: slack, into: &output)
    }

    /// dE and dMM of one position per unit of relative move, in its settlement asset; `nil` if its schedule has no
    /// continuous bound.
    static func sensitivity(_ instrument: InstrumentID, figures: PositionFigures, risk: InstrumentRisk,
                            slopes: MaintenanceSlopes) -> (Double, Double)? {
        let growth = 1 / (1 - maximumMove)
        switch risk.form {
        case .linear, .inverse:
            let factor = risk.form == .inverse ? growth : 1
            let equity = figures.notional * factor
            // On entry only a fee to close on the mark notional moves with the price (one at the bankruptcy price from
            // entry does not).
            guard risk.notionalBasis == .mark else { return (equity, risk.closeFeeAtBankruptcy ? 0 : figures.closeFee * factor) }
            guard let slope = slopes.bound(instrument, upTo: figures.scheduleNotional * growth, maintenance: figures.maintenance,
                                           notional: figures.scheduleNotional) else { return nil }
            return (equity, slope * figures.scheduleNotional * factor)
        case .option:
            let value = abs(figures.contracts) * (risk.option?.value ?? 0)
            let weight = figures.contracts >= 0 ? (risk.option?.longValueWeight ?? 1) : 1
            return (value * weight, figures.contracts < 0 ? figures.maintenance : 0)
        case .spot:
            return (0, 0)
        }
    }

    /// The threshold t that weights the requirement and the slack to the nearer boundary of `state`, in the
    /// valuation currency. The boundary toward a worse state is the worse state's threshold; the one toward a better
    /// state is this state's threshold raised by the bands' exit buffer (hysteresis: the pool leaves only there).
    /// `ratios` are the context's bands (``RiskContext/healthThresholds``).
    static func boundary(state: HealthState, money: MoneyFigures, ratios: HealthThresholds.Ratios) -> (t: Double, slack: Double) {
        let unit = PowersOfTen.double(money.decimals)
        let marginBalance = Double(nearest: money.marginBalance) / unit
        let equity = Double(nearest: money.equity) / unit
        let maintenance = Double(nearest: money.maintenance) / unit
        let (warning, reduceOnly, liquidation, buffer) = (ratios.warning, ratios.reduceOnly, ratios.liquidation, ratios.exitBuffer)
        let t: Double
        let slack: Double
        switch state {
        case .healthy:
            t = warning
            slack = marginBalance - warning * maintenance
        case .warning:
            t = warning + buffer
            slack = min(marginBalance - reduceOnly * maintenance, t * maintenance - marginBalance)
        case .reduceOnly:
            t = reduceOnly + buffer
            slack = min(marginBalance - liquidation * maintenance, t * maintenance - marginBalance)
        case .liquidation:
            t = liquidation + buffer
            slack = min(equity, t * maintenance - marginBalance)
        case .bankrupt:
            t = liquidation
            slack = -equity
        }
        let rounding = 4 / unit * (1 + t)
        let floating = 1e-9 * (abs(marginBalance) + t * maintenance + abs(equity))
        return (t, slack - rounding - floating)
    }

    private mutating func add(_ group: Int, _ coefficient: Double) {
        if coefficients[group] == 0 && !touched.contains(group) { touched.append(group) }
        coefficients[group] += coefficient
    }

    /// Splits the slack between the touched groups and resets the coefficients.
    private mutating func finish(slack: Double, into output: inout [PriceTolerance]) {
        let groups = touched.reduce(0) { $0 + (coefficients[$1] > 0 ? 1 : 0) }
        touched.sort()
        for group in touched {
            let k = coefficients[group]
            coefficients[group] = 0
            guard k > 0 || !k.isFinite else { continue }
            var move = slack > 0 && k.isFinite ? min(Self.maximumMove, slack / (Double(groups) * k)) : 0
            if !move.isFinite || move < 0 { move = 0 }
            output.append(PriceTolerance(group: AssetID(group), move: move))
        }
        touched.removeAll(keepingCapacity: true)
    }
}
