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
    /// The fee to close (``MarginSchedule/closeFeeRate`` at ``MarginSchedule/maintenanceCloseFeeBasis``), in the
    /// settlement asset; part of `maintenance`, and of `initial` unless the schedule values it apart there
    /// (``MarginSchedule/closeFeeBasis``).
    public var closeFee: Double

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
        closeFee = 0
        effectiveLeverage = .infinity  // a share of a portfolio requirement implies no leverage
        leverageCapped = false
    }

    /// Computes the standard-margin figures of `position` in `context`, alone: a short option whose margin factor
    /// follows the account's size sold (``OptionMarginParameters/marginFactorTiers``) takes the first tier's (the
    /// account kernel, ``AccountMargin``, gives it the account's).
    /// - Throws: ``MarginError`` if the instrument cannot be valued or margined, or the leverage is invalid.
    public init(_ position: borrowing Position, in context: borrowing RiskContext) throws(MarginError) {
        if let problem = PositionMath.standardProblem(position, in: context) { throw problem }
        let index = position.instrument.index
        let risk = context.instruments[index]
        let value = PositionMath.value(size: position.size, cost: position.cost, risk: risk, longOptionWeight: risk.option?.longValueWeight ?? 1)
        let (cost, leverage) = (position.cost, position.leverage)
        let requirement = context.tiers.withView { tiers in
            PositionMath.requirement(value: value, cost: cost, leverageRate: PositionMath.leverageRate(leverage), risk: risk, tiers: tiers,
                                     details: context.details, index: index)
        }
        self.init(value: value, requirement: requirement, cost: position.cost, form: risk.form)
    }

    init(value: PositionMath.Value, requirement: PositionMath.Requirement, cost: Int128, form: InstrumentRisk.Form) {
        contracts = value.contracts
        exactEquity = value.exactEquity
        markValue = value.markValue
        unrealisedPnL = value.unrealisedPnL(cost: cost, form: form)
        exactUnrealisedPnL = value.hasExactValue ? value.exactValue &- cost : nil
        notional = requirement.notional
        scheduleNotional = requirement.scheduleNotional
        initial = requirement.initial
        maintenance = requirement.maintenance
        tier = requirement.tier
        leverageCapped = requirement.leverageCapped
        closeFee = requirement.closeFee
        effectiveLeverage = initial > 0 ? scheduleNotional / initial : .infinity
    }
}
