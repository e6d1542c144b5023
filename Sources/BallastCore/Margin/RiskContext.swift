/// A catalog, a market snapshot and risk parameters, with every per-instrument figure precomputed: the input
/// of every margin function. Building it is O(instruments); it is then shared by all accounts.
public struct RiskContext: Sendable {
    /// The reference data.
    public let catalog: Catalog
    /// The market snapshot.
    public let snapshot: MarketSnapshot
    /// The risk parameters.
    public let parameters: RiskParameters
    /// Per-instrument figures, by ``InstrumentID/index``.
    public private(set) var instruments: [InstrumentRisk]
    /// Index prices by ``AssetID/index`` (NaN where missing).
    public private(set) var indexPrices: [Double]
    /// 10^(18 − decimals) per asset: the factor that brings a ledger balance to the 10^-18 scale of cost bases.
    let balanceToCostScale: [Int128]
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
        self.snapshot = snapshot
        self.parameters = parameters
        var built = catalog.instruments.enumerated().map { index, instrument in
            InstrumentRisk(instrument: instrument, id: InstrumentID(index), snapshot: snapshot, parameters: parameters, catalog: catalog)
        }
        surfaces = RiskContext.surfaces(built, assetCount: catalog.assets.count)
        RiskContext.priceUnquotedOptions(&built, surfaces: surfaces)
        instruments = built
        indexPrices = snapshot.indexPrices.map { price in
            guard let price, price.isFinite, price > 0 else { return .nan }
            return price
        }
        balanceToCostScale = catalog.assets.map { PowersOfTen.int128(Instrument.costDecimals - $0.decimals) }
        var byUnderlying = Array(repeating: [Int](), count: catalog.assets.count)
        for (index, instrument) in catalog.instruments.enumerated() { byUnderlying[instrument.underlying.index].append(index) }
        instrumentsByUnderlying = byUnderlying
        riskArrays = nil
        if let portfolio = parameters.portfolio {
            riskArrays = RiskArrays(context: self, portfolio: portfolio, supplied: snapshot.suppliedRiskArrays)
        }
    }

    /// The risk arrays of this context, or (for a moved context, whose arrays are stale) arrays computed for the
    /// instruments the account holds.
    func arrays(for account: Account, portfolio: PortfolioParameters) -> RiskArrays {
        if let riskArrays { return riskArrays }
        return RiskArrays(context: self, portfolio: portfolio, supplied: [:], only: Set(account.positions.map(\.instrument)))
    }

    /// One surface per underlying from the options that have a volatility (given or implied from their mark).
    static func surfaces(_ instruments: [InstrumentRisk], assetCount: Int) -> [VolatilitySurface?] {
        var nodes = Array(repeating: [VolatilitySurface.Node](), count: assetCount)
        for risk in instruments where risk.problem == nil {
            guard case .option(_, let strike, _) = risk.form, risk.pricing.volatility > 0 else { continue }
            nodes[risk.underlying.index].append(VolatilitySurface.Node(strike: strike, years: risk.pricing.timeToExpiry,
                                                                       forward: risk.pricing.forward, volatility: risk.pricing.volatility))
        }
        return nodes.map { VolatilitySurface(nodes: $0) }
    }

    /// Gives an option without a mark a model mark: Black-76 at its own implied volatility if the snapshot has one
    /// (a per-option override), else at its underlying's surface.
    static func priceUnquotedOptions(_ instruments: inout [InstrumentRisk], surfaces: [VolatilitySurface?]) {
        for index in instruments.indices {
            var risk = instruments[index]
            guard case .option(let right, let strike, let coinSettled) = risk.form, case .missingMarkPrice = risk.problem,
                  risk.underlyingPrice.isFinite, risk.underlyingPrice > 0, risk.pricing.timeToExpiry > 0 else { continue }
            if risk.pricing.volatility <= 0, let surface = surfaces[risk.underlying.index] {
                risk.pricing.volatility = surface.volatility(strike: strike, years: risk.pricing.timeToExpiry, forward: risk.pricing.forward)
            }
            guard risk.pricing.volatility > 0 else { continue }
            let price = Black76(right: right, forward: risk.pricing.forward, strike: strike, volatility: risk.pricing.volatility,
                                time: risk.pricing.timeToExpiry).price
            risk.mark = coinSettled ? price / risk.pricing.forward : price
            risk.pricing.referenceMark = risk.mark
            risk.modelMark = true
            risk.problem = nil
            risk.refreshDerived()
            instruments[index] = risk
        }
    }

    /// The context with the underlying of `instrument` moved by `factor`: only that instrument
    /// (``LiquidationPriceScope/instrument``), or every instrument on the same underlying and the underlying
    /// asset's index price (``LiquidationPriceScope/underlying``).
    public func moved(_ instrument: InstrumentID, by factor: Double, scope: LiquidationPriceScope) -> RiskContext {
        var copy = self
        copy.riskArrays = nil
        switch scope {
        case .instrument:
            copy.instruments[instrument.index] = instruments[instrument.index].moved(by: factor)
        case .underlying:
            let underlying = catalog.instruments[instrument.index].underlying.index
            for index in instrumentsByUnderlying[underlying] {
                copy.instruments[index] = instruments[index].moved(by: factor)
            }
            copy.indexPrices[underlying] = indexPrices[underlying] * factor
        }
        return copy
    }
}
