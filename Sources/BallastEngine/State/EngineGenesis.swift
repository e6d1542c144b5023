import BallastCore

/// What an engine starts from: the reference data, the first market snapshot, the first risk parameters and the
/// engine settings, with the document they were read from (kept verbatim, so a journal or snapshot can rebuild them).
public struct EngineGenesis: Sendable {
    /// Assets and instruments. The catalog does not change after genesis.
    public var catalog: Catalog
    /// The first prices (may be partial: prices can arrive as events).
    public var snapshot: MarketSnapshot
    /// The first risk parameters (version 1).
    public var parameters: RiskParameters
    /// Engine rules.
    public var settings: EngineSettings
    /// The document it was read from.
    public var document: String

    /// Creates a genesis.
    public init(catalog: Catalog, snapshot: MarketSnapshot, parameters: RiskParameters, settings: EngineSettings = EngineSettings(),
                document: String) {
        self.catalog = catalog
        self.snapshot = snapshot
        self.parameters = parameters
        self.settings = settings
        self.document = document
    }
}

/// Rebuilds the documents an engine keeps verbatim: its genesis and its parameter changes. The engine is pure and
/// knows no text format; the reader that decoded the documents in the first place (BallastIO's) implements this, so
/// a snapshot or a journal can be restored.
public protocol EngineDocumentReader: Sendable {
    /// Decodes a genesis document.
    func genesis(_ document: String) throws -> EngineGenesis
    /// Decodes a parameter-change document over the parameters in force before it.
    func parameters(_ document: String, over base: RiskParameters, catalog: Catalog) throws -> RiskParameters
}
