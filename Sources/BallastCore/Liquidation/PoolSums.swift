/// The per-asset sums of part of a standard cross pool, as the kernel accumulates them before valuing the assets, and
/// each asset's fees to close (in the asset).
struct PoolSums {
    /// Sums by asset index.
    var sums: [MarginWorkspace.Accumulator]
    /// Fees to close the summed cross futures, by settlement asset index, in the asset.
    var closeFees: [Double]
    /// The assets touched, ascending.
    var touched: [Int]

    /// The sums of `balances` and of the cross positions of `positions` at `context`, short options' size tiers taken
    /// over `sizing` (all the account's positions).
    /// - Throws: ``MarginError`` for a position that cannot take standard margin.
    init(balances: UnsafeBufferPointer<Balance>, positions: UnsafeBufferPointer<Position>, sizing: UnsafeBufferPointer<Position>,
         context: borrowing RiskContext, workspace: inout MarginWorkspace) throws(MarginError) {
        let assetCount = context.catalog.assets.count
        var observer = CloseFees(context: context)
        (sums, touched) = try workspace.withScratch(assetCount: assetCount) { (scratch: MarginWorkspace.Scratch) throws(MarginError) in
            defer { scratch.clear() }
            scratch.addBalances(balances, context: context)
            _ = try AccountMargin.accumulateCross(positions, context: context, scratch: scratch, observer: &observer, sizing: sizing)
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

    /// The pool these sums make with the cross positions of `positions` added at `context` (none: the sums alone),
    /// short options' size tiers taken over `sizing`, and the fees to close its cross futures there when `closeFees`
    /// (valuation currency; 0 otherwise): the kept fees in their assets valued at `context`'s prices.
    /// - Throws: ``MarginError`` for a missing price, a position that cannot take standard margin, or an exact sum out
    ///   of range.
    func pool(adding positions: UnsafeBufferPointer<Position>, sizing: UnsafeBufferPointer<Position>, context: borrowing RiskContext,
              closeFees: Bool, workspace: inout MarginWorkspace) throws(MarginError) -> (PoolFigures, closeFees: Double) {
        try workspace.withScratch(assetCount: context.catalog.assets.count) { (scratch: MarginWorkspace.Scratch) throws(MarginError) in
            defer { scratch.clear() }
            for asset in touched {
                scratch.touch(asset)
                scratch.sums[asset] = sums[asset]
            }
            var fees = 0.0
            if closeFees {
                // The kept fees and the added positions' in their assets, valued here.
                var observer = CloseFees(context: context, units: self.closeFees)
                _ = try AccountMargin.accumulateCross(positions, context: context, scratch: scratch, observer: &observer, sizing: sizing)
                for (asset, units) in observer.units.enumerated() where units != 0 { fees += units * context.indexPrices[asset] }
            } else {
                var observer = NoObserver()
                _ = try AccountMargin.accumulateCross(positions, context: context, scratch: scratch, observer: &observer, sizing: sizing)
            }
            var none = NoObserver()
            return (try scratch.valuePool(context: context, observer: &none), fees)
        }
    }

    /// These sums less `other`'s: exact parts exactly (modulo 2^128), the rest in `Double`; touched where either is.
    func subtracting(_ other: PoolSums) -> PoolSums {
        var result = self
        for asset in other.touched {
            // Exact modulo 2^128, so right whenever the kept sum is in range, even if a part overflowed on the way; the
            // whole pool's flag is kept (a step's own sum is checked again as the moved positions are added).
            result.sums[asset].exact = sums[asset].exact &- other.sums[asset].exact
            result.sums[asset].markValue -= other.sums[asset].markValue
            result.sums[asset].initial -= other.sums[asset].initial
            result.sums[asset].maintenance -= other.sums[asset].maintenance
            result.closeFees[asset] -= other.closeFees[asset]
        }
        result.touched = Array(Set(touched).union(other.touched)).sorted()
        return result
    }
}
