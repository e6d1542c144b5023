/// Prices at one instant: index prices of assets (in the valuation currency), mark prices of instruments,
/// and optionally implied volatilities, forwards and open interest.
///
/// Missing values are `nil`; the margin functions report a missing price only for what an account holds.
public struct MarketSnapshot: Sendable {
    /// The time of the snapshot: option time to expiry is measured from here.
    public var time: Timestamp
    /// Index price of each asset in the valuation currency, by ``AssetID/index``.
    public var indexPrices: [Double?]
    /// Mark price of each instrument in its quote currency, by ``InstrumentID/index``. An option without one is given a
    /// model mark by the risk context (Black-76 at its volatility; its intrinsic value at its expiry).
    /// Options: per unit of underlying, in quote (linear) or in coin (inverse, Deribit style).
    public var markPrices: [Double?]
    /// Implied volatility of each option (annualised), by instrument; used to reprice options when a
    /// liquidation-price search moves the underlying. If absent it is implied from the mark (a mark at or below the
    /// intrinsic value against the forward, which no volatility reproduces, implies 0).
    public var impliedVolatilities: [Double?]
    /// Forward (underlying) price for each option, by instrument; defaults to the mark of the option's
    /// ``Instrument/forwardInstrument``, else to the underlying's index price. A forward instrument takes precedence.
    public var forwards: [Double?]
    /// Open interest notional of each instrument in its settlement asset, for open-interest-scaled margin.
    public var openInterest: [Double?]
    /// Risk arrays published for instruments (a SPAN risk parameter file), replacing the computed ones.
    public var suppliedRiskArrays: [InstrumentID: SuppliedRiskArray] = [:]

    /// A snapshot with room for every asset and instrument of `catalog` and no prices yet.
    public init(catalog: Catalog, time: Timestamp) {
        self.time = time
        indexPrices = Array(repeating: nil, count: catalog.assets.count)
        markPrices = Array(repeating: nil, count: catalog.instruments.count)
        impliedVolatilities = Array(repeating: nil, count: catalog.instruments.count)
        forwards = Array(repeating: nil, count: catalog.instruments.count)
        openInterest = Array(repeating: nil, count: catalog.instruments.count)
    }

    /// The index price of an asset, if known.
    public func index(_ asset: AssetID) -> Double? { indexPrices[asset.index] }

    /// The mark price of an instrument, if known.
    public func mark(_ instrument: InstrumentID) -> Double? { markPrices[instrument.index] }
}
