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

    /// Precomputes the figures of every instrument.
    public init(catalog: Catalog, snapshot: MarketSnapshot, parameters: RiskParameters) {
        self.catalog = catalog
        self.snapshot = snapshot
        self.parameters = parameters
        instruments = catalog.instruments.enumerated().map { index, instrument in
            InstrumentRisk(instrument: instrument, id: InstrumentID(index), snapshot: snapshot, parameters: parameters, catalog: catalog)
        }
        indexPrices = snapshot.indexPrices.map { price in
            guard let price, price.isFinite, price > 0 else { return .nan }
            return price
        }
        balanceToCostScale = catalog.assets.map { PowersOfTen.int128(Instrument.costDecimals - $0.decimals) }
        var byUnderlying = Array(repeating: [Int](), count: catalog.assets.count)
        for (index, instrument) in catalog.instruments.enumerated() { byUnderlying[instrument.underlying.index].append(index) }
        instrumentsByUnderlying = byUnderlying
    }

    /// The context with the underlying of `instrument` moved by `factor`: only that instrument
    /// (``LiquidationPriceScope/instrument``), or every instrument on the same underlying and the underlying
    /// asset's index price (``LiquidationPriceScope/underlying``).
    public func moved(_ instrument: InstrumentID, by factor: Double, scope: LiquidationPriceScope) -> RiskContext {
        var copy = self
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
