/// Everything the margin maths needs about one instrument at one snapshot, computed once per snapshot and shared
/// by every account (the standard-margin analogue of a risk array).
///
/// All money figures are in the instrument's settlement asset, per contract.
public struct InstrumentRisk: Sendable {
    /// The valuation form.
    public enum Form: Sendable, Hashable {
        /// Linear future or perpetual: value per contract m·P.
        case linear
        /// Inverse future or perpetual: coin value per contract m/P.
        case inverse
        /// European option; `coinSettled` for inverse (premium in coin per unit of underlying).
        case option(right: OptionRight, strike: Double, coinSettled: Bool)
        /// A spot pair (never held as a position).
        case spot
    }

    /// The valuation form.
    public var form: Form
    /// The settlement asset.
    public var settle: AssetID
    /// The underlying asset.
    public var underlying: AssetID
    /// The multiplier m.
    public var multiplier: Double
    /// Contracts per size unit: 10^-sizeDecimals.
    public var sizeUnit: Double
    /// The instrument's size decimals.
    let sizeDecimals: Int
    /// The mark price (NaN if missing).
    public var mark: Double
    /// Whether the mark is a model price (an option without a quote, priced from its volatility or the surface).
    public var modelMark: Bool = false
    /// The underlying's index price in the valuation currency (NaN if missing).
    public var underlyingPrice: Double
    /// Open interest notional, for open-interest-scaled schedules (0 if unknown).
    public var openInterest: Double
    /// The expiry, if any.
    public var expiry: Timestamp?
    /// The standard-margin schedule of a future or perpetual.
    public var schedule: MarginSchedule?
    /// Option figures per contract, in the settlement asset.
    public var option: OptionFigures?
    /// Why positions in this instrument cannot be valued at all (missing or unusable price, expiry), if so.
    public var problem: MarginError?
    /// Why standard margin cannot be computed even though the position can be valued (no schedule, no option rates).
    public var standardProblem: MarginError?
    /// What a liquidation-price search and the scenario engine need to reprice the instrument.
    public var pricing: PricingInputs
    /// m·P per size unit (10^-sizeDecimals contracts) at 10^-18 of the settlement asset, when the mark is an exact
    /// decimal that fits that scale and the form is product (linear contracts, options); `nil` otherwise.
    public var exactValuePerSizeUnit: Int128?
    /// The decimals the exact value per size unit may use: 18 − size decimals − multiplier decimals.
    let exactPriceDecimals: Int
    /// The multiplier as an exact decimal.
    let exactMultiplier: FixedPoint

    /// Per-contract figures of an option at this snapshot.
    public struct OptionFigures: Sendable, Hashable {
        /// The mark value of one long contract.
        public var value: Double
        /// Standard-margin requirements of one short contract, if the underlying has option margin rates.
        public var shortInitial: Double
        /// The maintenance margin of one short contract.
        public var shortMaintenance: Double
        /// The share of a long's value that counts in equity under standard margin.
        public var longValueWeight: Double
    }

    /// Inputs to reprice the instrument when the underlying moves by a factor.
    public struct PricingInputs: Sendable, Hashable {
        /// The snapshot mark (the reference for every move).
        public var referenceMark: Double
        /// The underlying index price at the snapshot.
        public var referenceUnderlying: Double
        /// Options: the forward at the snapshot.
        public var forward: Double
        /// Options: the volatility used to reprice (the snapshot's, else implied from the mark, else the underlying's
        /// surface; 0 if none).
        public var volatility: Double
        /// Options: years to expiry.
        public var timeToExpiry: Double
        /// Options: the short-option rates.
        public var optionRates: OptionMarginParameters?
    }

    /// Notional of one contract at the mark, in the settlement asset: m·P (linear) or m/P (inverse).
    public var notionalPerContract: Double {
        switch form {
        case .linear: return multiplier * mark
        case .inverse: return multiplier / mark
        case .option, .spot: return multiplier * underlyingPrice
        }
    }
}

extension InstrumentRisk {
    /// Builds the figures of one instrument from the snapshot and parameters.
    init(instrument: Instrument, id: InstrumentID, snapshot: MarketSnapshot, parameters: RiskParameters, catalog: Catalog) {
        let mark = snapshot.markPrices[id.index] ?? .nan
        let underlyingPrice = snapshot.indexPrices[instrument.underlying.index] ?? .nan
        switch (instrument.kind, instrument.settlement) {
        case (.spot, _): form = .spot
        case (.option(let right, let strike, _), let settlement): form = .option(right: right, strike: strike, coinSettled: settlement == .inverse)
        case (_, .linear): form = .linear
        case (_, .inverse): form = .inverse
        }
        settle = instrument.settle
        underlying = instrument.underlying
        multiplier = instrument.contractSize.doubleValue
        sizeUnit = 1 / PowersOfTen.double(instrument.sizeDecimals)
        sizeDecimals = instrument.sizeDecimals
        self.mark = mark
        self.underlyingPrice = underlyingPrice
        openInterest = snapshot.openInterest[id.index] ?? 0
        expiry = instrument.kind.expiry
        schedule = parameters.instrumentMargin[id.index]
        option = nil
        problem = nil
        standardProblem = nil
        pricing = PricingInputs(referenceMark: mark, referenceUnderlying: underlyingPrice, forward: .nan, volatility: 0,
                                timeToExpiry: 0, optionRates: parameters.optionMargin[instrument.underlying.index])
        exactPriceDecimals = instrument.exactPriceDecimals
        exactMultiplier = instrument.contractSize
        exactValuePerSizeUnit = nil

        let symbol = instrument.symbol
        if case .option = form, !(underlyingPrice.isFinite && underlyingPrice > 0) {
            problem = .missingIndexPrice(asset: catalog[asset: instrument.underlying].symbol)
        }
        if !(mark.isFinite && mark > 0) { problem = .missingMarkPrice(instrument: symbol) }
        if let expiry, expiry < snapshot.time { problem = .expired(instrument: symbol, expiry: expiry, snapshot: snapshot.time) }
        switch form {
        case .spot:
            problem = .spotPosition(instrument: symbol)
        case .linear, .inverse:
            if schedule == nil { standardProblem = .missingMarginSchedule(instrument: symbol) }
        case .option(let right, let strike, let coinSettled):
            if pricing.optionRates == nil { standardProblem = .missingOptionParameters(underlying: catalog[asset: instrument.underlying].symbol) }
            pricing.forward = snapshot.forwards[id.index] ?? underlyingPrice
            pricing.timeToExpiry = expiry.map { snapshot.time.years(until: $0) } ?? 0
            if let given = snapshot.impliedVolatilities[id.index], given.isFinite, given > 0 {
                pricing.volatility = given
            } else if problem == nil, pricing.timeToExpiry > 0, let implied = try? Black76.impliedVolatility(
                right: right, price: coinSettled ? mark * pricing.forward : mark, forward: pricing.forward, strike: strike, time: pricing.timeToExpiry) {
                pricing.volatility = implied
            }
        }
        refreshDerived()
    }

    /// Recomputes what depends on the mark: option figures and the exact value per size unit.
    mutating func refreshDerived() {
        option = optionFigures(mark: mark, underlying: underlyingPrice)
        exactValuePerSizeUnit = exactValue(mark: mark)
    }

    /// m·P per size unit at 10^-18, if `mark` is the nearest `Double` to a decimal of at most ``exactPriceDecimals``
    /// decimals (as every price read from decimal text is) and the form is product. The decimal is recovered from the
    /// shortest representation that round-trips to the same `Double`.
    func exactValue(mark: Double) -> Int128? {
        switch form {
        case .inverse, .spot: return nil
        case .linear, .option: break
        }
        guard mark.isFinite, mark > 0, let decimal = FixedPoint(parsing: mark.description), decimal.doubleValue == mark,
              decimal.trimmedScale <= exactPriceDecimals,
              let value = (exactMultiplier * decimal).rescaled(to: Instrument.costDecimals - sizeDecimals, rounding: .towardZero)
        else { return nil }
        return value.units
    }

    /// The option figures at a mark and underlying price (`nil` for other forms or without a usable price).
    func optionFigures(mark: Double, underlying s: Double) -> OptionFigures? {
        guard case .option(let right, let strike, let coinSettled) = form, mark.isFinite, s.isFinite, s > 0 else { return nil }
        var figures = OptionFigures(value: multiplier * mark, shortInitial: .nan, shortMaintenance: .nan, longValueWeight: 1)
        if let rates = pricing.optionRates {
            let markInQuote = coinSettled ? mark * s : mark
            let otm = max(0, right == .call ? strike - s : s - strike)
            let (initial, maintenance) = rates.rates(right).requirements(underlying: s, mark: markInQuote, outOfTheMoney: otm)
            let toSettle = coinSettled ? multiplier / s : multiplier
            figures.shortInitial = initial * toSettle
            figures.shortMaintenance = maintenance * toSettle
            figures.longValueWeight = rates.longValueWeight
        }
        return figures
    }

    /// The same instrument with the underlying price scaled by `factor`: futures marks scale with it; options are
    /// repriced as "snapshot mark + Black-76 change" (continuous, and exact at factor 1).
    func moved(by factor: Double) -> InstrumentRisk {
        var copy = self
        copy.underlyingPrice = pricing.referenceUnderlying * factor
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
        copy.option = copy.optionFigures(mark: copy.mark, underlying: copy.underlyingPrice)
        copy.exactValuePerSizeUnit = factor == 1 ? exactValuePerSizeUnit : nil
        return copy
    }
}
