/// The margin figures of one position at one snapshot, in its settlement asset.
///
/// Linear (PnL in quote): value = q·m·P, UPnL = value − cost, notional = |value|.
/// Inverse (PnL in coin): value = −q·m/P, UPnL = cost − q·m/P, notional = q·m/P in coin (Binance COIN-M).
/// Futures and perpetuals: requirement from the schedule on the mark or entry notional V; **IM = V·max(rate,
/// 1/leverage)**, MM from the schedule. Options: a short pays max(a·S − OTM, b·S) + mark (IM) and
/// max(c·S, d·mark) + mark (MM) per unit; a long's IM is its counted mark value (the premium is locked) and its MM 0.
public struct PositionFigures: Sendable, Hashable {
    /// Signed size in contracts.
    public var contracts: Double
    /// Notional at the mark, in the settlement asset (options: |q|·m·S).
    public var notional: Double
    /// The notional the schedule measured (mark or entry).
    public var scheduleNotional: Double
    /// The exact part of the position's contribution to its settlement asset's equity, at 10^-18: the cost basis
    /// (−cost for product-form positions, +cost for inverse ones), plus q·m·P when the mark is an exact decimal.
    public var exactEquity: Int128
    /// The rest of the contribution, which moves with the mark and is not an exact decimal: −q·m/P (inverse),
    /// q·m·P when the mark is not exact (a moved price in a liquidation search), a long option's weighted value.
    public var markValue: Double
    /// Unrealised PnL: mark value − cost (linear, options) or cost − coin value (inverse).
    public var unrealisedPnL: Double
    /// The unrealised PnL exactly, at 10^-18, when the mark is an exact decimal and the form is product (linear,
    /// options); `nil` otherwise.
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

    /// Computes the figures of `position` from its instrument's precomputed figures.
    /// - Throws: ``MarginError`` if the instrument cannot be margined or the leverage is invalid.
    public init(_ position: Position, _ risk: InstrumentRisk, symbol: @autoclosure () -> String) throws(MarginError) {
        if let problem = risk.problem { throw problem }
        let contracts = Double(position.size) * risk.sizeUnit
        let cost = Double(position.cost) * 1e-18
        self.contracts = contracts
        tier = 0
        leverageCapped = false
        // q·m·P exactly at 10^-18 when the mark is an exact decimal (product forms only).
        var exactValue: Int128?
        if let perUnit = risk.exactValuePerSizeUnit {
            let (product, overflow) = perUnit.multipliedReportingOverflow(by: Int128(position.size))
            if !overflow { exactValue = product }
        }
        exactUnrealisedPnL = exactValue.map { $0 - position.cost }
        switch risk.form {
        case .linear, .inverse:
            guard let schedule = risk.schedule else { throw .missingMarginSchedule(instrument: symbol()) }
            let signedValue: Double
            let underlyingUnits: Double
            if case .linear = risk.form {
                underlyingUnits = contracts * risk.multiplier
                signedValue = underlyingUnits * risk.mark
                if let exactValue {
                    exactEquity = exactValue - position.cost
                    markValue = 0
                    unrealisedPnL = Double(exactEquity) * 1e-18
                } else {
                    exactEquity = -position.cost
                    markValue = signedValue
                    unrealisedPnL = signedValue - cost
                }
            } else {
                signedValue = contracts * risk.multiplier / risk.mark
                underlyingUnits = signedValue
                exactEquity = position.cost
                markValue = -signedValue
                unrealisedPnL = cost - signedValue
            }
            notional = abs(signedValue)
            scheduleNotional = schedule.notionalBasis == .mark ? notional : abs(cost)
            let requirement = schedule.requirement(notional: scheduleNotional, baseSize: abs(underlyingUnits), openInterest: risk.openInterest)
            var rate = requirement.initialRate
            if let leverage = position.leverage {
                guard leverage.isFinite, leverage >= 1 else { throw .invalidLeverage(instrument: symbol(), leverage: leverage) }
                if 1 / leverage >= rate { rate = 1 / leverage } else { leverageCapped = true }
            }
            initial = scheduleNotional * rate
            maintenance = requirement.maintenance
            tier = requirement.tier
        case .option:
            guard let option = risk.option else { throw .missingMarkPrice(instrument: symbol()) }
            let value = contracts * option.value
            // Notional in the settlement asset: q·m·S in quote for a linear option, q·m units of the coin for an inverse one.
            if case .option(_, _, true) = risk.form {
                notional = abs(contracts) * risk.multiplier
            } else {
                notional = abs(contracts) * risk.multiplier * risk.underlyingPrice
            }
            scheduleNotional = notional
            unrealisedPnL = exactUnrealisedPnL.map { Double($0) * 1e-18 } ?? value - cost
            let counted = contracts >= 0 ? option.longValueWeight : 1
            if let exactValue, counted == 1 {
                exactEquity = exactValue - position.cost
                markValue = 0
            } else {
                exactEquity = -position.cost
                markValue = value * counted
            }
            if contracts >= 0 {
                initial = value * counted
                maintenance = 0
            } else {
                initial = -contracts * option.shortInitial
                maintenance = -contracts * option.shortMaintenance
            }
        case .spot:
            throw .spotPosition(instrument: symbol())
        }
        effectiveLeverage = initial > 0 ? scheduleNotional / initial : .infinity
    }
}
