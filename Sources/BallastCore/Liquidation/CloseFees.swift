/// Sums the fees to close an account's cross positions while its pool is evaluated (``PositionFigures/closeFee``,
/// valued at the settlement asset's index price). What the bankruptcy search subtracts from equity.
struct CloseFees: MarginObserver {
    static var wantsPositions: Bool { true }
    /// The settlement asset of each position, by slot.
    let settles: [AssetID]
    /// The index prices of the context the pool is evaluated in.
    let indexPrices: [Double]
    /// The fees so far.
    private(set) var total = 0.0

    init(settles: [AssetID], indexPrices: [Double]) {
        self.settles = settles
        self.indexPrices = indexPrices
    }

    mutating func position(slot: Int, instrument: InstrumentID, figures: PositionFigures) {
        total += figures.closeFee * indexPrices[settles[slot].index]
    }

    mutating func asset(_ asset: AssetID, exactEquity: Int128, markEquity: Double, initial: Double, maintenance: Double,
                        collateralValue: Double, price: Double) {}
}
