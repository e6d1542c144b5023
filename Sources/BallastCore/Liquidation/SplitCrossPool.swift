/// A standard cross pool split for the searches of one move: the per-asset sums of what the move leaves alone
/// (balances and the cross positions it does not change, with their fees to close), kept, and the positions it
/// changes, evaluated again at every step. A step then costs O(moved positions + assets) instead of O(positions): an
/// account of N positions in N instruments searches N pool functions, which made its report O(N²) in positions.
///
/// The kept sums are the whole pool's at the snapshot less the moved positions' there: the exact parts exactly, the
/// `Double` parts to their rounding (about 10^-16 of the pool, far below a tick). The moved positions are summed on top
/// of them by the same kernel as a whole pool (``AccountMargin/accumulate(_:context:scratch:observer:)``), and the
/// assets valued by the same code, at the moved context's prices.
struct SplitCrossPool {
    /// The kept sums, by asset index (zero for an asset not touched).
    private(set) var kept: PoolSums
    /// The positions the move changes, in the account's order.
    let moved: [Position]

    /// The split of `total` (the whole pool's sums at the snapshot) for a move that changes the positions `moved`.
    /// - Throws: ``MarginError`` for a moved position that cannot take standard margin (as the whole pool would).
    init(total: PoolSums, moved: [Position], base: borrowing RiskContext, workspace: inout MarginWorkspace) throws(MarginError) {
        let atBase = try moved.withUnsafeBufferPointer { (positions: UnsafeBufferPointer<Position>) throws(MarginError) in
            try PoolSums(balances: UnsafeBufferPointer(start: nil, count: 0), positions: positions, context: base, workspace: &workspace)
        }
        kept = total.subtracting(atBase)
        self.moved = moved
    }

    /// The pool's figures at `context` (the moved one), and the fees to close its cross futures there when `closeFees`
    /// (valuation currency; 0 otherwise): the kept sums plus the moved positions at `context`.
    /// - Throws: ``MarginError`` for a missing price, a moved position that cannot take standard margin, or an exact
    ///   sum out of range.
    func pool(context: borrowing RiskContext, closeFees: Bool, workspace: inout MarginWorkspace) throws(MarginError) -> (PoolFigures, closeFees: Double) {
        let kept = self.kept
        return try workspace.withScratch(assetCount: context.catalog.assets.count) { (scratch: MarginWorkspace.Scratch) throws(MarginError) in
            defer { scratch.clear() }
            for asset in kept.touched {
                scratch.touch(asset)
                scratch.sums[asset] = kept.sums[asset]
            }
            return try moved.withUnsafeBufferPointer { (positions: UnsafeBufferPointer<Position>) throws(MarginError) in
                var fees = 0.0
                if closeFees {
                    var observer = CloseFees(context: context)
                    try Self.accumulate(positions, context: context, scratch: scratch, observer: &observer)
                    fees = observer.total
                    for asset in kept.touched { fees += kept.closeFees[asset] * context.indexPrices[asset] }
                } else {
                    var observer = NoObserver()
                    try Self.accumulate(positions, context: context, scratch: scratch, observer: &observer)
                }
                var none = NoObserver()
                return (try scratch.valuePool(context: context, observer: &none), fees)
            }
        }
    }

    /// ``AccountMargin/accumulate(_:context:scratch:observer:)``, throwing for a position that cannot take standard margin.
    fileprivate static func accumulate<Observer: MarginObserver>(_ positions: UnsafeBufferPointer<Position>, context: borrowing RiskContext,
                                                             scratch: MarginWorkspace.Scratch, observer: inout Observer) throws(MarginError) {
        if let slot = AccountMargin.accumulate(positions, context: context, scratch: scratch, observer: &observer).failed {
            throw PositionMath.standardProblem(positions[slot], in: context) ?? .outOfRange(figure: "position")
        }
    }
}

/// The per-asset sums of part of a standard cross pool, as the kernel accumulates them before valuing the assets, and
/// each asset's fees to close (in the asset).
struct PoolSums {
    /// Sums by asset index.
    var sums: [MarginWorkspace.Accumulator]
    /// Fees to close the summed cross futures, by settlement asset index, in the asset.
    var closeFees: [Double]
    /// The assets touched, ascending.
    var touched: [Int]

    /// The sums of `balances` and of the cross positions of `positions` at `context`.
    /// - Throws: ``MarginError`` for a position that cannot take standard margin.
    init(balances: UnsafeBufferPointer<Balance>, positions: UnsafeBufferPointer<Position>, context: borrowing RiskContext,
         workspace: inout MarginWorkspace) throws(MarginError) {
        let assetCount = context.catalog.assets.count
        var observer = CloseFeeUnits(instruments: context.instruments, assetCount: assetCount)
        (sums, touched) = try workspace.withScratch(assetCount: assetCount) { (scratch: MarginWorkspace.Scratch) throws(MarginError) in
            defer { scratch.clear() }
            scratch.addBalances(balances, context: context)
            try SplitCrossPool.accumulate(positions, context: context, scratch: scratch, observer: &observer)
            var sums = Array(repeating: MarginWorkspace.Accumulator(), count: assetCount)
            var touched: [Int] = []
            scratch.forEachTouched { asset in
                sums[asset] = scratch.sums[asset]
                touched.append(asset)
            }
            return (sums, touched)
        }
        closeFees = observer.units
    }

    /// These sums less `other`'s: exact parts exactly (an overflow is kept as the kernel keeps one), the rest in
    /// `Double`; touched where either is.
    func subtracting(_ other: PoolSums) -> PoolSums {
        var result = self
        for asset in other.touched {
            let (exact, overflow) = sums[asset].exact.subtractingReportingOverflow(other.sums[asset].exact)
            result.sums[asset].exact = exact
            result.sums[asset].overflowed |= other.sums[asset].overflowed | (overflow ? 1 : 0)
            result.sums[asset].markValue -= other.sums[asset].markValue
            result.sums[asset].initial -= other.sums[asset].initial
            result.sums[asset].maintenance -= other.sums[asset].maintenance
            result.closeFees[asset] -= other.closeFees[asset]
        }
        result.touched = Array(Set(touched).union(other.touched)).sorted()
        return result
    }
}

/// Sums each cross position's fee to close in its settlement asset (``PositionFigures/closeFee``), to be valued at
/// whatever prices the pool is later valued at.
private struct CloseFeeUnits: MarginObserver {
    static var wantsPositions: Bool { true }
    let instruments: [InstrumentRisk]
    var units: [Double]

    init(instruments: [InstrumentRisk], assetCount: Int) {
        self.instruments = instruments
        units = Array(repeating: 0, count: assetCount)
    }

    mutating func position(slot: Int, instrument: InstrumentID, figures: PositionFigures) {
        units[instruments[instrument.index].settle.index] += figures.closeFee
    }

    mutating func asset(_ asset: AssetID, exactEquity: Int128, markEquity: Double, initial: Double, maintenance: Double,
                        collateralValue: Double, price: Double) {}
}
