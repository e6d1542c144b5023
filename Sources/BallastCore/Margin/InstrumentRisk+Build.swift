extension InstrumentRisk {
    /// Builds the hot record and the detail of one instrument from the snapshot and parameters; a tiered schedule's
    /// tiers are appended to `tiers`.
    static func build(instrument: Instrument, id: InstrumentID, snapshot: MarketSnapshot, parameters: RiskParameters, catalog: Catalog,
                      tiers: inout FlatTiers) -> (InstrumentRisk, InstrumentDetail) {
        let mark = snapshot.markPrices[id.index] ?? .nan
        let underlyingPrice = snapshot.indexPrices[instrument.underlying.index] ?? .nan
        let form: Form
        switch (instrument.kind, instrument.settlement) {
        case (.spot, _): form = .spot
        case (.option(let right, let strike, _), let settlement): form = .option(right: right, strike: strike, coinSettled: settlement == .inverse)
        case (_, .linear): form = .linear
        case (_, .inverse): form = .inverse
        }
        let schedule = parameters.instrumentMargin[id.index]
        var tierRange = 0..<0
        // Whole ladders of notional go to the flat tiers of the hot path; a sliced one needs every slice, one measured in
        // contracts the position's size, and a fee at the bankruptcy price the rate at entry, so they take the
        // schedule's own path (``PositionMath/scheduled``).
        if case .tiered(let table) = schedule?.shape, table.initialRule == .whole, table.measure == .notional, schedule?.closeFeeBasis == .mark,
           schedule?.maintenanceCloseFeeBasis == .mark {
            tierRange = tiers.append(table)
        }
        var risk = InstrumentRisk(exactValueUnits: 0, sizeUnit: 1 / PowersOfTen.double(instrument.sizeDecimals), multiplier: instrument.contractSize.doubleValue,
                                  mark: mark, settle: instrument.settle, form: form, hasExactValue: false, isUsable: true, isStandardReady: true,
                                  notionalBasis: schedule?.notionalBasis ?? .mark, closeFeeAtBankruptcy: schedule?.maintenanceCloseFeeBasis == .bankruptcy,
                                  hasStandardMargin: true, modelMark: false, closeFeeRate: schedule?.closeFeeRate ?? 0,
                                  fixedMargin: schedule?.fixedMarginPerPosition ?? 0, tierRange: tierRange,
                                  tierSlots: FlatTiers.slots(count: tierRange.count), underlying: instrument.underlying,
                                  underlyingPrice: underlyingPrice, openInterest: snapshot.openInterest[id.index] ?? 0, expiry: instrument.kind.expiry,
                                  option: nil)
        var detail = InstrumentDetail(schedule: schedule, problem: nil, standardProblem: nil,
                                      pricing: .init(referenceMark: mark, referenceUnderlying: underlyingPrice, forward: .nan, volatility: 0,
                                                     timeToExpiry: 0, optionRates: parameters.optionMargin[instrument.underlying.index]),
                                      sizeDecimals: instrument.sizeDecimals, exactPriceDecimals: instrument.exactPriceDecimals,
                                      exactMultiplier: instrument.contractSize)
        let symbol = instrument.symbol
        if case .option = form, !(underlyingPrice.isFinite && underlyingPrice > 0) {
            detail.problem = .missingIndexPrice(asset: catalog[asset: instrument.underlying].symbol)
        }
        if !(mark.isFinite && mark > 0) { detail.problem = .missingMarkPrice(instrument: symbol) }
        // An option priced off a future's mark cannot be priced or moved without it.
        let sourceMark = instrument.forwardInstrument.map { snapshot.markPrices[$0.index] ?? .nan }
        if let source = instrument.forwardInstrument, !((sourceMark ?? .nan) > 0) {
            detail.problem = .missingMarkPrice(instrument: catalog[instrument: source].symbol)
        }
        if let expiry = risk.expiry, expiry < snapshot.time { detail.problem = .expired(instrument: symbol, expiry: expiry, snapshot: snapshot.time) }
        switch form {
        case .spot:
            detail.problem = .spotPosition(instrument: symbol)
        case .linear, .inverse:
            if schedule == nil { detail.standardProblem = .missingMarginSchedule(instrument: symbol) }
        case .option(let right, let strike, let coinSettled):
            if detail.pricing.optionRates == nil {
                detail.standardProblem = .missingOptionParameters(underlying: catalog[asset: instrument.underlying].symbol)
            }
            detail.pricing.forward = sourceMark ?? snapshot.forwards[id.index] ?? underlyingPrice
            detail.pricing.timeToExpiry = risk.expiry.map { snapshot.time.years(until: $0) } ?? 0
            if let given = snapshot.impliedVolatilities[id.index], given.isFinite, given > 0 {
                detail.pricing.volatility = given
            } else if detail.problem == nil, detail.pricing.timeToExpiry > 0, let implied = try? Black76.impliedVolatility(
                right: right, price: coinSettled ? mark * detail.pricing.forward : mark, forward: detail.pricing.forward, strike: strike,
                time: detail.pricing.timeToExpiry) {
                detail.pricing.volatility = implied
            }
        }
        risk.refresh(detail)
        return (risk, detail)
    }

    /// Recomputes what depends on the mark and the problems: option figures, the exact value per size unit, usability.
    mutating func refresh(_ detail: InstrumentDetail) {
        isUsable = detail.problem == nil
        hasStandardMargin = detail.standardProblem == nil
        option = optionFigures(mark: mark, underlying: underlyingPrice, forward: detail.pricing.forward, rates: detail.pricing.optionRates)
        exactValuePerSizeUnit = exactValue(mark: mark, detail: detail)
        var ready = isUsable && hasStandardMargin
        if case .spot = form { ready = false }
        if case .option = form, option == nil { ready = false }
        isStandardReady = ready
    }

    /// m·P per size unit at 10^-18, if `mark` is the nearest `Double` to a decimal of at most the exact price decimals (as
    /// every price read from decimal text is) and the form is product. The decimal is recovered from the shortest
    /// representation that round-trips to the same `Double`.
    func exactValue(mark: Double, detail: InstrumentDetail) -> Int128? {
        switch form {
        case .inverse, .spot: return nil
        case .linear, .option: break
        }
        guard mark.isFinite, mark > 0, let decimal = FixedPoint.shortestDecimal(mark, maxScale: detail.exactPriceDecimals),
              let value = (detail.exactMultiplier * decimal).rescaled(to: Instrument.costDecimals - detail.sizeDecimals, rounding: .towardZero)
        else { return nil }
        return value.units
    }

    /// The option figures at a mark, underlying index price and forward (`nil` for other forms or without a usable
    /// price). The out-of-the-money amount is measured against the rates' ``OptionMarginParameters/moneyness`` price.
    func optionFigures(mark: Double, underlying s: Double, forward: Double, rates: OptionMarginParameters?) -> OptionFigures? {
        guard case .option(let right, let strike, let coinSettled) = form, mark.isFinite, s.isFinite, s > 0 else { return nil }
        var figures = OptionFigures(value: multiplier * mark, shortInitial: .nan, shortMaintenance: .nan, longValueWeight: 1, forward: forward)
        if let rates {
            let markInQuote = coinSettled ? mark * s : mark
            let otm = rates.outOfTheMoney(right, strike: strike, index: s, forward: forward)
            let (initial, maintenance) = rates.rates(right).requirements(underlying: s, mark: markInQuote, outOfTheMoney: otm,
                                                                         marginFactor: rates.marginFactorTiers.first?.factor)
            let toSettle = coinSettled ? multiplier / s : multiplier
            figures.shortInitial = initial * toSettle
            figures.shortMaintenance = maintenance * toSettle
            figures.longValueWeight = rates.longValueWeight
            figures.shortInitialOnEntry = rates.rates(right).initialPremium == .entryOrMark
            figures.sizeTiered = !rates.marginFactorTiers.isEmpty
        }
        return figures
    }

    /// The same instrument with the underlying price scaled by `factor`: futures marks scale with it; options are
    /// repriced as "snapshot mark + Black-76 change" with the forward scaled (continuous, and exact at factor 1).
    /// Without `movingIndex` (a move of a future's mark alone: the future, and the options priced off it) the index
    /// price stays, so the short-option rates keep their S and only the forward and the mark move.
    func moved(by factor: Double, detail: InstrumentDetail, movingIndex: Bool = true) -> InstrumentRisk {
        let pricing = detail.pricing
        var copy = self
        copy.underlyingPrice = movingIndex ? pricing.referenceUnderlying * factor : pricing.referenceUnderlying
        switch form {
        case .linear, .inverse, .spot:
            copy.mark = pricing.referenceMark * factor
        case .option(let right, let strike, let coinSettled):
            let before = Black76(right: right, forward: pricing.forward, strike: strike, volatility: pricing.volatility, time: pricing.timeToExpiry)
            var after = before
            after.forward = pricing.forward * factor
            let referenceInQuote = coinSettled ? pricing.referenceMark * pricing.forward : pricing.referenceMark
            let movedInQuote = max(0, referenceInQuote + after.price - before.price)
            copy.mark = coinSettled ? movedInQuote / after.forward : movedInQuote
        }
        copy.option = copy.optionFigures(mark: copy.mark, underlying: copy.underlyingPrice, forward: pricing.forward * factor, rates: pricing.optionRates)
        copy.exactValuePerSizeUnit = factor == 1 ? exactValuePerSizeUnit : nil
        return copy
    }
}
