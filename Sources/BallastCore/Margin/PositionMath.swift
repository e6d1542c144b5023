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
        switch risk.form {
        case .linear: return linearValue(size: size, cost: cost, risk: risk)
        case .inverse: return inverseValue(size: size, cost: cost, risk: risk)
        case .option, .spot: return optionValue(size: size, cost: cost, risk: risk, longOptionWeight: longOptionWeight)
        }
    }

    /// q·m·P of a product form (linear contracts, options), and the same exactly at 10^-18 when the mark is an exact
    /// decimal (0 otherwise).
    @inline(__always)
    static func product(size: Int64, risk: borrowing InstrumentRisk) -> (contracts: Double, approximate: Double, exact: Int128, hasExact: Bool) {
        let contracts = Double(size) * risk.sizeUnit
        let approximate = contracts * risk.multiplier * risk.mark
        // |q·m·P| < 10^20 of the asset (10^38 at 10^-18) cannot overflow Int128 (±1.7·10^38), so a plain product is
        // safe; the sums over positions and balances check their own overflow (``MarginWorkspace``). Beyond it the value
        // is a Double, whose unit at 10^20 is 16,384: the bound was 10^19, so a what-if of 10^14 BTC at 100,000 read an
        // equity of 2,048 for 2,000. Choosing the factor (or 0) before multiplying keeps the product free of a branch.
        let units = risk.exactValueUnits
        let hasExact = risk.hasExactValue && abs(approximate) < 1e20
        return (contracts, approximate, Int128(size) &* (hasExact ? units : 0), hasExact)
    }

    /// ``value(size:cost:risk:longOptionWeight:)`` of a linear contract.
    @inline(__always)
    static func linearValue(size: Int64, cost: Int128, risk: borrowing InstrumentRisk) -> Value {
        let (contracts, signed, exactValue, hasExact) = product(size: size, risk: risk)
        if hasExact {
            return Value(contracts: contracts, signedValue: signed, exactEquity: exactValue &- cost, markValue: 0, exactValue: exactValue,
                         hasExactValue: true)
        }
        return Value(contracts: contracts, signedValue: signed, exactEquity: 0 &- cost, markValue: signed, exactValue: 0, hasExactValue: false)
    }

    /// ``value(size:cost:risk:longOptionWeight:)`` of an inverse contract.
    @inline(__always)
    static func inverseValue(size: Int64, cost: Int128, risk: borrowing InstrumentRisk) -> Value {
        let contracts = Double(size) * risk.sizeUnit
        let signed = contracts * risk.multiplier / risk.mark
        return Value(contracts: contracts, signedValue: signed, exactEquity: cost, markValue: -signed, exactValue: 0, hasExactValue: false)
    }

    /// ``value(size:cost:risk:longOptionWeight:)`` of an option (or a spot pair, which is never held).
    @inline(__always)
    static func optionValue(size: Int64, cost: Int128, risk: borrowing InstrumentRisk, longOptionWeight: Double) -> Value {
        let (contracts, value, exactValue, hasExact) = product(size: size, risk: risk)
        let counted = contracts >= 0 ? longOptionWeight : 1
        if hasExact && counted == 1 {
            return Value(contracts: contracts, signedValue: value, exactEquity: exactValue &- cost, markValue: 0, exactValue: exactValue,
                         hasExactValue: true)
        }
        return Value(contracts: contracts, signedValue: value, exactEquity: 0 &- cost, markValue: value * counted, exactValue: exactValue,
                     hasExactValue: hasExact)
    }

    /// The IM rate a chosen leverage asks for, 1/leverage, or −∞ without one (the argument of ``requirement``).
    @inline(__always)
    static func leverageRate(_ leverage: Double?) -> Double {
        leverage.map { 1 / $0 } ?? -.infinity
    }

    /// A position's standard requirements.
    struct Requirement {
        var notional: Double
        var scheduleNotional: Double
        var initial: Double
        var maintenance: Double
        var tier: Int
        var leverageCapped: Bool
        /// The fee to close included in `maintenance` (at the mark or the bankruptcy price, ``MarginSchedule/maintenanceCloseFeeBasis``;
        /// 0 for options and spot). `initial` includes it too, or the fee at ``MarginSchedule/closeFeeBasis`` where the
        /// schedule values the two apart.
        var closeFee: Double = 0
    }

    /// Futures: IM = V·max(rate, `leverageRate`) + fee to close + fixed margin, MM from the schedule + fee to close + fixed
    /// margin (the fee: V at mark × ``InstrumentRisk/closeFeeRate``, or at the bankruptcy price from entry,
    /// ``bankruptcyCloseFee(_:contracts:cost:leverageRate:baseSize:openInterest:inverse:)``; the fixed margin ``InstrumentRisk/fixedMargin`` of a
    /// position with a size) (flattened tiers, or the full schedule in
    /// `details[index]` for other shapes); options: short k·max(a·S − OTM, b·S + e·mark) + premium (the mark, or
    /// max(entry, mark)) and k·max(c·S, d·mark) + mark per unit, plus the fee buffers (``ShortOptionRates``),
    /// long IM = counted value, MM 0; a short option takes `optionFactor` as k when given (the factor of the account's
    /// size tier, ``OptionMarginParameters/marginFactorTiers``). The instrument must have standard margin and
    /// `leverageRate` must be ``leverageRate(_:)`` of a valid leverage (≥ 1) or of `nil`.
    @inline(__always)
    static func requirement(value: Value, cost: Int128, leverageRate: Double, risk: borrowing InstrumentRisk, tiers: FlatTiers.View,
                            details: borrowing [InstrumentDetail], index: Int, optionFactor: Double? = nil) -> Requirement {
        switch risk.form {
        case .linear, .inverse:
            return futureRequirement(value: value, cost: cost, leverageRate: leverageRate, risk: risk, tiers: tiers, details: details, index: index)
        case .option(_, _, let coinSettled):
            return optionRequirement(value: value, cost: cost, risk: risk, coinSettled: coinSettled, details: details, index: index,
                                     tierFactor: optionFactor)
        case .spot:
            return Requirement(notional: 0, scheduleNotional: 0, initial: .nan, maintenance: .nan, tier: 0, leverageCapped: false)
        }
    }

    /// ``requirement(value:cost:leverageRate:risk:tiers:details:index:optionFactor:)`` of a future or perpetual.
    @inline(__always)
    static func futureRequirement(value: Value, cost: Int128, leverageRate: Double, risk: borrowing InstrumentRisk, tiers: FlatTiers.View,
                                  details: borrowing [InstrumentDetail], index: Int) -> Requirement {
        let notional = abs(value.signedValue)
        let measured = risk.notionalBasis == .mark ? notional : abs(Double(nearest: cost) * 1e-18)
        let requirement: MarginSchedule.Requirement
        let closeFee: Double
        let initialCloseFee: Double
        if !risk.tierRange.isEmpty {
            requirement = tiers.requirement(notional: measured, range: risk.tierRange, slots: risk.tierSlots)
            closeFee = notional * risk.closeFeeRate
            initialCloseFee = closeFee
        } else {
            let underlyingUnits = risk.form == .linear ? value.contracts * risk.multiplier : value.signedValue
            (requirement, initialCloseFee, closeFee) = scheduled(details, index: index, notional: measured, baseSize: abs(underlyingUnits),
                                                                 openInterest: risk.openInterest, leverageRate: leverageRate,
                                                                 contracts: value.contracts, markNotional: notional, cost: cost,
                                                                 inverse: risk.form == .inverse)
        }
        // IM rate max(schedule rate, 1/leverage), as one branch-free select: −∞ without a leverage never wins. The fee to
        // close and the fixed margin of an open position are reserved in both (0 for venues without them).
        let chosen = leverageRate >= requirement.initialRate
        let fixedMargin = value.contracts != 0 ? risk.fixedMargin : 0
        return Requirement(notional: notional, scheduleNotional: measured,
                           initial: measured * (chosen ? leverageRate : requirement.initialRate) + (initialCloseFee + fixedMargin),
                           maintenance: requirement.maintenance + (closeFee + fixedMargin), tier: requirement.tier,
                           leverageCapped: leverageRate > -.infinity && !chosen, closeFee: closeFee)
    }

    /// ``requirement(value:cost:leverageRate:risk:tiers:details:index:optionFactor:)`` of an option: a short takes the
    /// instrument's figures per contract, or its own (``shortRequirements(contracts:cost:risk:details:index:marginFactor:)``)
    /// when its premium term is on its entry or its factor is a size tier's.
    @inline(__always)
    static func optionRequirement(value: Value, cost: Int128, risk: borrowing InstrumentRisk, coinSettled: Bool,
                                  details: borrowing [InstrumentDetail], index: Int, tierFactor: Double?) -> Requirement {
        let option = risk.option ?? InstrumentRisk.OptionFigures(value: .nan, shortInitial: .nan, shortMaintenance: .nan, longValueWeight: 1,
                                                                  forward: .nan)
        let notional = abs(value.contracts) * risk.multiplier * (coinSettled ? 1 : risk.underlyingPrice)
        if value.contracts >= 0 {
            return Requirement(notional: notional, scheduleNotional: notional, initial: value.signedValue * option.longValueWeight, maintenance: 0,
                               tier: 0, leverageCapped: false)
        }
        let (initial, maintenance) = option.shortInitialOnEntry || tierFactor != nil
            ? shortRequirements(contracts: value.contracts, cost: cost, risk: risk, details: details, index: index, marginFactor: tierFactor)
            : (option.shortInitial, option.shortMaintenance)
        return Requirement(notional: notional, scheduleNotional: notional, initial: -value.contracts * initial,
                           maintenance: -value.contracts * maintenance, tier: 0, leverageCapped: false)
    }

    /// A short option's (IM, MM) per contract from its rates (``ShortOptionRates/requirements``), with the premium term
    /// on the position's average entry when the rates say max(entry, mark) (cost/contracts in the settlement asset, in
    /// quote per unit of underlying entry/m, or for a coin-settled option entry·S/m), and the margin factor of a size
    /// tier if given; NaN without rates.
    @inline(never)
    static func shortRequirements(contracts: Double, cost: Int128, risk: borrowing InstrumentRisk, details: borrowing [InstrumentDetail],
                                  index: Int, marginFactor: Double?) -> (initial: Double, maintenance: Double) {
        guard case .option(let right, let strike, let coinSettled) = risk.form, let parameters = details[index].pricing.optionRates
        else { return (.nan, .nan) }
        let s = risk.underlyingPrice
        let toSettle = coinSettled ? risk.multiplier / s : risk.multiplier
        let entry = risk.option?.shortInitialOnEntry == true ? Double(nearest: cost) * 1e-18 / contracts / toSettle : nil
        let otm = parameters.outOfTheMoney(right, strike: strike, index: s, forward: risk.option?.forward ?? .nan)
        let (initial, maintenance) = parameters.rates(right).requirements(underlying: s, mark: coinSettled ? risk.mark * s : risk.mark,
                                                                          outOfTheMoney: otm, entry: entry, marginFactor: marginFactor)
        return (initial * toSettle, maintenance * toSettle)
    }

    /// The size sold of options on `underlying` in the cross positions of `positions`: Σ|contracts|·m over its short
    /// options, in units of underlying (what ``OptionMarginParameters/marginFactorTiers`` are measured in).
    static func shortOptionSize(underlying: AssetID, positions: UnsafeBufferPointer<Position>,
                                instruments: UnsafeBufferPointer<InstrumentRisk>) -> Double {
        var size = 0.0
        for position in positions where position.size < 0 {
            guard case .cross = position.mode, position.instrument.index < instruments.count else { continue }
            let risk = instruments[position.instrument.index]
            guard risk.isOption, risk.underlying == underlying else { continue }
            size += Double(-position.size) * risk.sizeUnit * risk.multiplier
        }
        return size
    }

    /// The value and requirements of a position in an option (or a spot pair): the forms the account kernel keeps out of
    /// line. A short option whose rates have size tiers takes the factor of the account's short options on its
    /// underlying, summed over `positions` (``OptionMarginParameters/marginFactorTiers``) once per run of options on one
    /// underlying: `shortSizes` keeps the last underlying's sum for the account's next option.
    @inline(never)
    static func otherFigures(size: Int64, cost: Int128, leverageRate: Double, risk: borrowing InstrumentRisk, tiers: FlatTiers.View,
                             details: borrowing [InstrumentDetail], index: Int, positions: UnsafeBufferPointer<Position>,
                             instruments: UnsafeBufferPointer<InstrumentRisk>,
                             shortSizes: inout (underlying: AssetID, size: Double)?) -> (Value, Requirement) {
        let value = value(size: size, cost: cost, risk: risk, longOptionWeight: risk.option?.longValueWeight ?? 1)
        var factor: Double?
        if value.contracts < 0, risk.option?.sizeTiered == true, let rates = details[index].pricing.optionRates {
            let underlying = risk.underlying
            let shortSize = shortSizes.flatMap { $0.underlying == underlying ? $0.size : nil }
                ?? shortOptionSize(underlying: underlying, positions: positions, instruments: instruments)
            shortSizes = (underlying, shortSize)
            factor = rates.marginFactor(shortSize: shortSize)
        }
        return (value, requirement(value: value, cost: cost, leverageRate: leverageRate, risk: risk, tiers: tiers, details: details, index: index,
                                   optionFactor: factor))
    }

    /// The requirement from the full schedule of `details[index]` (NaN without one) and its fees to close in the initial
    /// and the maintenance margin (``MarginSchedule/closeFeeBasis``, ``MarginSchedule/maintenanceCloseFeeBasis``): kept
    /// out of line, so the kernels never hold an optional schedule. Schedules the kernels' flat tiers cannot take come
    /// here: sliced ladders, ladders in contracts, other shapes, and fees at the bankruptcy price.
    @inline(never)
    static func scheduled(_ details: borrowing [InstrumentDetail], index: Int, notional: Double, baseSize: Double, openInterest: Double,
                          leverageRate: Double, contracts: Double, markNotional: Double, cost: Int128,
                          inverse: Bool) -> (MarginSchedule.Requirement, initialCloseFee: Double, closeFee: Double) {
        guard let schedule = details[index].schedule else { return (MarginSchedule.Requirement(initialRate: .nan, maintenance: .nan, tier: 0), 0, 0) }
        let requirement = schedule.requirement(notional: notional, baseSize: baseSize, openInterest: openInterest, leverageRate: leverageRate,
                                               contracts: contracts)
        func fee(_ basis: CloseFeeBasis) -> Double {
            switch basis {
            case .mark:
                return markNotional * schedule.closeFeeRate
            case .bankruptcy:
                return bankruptcyCloseFee(schedule, contracts: contracts, cost: cost, leverageRate: leverageRate, baseSize: baseSize,
                                          openInterest: openInterest, inverse: inverse)
            }
        }
        let maintenanceFee = fee(schedule.maintenanceCloseFeeBasis)
        return (requirement, schedule.closeFeeBasis == schedule.maintenanceCloseFeeBasis ? maintenanceFee : fee(schedule.closeFeeBasis), maintenanceFee)
    }

    /// The fee to close valued at the bankruptcy price implied by the entry and the IM rate (``CloseFeeBasis/bankruptcy``):
    /// |C|·(1 − s·r)·f linear, |C|·(1 + s·r)·f inverse, with |C| the entry value, s the side (+1 long) and
    /// r = min(1, max(1/leverage, the schedule's IM rate at the entry notional)), so the factor is never negative; 0 for
    /// a flat position. `baseSize` is the size the schedule measures at the mark (underlying units; for inverse
    /// contracts the coin value, which at entry is |C|).
    static func bankruptcyCloseFee(_ schedule: MarginSchedule, contracts: Double, cost: Int128, leverageRate: Double, baseSize: Double,
                                   openInterest: Double, inverse: Bool) -> Double {
        guard contracts != 0 else { return 0 }
        let entryValue = abs(Double(nearest: cost) * 1e-18)
        let atEntry = schedule.requirement(notional: entryValue, baseSize: inverse ? entryValue : baseSize, openInterest: openInterest,
                                           leverageRate: leverageRate, contracts: contracts).initialRate
        let rate = min(1, max(leverageRate, atEntry))
        let side: Double = contracts > 0 ? 1 : -1
        let factor = inverse ? 1 + side * rate : 1 - side * rate
        return entryValue * factor * schedule.closeFeeRate
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
