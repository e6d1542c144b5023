/// The per-position arithmetic of standard margin as plain functions over plain data: the one implementation behind
/// ``PositionValue``, ``PositionFigures`` and the account kernels.
enum PositionMath {
    /// A position's value parts (see ``PositionValue``).
    struct Value {
        var contracts: Double
        var signedValue: Double
        var exactEquity: Int128
        var markValue: Double
        /// q·m·P exactly at 10^-18 when the mark is an exact decimal (product forms), for an exact unrealised PnL.
        var exactValue: Int128
        var hasExactValue: Bool

        /// Unrealised PnL (reports only: the kernels need the equity parts).
        func unrealisedPnL(cost: Int128, form: InstrumentRisk.Form) -> Double {
            if hasExactValue { return Double(nearest: exactValue &- cost) * 1e-18 }
            switch form {
            case .inverse: return Double(nearest: cost) * 1e-18 - signedValue
            default: return signedValue - Double(nearest: cost) * 1e-18
            }
        }
    }

    /// Linear: value = q·m·P, UPnL = value − cost; inverse: UPnL = cost − q·m/P; option: value = q·m·mark, equity part
    /// = (weighted) value − cost. The exact part is an integer at 10^-18. The instrument must be usable.
    @inline(__always)
    static func value(size: Int64, cost: Int128, risk: borrowing InstrumentRisk, longOptionWeight: Double) -> Value {
        let contracts = Double(size) * risk.sizeUnit
        let approximate = contracts * risk.multiplier * risk.mark
        // q·m·P exactly: |q·m·P| < 10^19 of the asset (10^37 at 10^-18) cannot overflow Int128, so a plain product is safe.
        let hasExact = risk.hasExactValue && abs(approximate) < 1e19
        let exactValue = hasExact ? Int128(size) &* risk.exactValueUnits : 0
        switch risk.form {
        case .linear:
            let signed = approximate
            if hasExact {
                return Value(contracts: contracts, signedValue: signed, exactEquity: exactValue &- cost, markValue: 0, exactValue: exactValue,
                             hasExactValue: true)
            }
            return Value(contracts: contracts, signedValue: signed, exactEquity: 0 &- cost, markValue: signed, exactValue: 0, hasExactValue: false)
        case .inverse:
            let signed = contracts * risk.multiplier / risk.mark
            return Value(contracts: contracts, signedValue: signed, exactEquity: cost, markValue: -signed, exactValue: 0, hasExactValue: false)
        case .option, .spot:
            let value = approximate
            let counted = contracts >= 0 ? longOptionWeight : 1
            if hasExact && counted == 1 {
                return Value(contracts: contracts, signedValue: value, exactEquity: exactValue &- cost, markValue: 0, exactValue: exactValue,
                             hasExactValue: true)
            }
            return Value(contracts: contracts, signedValue: value, exactEquity: 0 &- cost, markValue: value * counted, exactValue: exactValue,
                         hasExactValue: hasExact)
        }
    }

    /// A position's standard requirements.
    struct Requirement {
        var notional: Double
        var scheduleNotional: Double
        var initial: Double
        var maintenance: Double
        var tier: Int
        var leverageCapped: Bool
    }

    /// Futures: IM = V·max(rate, 1/leverage), MM from the schedule (flattened tiers, or the full schedule for other
    /// shapes); options: short max(a·S − OTM, b·S) + mark and max(c·S, d·mark) + mark per unit, long IM = counted value,
    /// MM 0. The instrument must have standard margin and the leverage must be valid (≥ 1) or `nil`.
    @inline(__always)
    static func requirement(value: Value, cost: Int128, leverage: Double?, risk: borrowing InstrumentRisk, tiers: FlatTiers.View,
                            schedule: MarginSchedule?) -> Requirement {
        switch risk.form {
        case .linear, .inverse:
            let notional = abs(value.signedValue)
            let measured = risk.notionalBasis == .mark ? notional : abs(Double(nearest: cost) * 1e-18)
            let requirement: MarginSchedule.Requirement
            if !risk.tierRange.isEmpty {
                requirement = tiers.requirement(notional: measured, range: risk.tierRange, firstStep: risk.tierSearchStep)
            } else {
                let underlyingUnits = risk.form == .linear ? value.contracts * risk.multiplier : value.signedValue
                requirement = schedule?.requirement(notional: measured, baseSize: abs(underlyingUnits), openInterest: risk.openInterest)
                    ?? MarginSchedule.Requirement(initialRate: .nan, maintenance: .nan, tier: 0)
            }
            var rate = requirement.initialRate
            var capped = false
            if let leverage {
                if 1 / leverage >= rate { rate = 1 / leverage } else { capped = true }
            }
            return Requirement(notional: notional, scheduleNotional: measured, initial: measured * rate, maintenance: requirement.maintenance,
                               tier: requirement.tier, leverageCapped: capped)
        case .option(_, _, let coinSettled):
            let option = risk.option ?? InstrumentRisk.OptionFigures(value: .nan, shortInitial: .nan, shortMaintenance: .nan, longValueWeight: 1)
            let notional = abs(value.contracts) * risk.multiplier * (coinSettled ? 1 : risk.underlyingPrice)
            if value.contracts >= 0 {
                return Requirement(notional: notional, scheduleNotional: notional, initial: value.signedValue * option.longValueWeight, maintenance: 0,
                                   tier: 0, leverageCapped: false)
            }
            return Requirement(notional: notional, scheduleNotional: notional, initial: -value.contracts * option.shortInitial,
                               maintenance: -value.contracts * option.shortMaintenance, tier: 0, leverageCapped: false)
        case .spot:
            return Requirement(notional: 0, scheduleNotional: 0, initial: .nan, maintenance: .nan, tier: 0, leverageCapped: false)
        }
    }

    /// Why a position cannot take standard margin in `context`, or `nil` if it can.
    static func standardProblem(_ position: borrowing Position, in context: borrowing RiskContext) -> MarginError? {
        let id = position.instrument
        let risk = context.instruments[id.index]
        if !risk.isUsable { return context.problem(of: id) ?? .outOfRange(figure: "instrument") }
        if !risk.hasStandardMargin { return context.standardProblem(of: id) ?? .outOfRange(figure: "instrument") }
        if case .spot = risk.form { return .spotPosition(instrument: context.catalog[instrument: id].symbol) }
        if case .option = risk.form, risk.option == nil { return context.problem(of: id) ?? .missingMarkPrice(instrument: context.catalog[instrument: id].symbol) }
        if let leverage = position.leverage, !(leverage.isFinite && leverage >= 1) {
            return .invalidLeverage(instrument: context.catalog[instrument: id].symbol, leverage: leverage)
        }
        return nil
    }
}
