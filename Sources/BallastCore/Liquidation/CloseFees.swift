/// Sums the fees to close an account's cross futures while its pool is evaluated: |q|·m·P·f of each linear future,
/// |q|·m·f/P of each inverse one (f = ``InstrumentRisk/closeFeeRate``, the mark notional the kernel computes), in the
/// valuation currency. What the bankruptcy search subtracts from equity.
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
        let risk = context.instruments[positions[slot].instrument.index]
        guard risk.form == .linear || risk.form == .inverse else { return }
        total += figures.notional * risk.closeFeeRate * context.indexPrices[risk.settle.index]
    }

    mutating func asset(_ asset: AssetID, exactEquity: Int128, markEquity: Double, initial: Double, maintenance: Double,
                        collateralValue: Double, price: Double) {}
}
