/// Receives the intermediate figures of an account evaluation. The hot path passes ``NoObserver`` (specialised
/// away); the report passes a collector, so both run exactly the same arithmetic.
public protocol MarginObserver {
    /// Whether the observer uses ``position(slot:instrument:figures:)`` (the kernel skips building the figures otherwise).
    static var wantsPositions: Bool { get }
    /// A position's figures, `slot` being its index in ``Account/positions`` and `instrument` its instrument.
    mutating func position(slot: Int, instrument: InstrumentID, figures: PositionFigures)
    /// An asset's figures in the cross pool: its equity (balance + UPnL + counted option value) in the asset, as an
    /// exact part at 10^-18 plus a `Double` part, its requirements in the asset, and its collateral value in the
    /// valuation currency.
    mutating func asset(_ asset: AssetID, exactEquity: Int128, markEquity: Double, initial: Double, maintenance: Double,
                        collateralValue: Double, price: Double)
}

/// An observer that ignores everything.
public struct NoObserver: MarginObserver {
    /// No: the hot path builds no per-position figures.
    public static var wantsPositions: Bool { false }
    /// Creates the observer.
    public init() {}
    /// Ignored.
    public mutating func position(slot: Int, instrument: InstrumentID, figures: PositionFigures) {}
    /// Ignored.
    public mutating func asset(_ asset: AssetID, exactEquity: Int128, markEquity: Double, initial: Double, maintenance: Double,
                               collateralValue: Double, price: Double) {}
}
