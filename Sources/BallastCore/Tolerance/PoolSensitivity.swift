/// A ``MarginObserver`` that keeps what ``StateTolerance`` needs from an evaluation of the cross pool: each position's
/// figures and each asset's equity, requirement and price. Reused from account to account (``reset()``), it
/// allocates only while its buffers grow.
public struct PoolSensitivity: MarginObserver, Sendable {
    /// One position's figures with its instrument (so the tolerance needs no account).
    public struct PositionEntry: Sendable {
        /// The position's instrument.
        public var instrument: InstrumentID
        /// The figures.
        public var figures: PositionFigures
    }

    /// One asset's sums in the pool.
    public struct AssetEntry: Sendable {
        /// The asset.
        public var asset: AssetID
        /// Equity in the asset (balance + UPnL + counted option value).
        public var equity: Double
        /// Maintenance requirement in the asset.
        public var maintenance: Double
        /// The asset's index price.
        public var price: Double
    }

    /// The positions seen, in slot order.
    public private(set) var positions: [PositionEntry] = []
    /// The assets seen, in asset order.
    public private(set) var assets: [AssetEntry] = []

    /// An empty observer.
    public init() {}

    /// Yes: the tolerance needs every position's figures.
    public static var wantsPositions: Bool { true }

    /// Forgets the last evaluation, keeping the buffers.
    public mutating func reset() {
        positions.removeAll(keepingCapacity: true)
        assets.removeAll(keepingCapacity: true)
    }

    /// Keeps a position's figures.
    public mutating func position(slot: Int, instrument: InstrumentID, figures: PositionFigures) {
        positions.append(PositionEntry(instrument: instrument, figures: figures))
    }

    /// Keeps an asset's equity (exact part + mark part), maintenance and price.
    public mutating func asset(_ asset: AssetID, exactEquity: Int128, markEquity: Double, initial: Double, maintenance: Double,
                               collateralValue: Double, price: Double) {
        assets.append(AssetEntry(asset: asset, equity: Double(nearest: exactEquity) * 1e-18 + markEquity, maintenance: maintenance, price: price))
    }
}
