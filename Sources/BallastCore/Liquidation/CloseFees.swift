/// Sums the fees to close an account's cross positions while its pool is evaluated (``PositionFigures/closeFee``), in
/// each position's settlement asset, to be valued at whatever prices the pool is valued at: what the bankruptcy
/// search subtracts from equity.
struct CloseFees: MarginObserver {
    static var wantsPositions: Bool { true }
    /// The instruments of the context the pool is evaluated in (for each position's settlement asset).
    let instruments: [InstrumentRisk]
    /// The fees so far, by settlement asset index, in the asset.
    private(set) var units: [Double]

    /// An observer for a pool evaluated in `context`, starting from `units` (by asset index; all zero if `nil`).
    init(context: borrowing RiskContext, units: [Double]? = nil) {
        instruments = context.instruments
        self.units = units ?? Array(repeating: 0, count: context.catalog.assets.count)
    }

    mutating func position(slot: Int, instrument: InstrumentID, figures: PositionFigures) {
        units[instruments[instrument.index].settle.index] += figures.closeFee
    }

    mutating func asset(_ asset: AssetID, exactEquity: Int128, markEquity: Double, initial: Double, maintenance: Double,
                        collateralValue: Double, price: Double) {}
}
