/// Sums the fees to close an account's cross positions while its pool is evaluated (``PositionFigures/closeFee``,
/// valued at the settlement asset's index price). What the bankruptcy search subtracts from equity.
struct CloseFees: MarginObserver {
    static var wantsPositions: Bool { true }
    /// The instruments of the context the pool is evaluated in (for each position's settlement asset).
    let instruments: [InstrumentRisk]
    /// The index prices of the same context.
    let indexPrices: [Double]
    /// The fees so far.
    private(set) var total = 0.0

    /// An observer for a pool evaluated in `context`.
    init(context: borrowing RiskContext) {
        instruments = context.instruments
        indexPrices = context.indexPrices
    }

    mutating func position(slot: Int, instrument: InstrumentID, figures: PositionFigures) {
        total += figures.closeFee * indexPrices[instruments[instrument.index].settle.index]
    }

    mutating func asset(_ asset: AssetID, exactEquity: Int128, markEquity: Double, initial: Double, maintenance: Double,
                        collateralValue: Double, price: Double) {}
}
