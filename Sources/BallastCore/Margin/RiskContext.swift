/// A catalog, a market snapshot and risk parameters, with every per-instrument figure precomputed: the input of
/// every margin function. Building it is O(instruments); it is then shared by all accounts.
public struct RiskContext: Sendable {
    /// The reference data.
    public let catalog: Catalog
    /// The market snapshot.
    public var snapshot: MarketSnapshot { sources.snapshot }
    /// The risk parameters.
    public var parameters: RiskParameters { sources.parameters }
    /// The snapshot, the parameters and the health thresholds, held by reference (see ``Sources``).
    private let sources: Sources
    /// Per-instrument hot records, by ``InstrumentID/index``.
    public private(set) var instruments: [InstrumentRisk]
    /// Per-instrument details (schedules, rates, problems, pricing inputs), by ``InstrumentID/index``.
    public private(set) var details: [InstrumentDetail]
    /// Every tiered schedule's tiers, flattened.
    public let tiers: FlatTiers
    /// Index prices by ``AssetID/index`` (NaN where missing).
    public private(set) var indexPrices: [Double]
    /// 10^(18 − decimals) per asset: the factor that brings a ledger balance to the 10^-18 scale of cost bases.
    public let balanceToCostScale: [Int128]
    /// Each asset's collateral schedule in plain data for the hot path.
    let collateral: [CollateralRate]
    /// The health thresholds in plain data for the hot path.
    public var healthThresholds: HealthThresholds { sources.healthThresholds }
    /// Decimals of pool money figures.
    public let valuationDecimals: Int
    /// Instruments by underlying asset index, for moving an underlying.
    let instrumentsByUnderlying: [[Int]]
    /// The implied-volatility surface of each underlying built from its quoted options, by ``AssetID/index``.
    public let surfaces: [VolatilitySurface?]
    /// Every instrument's scenario PnL vector, when the parameters define portfolio margin (computed once here and
    /// shared by every account).
    public private(set) var riskArrays: RiskArrays?

    /// Precomputes the figures of every instrument.
    public init(catalog: Catalog, snapshot: MarketSnapshot, parameters: RiskParameters) {
        self.catalog = catalog
        sources = Sources(snapshot: snapshot, parameters: parameters, healthThresholds: parameters.healthBands.thresholds)
        var flat = FlatTiers()
        var hot: [InstrumentRisk] = []
        var cold: [InstrumentDetail] = []
        for (index, instrument) in catalog.instruments.enumerated() {
            let (risk, detail) = InstrumentRisk.build(instrument: instrument, id: InstrumentID(index), snapshot: snapshot, parameters: parameters,
                                                      catalog: catalog, tiers: &flat)
            hot.append(risk)
            cold.append(detail)
        }
        tiers = flat
        surfaces = RiskContext.surfaces(hot, cold, assetCount: catalog.assets.count)
        RiskContext.priceUnquotedOptions(&hot, &cold, surfaces: surfaces)
        instruments = hot
        details = cold
        indexPrices = snapshot.indexPrices.map { price in
            guard let price, price.isFinite, price > 0 else { return .nan }
            return price
        }
        balanceToCostScale = catalog.assets.map { PowersOfTen.int128(Instrument.costDecimals - $0.decimals) }
        collateral = parameters.collateral.map(CollateralRate.init)
        valuationDecimals = catalog.valuation.decimals
        var byUnderlying = Array(repeating: [Int](), count: catalog.assets.count)
        for (index, instrument) in catalog.instruments.enumerated() { byUnderlying[instrument.underlying.index].append(index) }
        instrumentsByUnderlying = byUnderlying
        riskArrays = nil
        if let portfolio = parameters.portfolio {
            riskArrays = RiskArrays(context: self, portfolio: portfolio, supplied: snapshot.suppliedRiskArrays)
        }
    }

    /// Why positions in an instrument cannot be valued, if they cannot.
    public func problem(of instrument: InstrumentID) -> MarginError? { details[instrument.index].problem }

    /// Why a position in an instrument cannot be valued: its ``problem(of:)``, or that spot pairs are held as balances.
    func valuationProblem(of instrument: InstrumentID) -> MarginError {
        problem(of: instrument) ?? .spotPosition(instrument: catalog[instrument: instrument].symbol)
    }

    /// Why standard margin of an instrument cannot be computed, if it cannot.
    public func standardProblem(of instrument: InstrumentID) -> MarginError? { details[instrument.index].standardProblem }

    /// The portfolio parameters and the shared risk arrays that `account`'s portfolio margin reads (the context holds
    /// arrays whenever its parameters define portfolio margin, moved contexts included).
    /// - Throws: ``MarginError/missingPortfolioParameters(account:)`` when the parameters define no portfolio margin.
    func portfolioMargin(for account: borrowing Account) throws(MarginError) -> (parameters: PortfolioParameters, arrays: RiskArrays) {
        try portfolioMargin(forAccount: account.id)
    }

    /// ``portfolioMargin(for:)`` of the account named `id`.
    func portfolioMargin(forAccount id: String) throws(MarginError) -> (parameters: PortfolioParameters, arrays: RiskArrays) {
        guard let portfolio = parameters.portfolio, let riskArrays else { throw .missingPortfolioParameters(account: id) }
        return (portfolio, riskArrays)
    }

    /// One surface per underlying from the options that have a volatility (given or implied from their mark).
    static func surfaces(_ instruments: [InstrumentRisk], _ details: [InstrumentDetail], assetCount: Int) -> [VolatilitySurface?] {
        var nodes = Array(repeating: [VolatilitySurface.Node](), count: assetCount)
        for (risk, detail) in zip(instruments, details) where detail.problem == nil {
            guard case .option(_, let strike, _) = risk.form, detail.pricing.volatility > 0 else { continue }
            nodes[risk.underlying.index].append(VolatilitySurface.Node(strike: strike, years: detail.pricing.timeToExpiry,
                                                                       forward: detail.pricing.forward, volatility: detail.pricing.volatility))
        }
        return nodes.map { VolatilitySurface(nodes: $0) }
    }

    /// Gives an option without a mark a model mark: Black-76 at its own implied volatility if the snapshot has one
    /// (a per-option override), else at its underlying's surface; an option expiring at the snapshot time gets its
    /// intrinsic value, max(F − K, 0) or max(K − F, 0) (÷ F coin-settled), with no volatility needed. An option without
    /// a forward (its forward instrument has no mark), or worth 0 at its expiry, stays without.
    static func priceUnquotedOptions(_ instruments: inout [InstrumentRisk], _ details: inout [InstrumentDetail], surfaces: [VolatilitySurface?]) {
        for index in instruments.indices {
            var risk = instruments[index]
            var detail = details[index]
            guard case .option(let right, let strike, let coinSettled) = risk.form, case .missingMarkPrice = detail.problem,
                  !(risk.mark > 0), risk.underlyingPrice.isFinite, risk.underlyingPrice > 0,
                  detail.pricing.forward.isFinite, detail.pricing.forward > 0, detail.pricing.timeToExpiry >= 0 else { continue }
            let expiring = detail.pricing.timeToExpiry == 0
            if !expiring, detail.pricing.volatility <= 0, let surface = surfaces[risk.underlying.index] {
                detail.pricing.volatility = surface.volatility(strike: strike, years: detail.pricing.timeToExpiry, forward: detail.pricing.forward)
            }
            guard expiring || detail.pricing.volatility > 0 else { continue }
            let price = Black76(right: right, forward: detail.pricing.forward, strike: strike, volatility: detail.pricing.volatility,
                                time: detail.pricing.timeToExpiry).price
            // At its expiry an option is worth its intrinsic value, whatever the volatility; out of the money that is 0,
            // which is no mark: it stays without one.
            guard price > 0 else { continue }
            risk.mark = coinSettled ? price / detail.pricing.forward : price
            detail.pricing.referenceMark = risk.mark
            risk.modelMark = true
            detail.problem = nil
            risk.refresh(detail)
            instruments[index] = risk
            details[index] = detail
        }
    }

    /// The context with the underlying of `instrument` moved by `factor`: that instrument and the options priced off
    /// its mark (``LiquidationPriceScope/instrument``), or every instrument on the same underlying and the underlying asset's
    /// index price (``LiquidationPriceScope/underlying``); the moved instruments' scenario rows are repriced there. A
    /// search that moves one account's instruments again and again uses ``MovingContext`` instead, which changes only
    /// what that account reads, in place.
    public func moved(_ instrument: InstrumentID, by factor: Double, scope: LiquidationPriceScope) -> RiskContext {
        var copy = self
        let targets = moveTargets(instrument, scope: scope)
        copy.move(from: self, instruments: targets.instruments, asset: targets.asset, searched: instrument.index, by: factor, repricingArrays: true)
        return copy
    }

    /// What a move of `instrument`'s underlying under `scope` changes: that instrument and the options priced off its
    /// mark (``LiquidationPriceScope/instrument``), or every instrument on its underlying and the underlying's index
    /// price (``LiquidationPriceScope/underlying``).
    func moveTargets(_ instrument: InstrumentID, scope: LiquidationPriceScope) -> (instruments: [Int], asset: Int?) {
        switch scope {
        case .instrument:
            return ([instrument.index] + catalog.options(pricedOff: instrument), nil)
        case .underlying:
            let underlying = catalog.instruments[instrument.index].underlying.index
            return (instrumentsByUnderlying[underlying], underlying)
        }
    }

    /// Rewrites, from `base`, the instruments at `indices` with their underlying moved by `factor` (futures marks
    /// scale, options reprice by Black-76; see ``InstrumentRisk``), the index price of `asset` (if given) likewise, and,
    /// with `repricingArrays`, their scenario rows and that asset's row repriced there (supplied arrays stay as
    /// given). Other instruments keep what they have: a search that moves only an account's own instruments reads
    /// nothing else. Without `asset` (a move of one instrument's mark) the index price stays, as in a snapshot where
    /// only that mark moved: a future moves its mark, and the options priced off it their forward and mark. Only a
    /// searched option reads its underlying price moved, since its liquidation price is quoted in it.
    mutating func move(from base: RiskContext, instruments indices: [Int], asset: Int?, searched: Int, by factor: Double, repricingArrays: Bool) {
        for index in indices {
            let movingIndex = asset != nil || (index == searched && base.instruments[index].isOption)
            instruments[index] = base.instruments[index].moved(by: factor, detail: base.details[index], movingIndex: movingIndex)
        }
        if let asset { indexPrices[asset] = base.indexPrices[asset] * factor }
        if repricingArrays { repriceArrays(instruments: indices, asset: asset) }
    }

    /// Puts back, from `base`, the instruments at `indices`, the index price of `asset` and (with `repricingArrays`)
    /// their scenario rows, copied from `base`'s arrays rather than repriced.
    mutating func restore(from base: RiskContext, instruments indices: [Int], asset: Int?, repricingArrays: Bool) {
        for index in indices { instruments[index] = base.instruments[index] }
        if let asset { indexPrices[asset] = base.indexPrices[asset] }
        guard repricingArrays, let baseArrays = base.riskArrays, var arrays = riskArrays.take() else { return }
        arrays.copyRows(from: baseArrays, instruments: indices, asset: asset)
        riskArrays = arrays
    }

    /// Recomputes the scenario rows of `indices` and of `asset` at this context's prices (the arrays' storage is
    /// detached from `riskArrays` meanwhile, so it is changed in place after its first copy).
    private mutating func repriceArrays(instruments indices: [Int], asset: Int?) {
        guard let portfolio = parameters.portfolio, var arrays = riskArrays.take() else { return }
        for index in indices where snapshot.suppliedRiskArrays[InstrumentID(index)] == nil {
            arrays.computeRow(index, context: self, portfolio: portfolio)
        }
        if let asset { arrays.computeAssetRow(asset, context: self, portfolio: portfolio) }
        riskArrays = arrays
    }
}

extension RiskContext {
    /// What a context is built from and its health thresholds, held by reference (about 850 bytes together). The margin
    /// functions read the precomputed figures beside it and the thresholds through it, so the context itself stays
    /// small: a context read from a stored property (the engine's, at every fill and evaluation) is copied to the stack
    /// before it is passed, and that copy was 1,104 bytes with these inline, 232 without.
    final class Sources: Sendable {
        let snapshot: MarketSnapshot
        let parameters: RiskParameters
        let healthThresholds: HealthThresholds

        init(snapshot: MarketSnapshot, parameters: RiskParameters, healthThresholds: HealthThresholds) {
            self.snapshot = snapshot
            self.parameters = parameters
            self.healthThresholds = healthThresholds
        }
    }
}
