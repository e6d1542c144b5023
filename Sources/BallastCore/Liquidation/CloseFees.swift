/// Sums the fees to close an account's cross positions while its pool is evaluated (``PositionFigures/closeFee``,
/// valued at the settlement asset's index price). What the bankruptcy search subtracts from equity.
struct CloseFees: MarginObserver {
    static var wantsPositions: Bool { true }
    /// The account's positions, by slot.
    let positions: [Position]
    /// The context the pool is evaluated in.
    let context: RiskContext
    /// The fees so far.
    private(set) var total = 0.0

    init(positions: [Position], context: RiskContext) {
        self.positions = positions
        self.context = context
    }

    mutating func position(slot: Int, figures: PositionFigures) {
        let settle = context.instruments[positions[slot].instrument.index].settle
        total += figures.closeFee * context.indexPrices[settle.index]
    }

    mutating func asset(_ asset: AssetID, exactEquity: Int128, markEquity: Double, initial: Double, maintenance: Double,
                        collateralValue: Double, price: Double) {}
}
