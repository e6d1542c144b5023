/// The reference data of a venue: its assets and instruments, each addressed by a dense ``AssetID`` /
/// ``InstrumentID``, and the currency account-level figures are reported in.
public struct Catalog: Sendable {
    /// All assets, indexed by ``AssetID/index``.
    public private(set) var assets: [Asset]
    /// All instruments, indexed by ``InstrumentID/index``.
    public private(set) var instruments: [Instrument]
    /// The currency of index prices and account-level figures.
    public var valuation: ValuationCurrency

    private var assetBySymbol: [String: AssetID] = [:]
    private var instrumentBySymbol: [String: InstrumentID] = [:]
    /// The options priced off each instrument's mark that has any (the reverse of ``Instrument/forwardInstrument``).
    private var optionsBySource: [InstrumentID: [Int]] = [:]

    /// An empty catalog.
    public init(valuation: ValuationCurrency = .usd) {
        self.valuation = valuation
        self.assets = []
        self.instruments = []
    }

    /// Adds an asset.
    /// - Throws: ``CatalogError`` if the symbol is taken or the scale is out of range.
    @discardableResult
    public mutating func add(_ asset: Asset) throws(CatalogError) -> AssetID {
        guard assetBySymbol[asset.symbol] == nil else { throw .duplicateAsset(asset.symbol) }
        guard (0...FixedPoint.maximumScale).contains(asset.decimals) else {
            throw .invalid(field: "decimals", symbol: asset.symbol, reason: "must be between 0 and \(FixedPoint.maximumScale), got \(asset.decimals)")
        }
        let id = AssetID(assets.count)
        assets.append(asset)
        assetBySymbol[asset.symbol] = id
        return id
    }

    /// Adds an instrument after checking its conventions.
    /// - Throws: ``CatalogError`` if the symbol is taken, an asset id is unknown, or the settlement is not
    ///   the quote currency (linear) or the underlying (inverse): quanto contracts are out of scope.
    @discardableResult
    public mutating func add(_ instrument: Instrument) throws(CatalogError) -> InstrumentID {
        let symbol = instrument.symbol
        guard instrumentBySymbol[symbol] == nil else { throw .duplicateInstrument(symbol) }
        guard assets.indices.contains(instrument.underlying.index), assets.indices.contains(instrument.settle.index) else {
            throw .invalid(field: "underlying", symbol: symbol, reason: "refers to an unknown asset")
        }
        switch instrument.settlement {
        case .linear:
            guard assets[instrument.settle.index].symbol == instrument.quote else {
                throw .invalid(field: "settle", symbol: symbol,
                               reason: "a linear instrument settles in its quote currency \(instrument.quote), not \(assets[instrument.settle.index].symbol) (quanto is not supported)")
            }
        case .inverse:
            guard instrument.settle == instrument.underlying else {
                throw .invalid(field: "settle", symbol: symbol,
                               reason: "an inverse instrument settles in its underlying \(assets[instrument.underlying.index].symbol), not \(assets[instrument.settle.index].symbol)")
            }
        }
        guard instrument.contractSize.units > 0 else {
            throw .invalid(field: "contract_size", symbol: symbol, reason: "must be positive, got \(instrument.contractSize)")
        }
        guard instrument.tickSize.units > 0 else {
            throw .invalid(field: "tick_size", symbol: symbol, reason: "must be positive, got \(instrument.tickSize)")
        }
        guard instrument.lotSize.units > 0, instrument.sizeDecimals <= 12 else {
            throw .invalid(field: "lot_size", symbol: symbol, reason: "must be positive with at most 12 decimals, got \(instrument.lotSize)")
        }
        guard instrument.exactPriceDecimals >= 4 else {
            throw .invalid(field: "contract_size", symbol: symbol,
                           reason: "and lot size leave only \(instrument.exactPriceDecimals) decimals for exact entry prices (at most 14 decimals between them)")
        }
        guard instrument.forwardInstrument == nil else {
            throw .invalid(field: "forward_instrument", symbol: symbol, reason: "is set by setForward(of:to:) once both instruments are in the catalog")
        }
        if case .option(_, let strike, _) = instrument.kind {
            guard strike.isFinite, strike > 0 else {
                throw .invalid(field: "strike", symbol: symbol, reason: "must be a positive number, got \(strike)")
            }
        }
        let id = InstrumentID(instruments.count)
        instruments.append(instrument)
        instrumentBySymbol[symbol] = id
        return id
    }

    /// Makes the mark of `source` the forward of `option` (``Instrument/forwardInstrument``).
    /// - Throws: ``CatalogError/invalid(field:symbol:reason:)`` (field `forward_instrument`) unless `option` is an
    ///   option and `source` a future or perpetual on the same underlying that does not expire before the option.
    public mutating func setForward(of option: InstrumentID, to source: InstrumentID) throws(CatalogError) {
        guard instruments.indices.contains(option.index), instruments.indices.contains(source.index) else {
            throw .invalid(field: "forward_instrument", symbol: "", reason: "refers to an unknown instrument")
        }
        let (target, future) = (instruments[option.index], instruments[source.index])
        let field = "forward_instrument"
        guard case .option(_, _, let expiry) = target.kind else {
            throw .invalid(field: field, symbol: target.symbol, reason: "is for options only, and \(target.symbol) is a \(target.kind.name)")
        }
        switch future.kind {
        case .perpetual: break
        case .future(let delivery):
            guard delivery >= expiry else {
                throw .invalid(field: field, symbol: target.symbol, reason: "\(future.symbol) expires at \(delivery), before the option (\(expiry))")
            }
        case .spot, .option:
            throw .invalid(field: field, symbol: target.symbol, reason: "must name a future or a perpetual, and \(future.symbol) is \(future.isOption ? "an option" : "a spot pair")")
        }
        guard future.underlying == target.underlying else {
            throw .invalid(field: field, symbol: target.symbol,
                           reason: "\(future.symbol) is on \(assets[future.underlying.index].symbol), not on the option's underlying \(assets[target.underlying.index].symbol)")
        }
        if let old = target.forwardInstrument { optionsBySource[old]?.removeAll { $0 == option.index } }
        instruments[option.index].forwardInstrument = source
        optionsBySource[source, default: []].append(option.index)
    }

    /// The indices of the options priced off `source`'s mark, which move with it.
    func options(pricedOff source: InstrumentID) -> [Int] { optionsBySource[source] ?? [] }

    /// The asset with this symbol, if any.
    public func asset(_ symbol: String) -> AssetID? { assetBySymbol[symbol] }

    /// The instrument with this symbol, if any.
    public func instrument(_ symbol: String) -> InstrumentID? { instrumentBySymbol[symbol] }

    /// The asset behind an id.
    public subscript(asset id: AssetID) -> Asset { assets[id.index] }

    /// The instrument behind an id.
    public subscript(instrument id: InstrumentID) -> Instrument { instruments[id.index] }
}

/// Why an asset or instrument could not be added to a ``Catalog``.
public enum CatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Two assets share a symbol.
    case duplicateAsset(String)
    /// Two instruments share a symbol.
    case duplicateInstrument(String)
    /// A field of the named asset or instrument is invalid.
    case invalid(field: String, symbol: String, reason: String)

    /// A sentence naming the symbol and the problem.
    public var description: String {
        switch self {
        case .duplicateAsset(let symbol): return "duplicate asset symbol \"\(symbol)\""
        case .duplicateInstrument(let symbol): return "duplicate instrument symbol \"\(symbol)\""
        case .invalid(let field, let symbol, let reason): return "\(symbol): \(field) \(reason)"
        }
    }
}
