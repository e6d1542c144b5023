/// The standard-margin figures of one position at one snapshot, in its settlement asset: its ``PositionValue`` and
/// its requirements.
///
/// Futures and perpetuals: requirement from the schedule on the mark or entry notional V; **IM = V·max(rate,
/// 1/leverage)**, MM from the schedule. Options: a short pays max(a·S − OTM, b·S) + mark (IM) and
/// max(c·S, d·mark) + mark (MM) per unit; a long's IM is its counted mark value (the premium is locked) and its MM 0.
public struct PositionFigures: Sendable, Hashable {
    /// Signed size in contracts.
    public var contracts: Double
    /// Notional at the mark, in the settlement asset (options: |q|·m·S in quote, or |q|·m units of the coin).
    public var notional: Double
    /// The notional the schedule measured (mark or entry).
    public var scheduleNotional: Double
    /// The exact part of the position's contribution to its settlement asset's equity, at 10^-18.
    public var exactEquity: Int128
    /// The rest of the contribution (see ``PositionValue/markValue``).
    public var markValue: Double
    /// Unrealised PnL.
    public var unrealisedPnL: Double
    /// Unrealised PnL exactly at 10^-18, when available.
    public var exactUnrealisedPnL: Int128?
    /// Initial margin.
    public var initial: Double
    /// Maintenance margin.
    public var maintenance: Double
    /// The tier or step of the schedule (0 for options).
    public var tier: Int
    /// The leverage the initial margin implies (notional/IM); infinite when IM is 0.
    public var effectiveLeverage: Double
    /// Whether the chosen leverage exceeded the schedule's cap and the cap applied.
    public var leverageCapped: Bool

    /// Figures from a position's value and requirements computed elsewhere (a portfolio-margin contribution).
    init(value: PositionValue, notional: Double, initial: Double, maintenance: Double) {
        contracts = value.contracts
        self.notional = notional
        scheduleNotional = notional
        exactEquity = value.exactEquity
        markValue = value.markValue
        unrealisedPnL = value.unrealisedPnL
        exactUnrealisedPnL = value.exactUnrealisedPnL
        self.initial = initial
        self.maintenance = maintenance
        tier = 0
        effectiveLeverage = .infinity  // a share of a portfolio requirement implies no leverage
        leverageCapped = false
    }

    /// Computes the figures of `position` from its instrument's precomputed figures.
    /// - Throws: ``MarginError`` if the instrument cannot be valued or margined, or the leverage is invalid.
    public init(_ position: Position, _ risk: InstrumentRisk, symbol: @autoclosure () -> String) throws(MarginError) {
        if let problem = risk.problem { throw problem }
        if let problem = risk.standardProblem { throw problem }
        let weight = risk.option?.longValueWeight ?? 1
        let value = try PositionValue(position, risk, longOptionWeight: weight)
        contracts = value.contracts
        exactEquity = value.exactEquity
        markValue = value.markValue
        unrealisedPnL = value.unrealisedPnL
        exactUnrealisedPnL = value.exactUnrealisedPnL
        tier = 0
        leverageCapped = false
        switch risk.form {
        case .linear, .inverse:
            guard let schedule = risk.schedule else { throw .missingMarginSchedule(instrument: symbol()) }
            notional = abs(value.signedValue)
            scheduleNotional = schedule.notionalBasis == .mark ? notional : abs(Double(position.cost) * 1e-18)
            let underlyingUnits = risk.form == .linear ? value.contracts * risk.multiplier : value.signedValue
            let requirement = schedule.requirement(notional: scheduleNotional, baseSize: abs(underlyingUnits), openInterest: risk.openInterest)
            var rate = requirement.initialRate
            if let leverage = position.leverage {
                guard leverage.isFinite, leverage >= 1 else { throw .invalidLeverage(instrument: symbol(), leverage: leverage) }
                if 1 / leverage >= rate { rate = 1 / leverage } else { leverageCapped = true }
            }
            initial = scheduleNotional * rate
            maintenance = requirement.maintenance
            tier = requirement.tier
        case .option(_, _, let coinSettled):
            guard let option = risk.option else { throw .missingMarkPrice(instrument: symbol()) }
            notional = abs(value.contracts) * risk.multiplier * (coinSettled ? 1 : risk.underlyingPrice)
            scheduleNotional = notional
            if value.contracts >= 0 {
                initial = value.signedValue * option.longValueWeight
                maintenance = 0
            } else {
                initial = -value.contracts * option.shortInitial
                maintenance = -value.contracts * option.shortMaintenance
            }
        case .spot:
            throw .spotPosition(instrument: symbol())
        }
        effectiveLeverage = initial > 0 ? scheduleNotional / initial : .infinity
    }
}
