/// A standard cross pool split for the searches of one move: the per-asset sums of what the move leaves alone
/// (balances and the cross positions it does not change, with their fees to close), kept, and the positions it
/// changes, evaluated again at every step. A step then costs O(moved positions + assets) instead of O(positions): an
/// account of N positions in N instruments searches N pool functions, which made its report O(N²) in positions.
///
/// The kept sums are the whole pool's at the snapshot less the moved positions' there: the exact parts exactly, the
/// `Double` parts to their rounding (about 10^-16 of the pool, far below a tick). The moved positions are summed on top
/// of them by the same kernel as a whole pool (``AccountMargin/accumulate(_:context:scratch:observer:sizing:)``), and the
/// assets valued by the same code, at the moved context's prices.
struct SplitCrossPool {
    /// The kept sums, by asset index (zero for an asset not touched).
    private(set) var kept: PoolSums
    /// The positions the move changes, in the account's order.
    let moved: [Position]
    /// All the account's positions: a short option with size-tiered rates takes the factor of every short option on its
    /// underlying, moved or not (sizes do not move with prices).
    let all: [Position]

    /// The split of `total` (the whole pool's sums at the snapshot) for a move that changes the positions `moved` of
    /// the account's positions `all`.
    /// - Throws: ``MarginError`` for a moved position that cannot take standard margin (as the whole pool would).
    init(total: PoolSums, moved: [Position], all: [Position], base: borrowing RiskContext, workspace: inout MarginWorkspace) throws(MarginError) {
        let atBase = try all.withUnsafeBufferPointer { (sizing: UnsafeBufferPointer<Position>) throws(MarginError) in
            try moved.withUnsafeBufferPointer { (positions: UnsafeBufferPointer<Position>) throws(MarginError) in
                try PoolSums(balances: UnsafeBufferPointer(start: nil, count: 0), positions: positions, sizing: sizing, context: base,
                             workspace: &workspace)
            }
        }
        kept = total.subtracting(atBase)
        self.moved = moved
        self.all = all
    }

    /// The pool's figures at `context` (the moved one), and the fees to close its cross futures there when `closeFees`
    /// (valuation currency; 0 otherwise): the kept sums plus the moved positions at `context`.
    /// - Throws: ``MarginError`` for a missing price, a moved position that cannot take standard margin, or an exact
    ///   sum out of range.
    func pool(context: borrowing RiskContext, closeFees: Bool, workspace: inout MarginWorkspace) throws(MarginError) -> (PoolFigures, closeFees: Double) {
        try all.withUnsafeBufferPointer { (sizing: UnsafeBufferPointer<Position>) throws(MarginError) in
            try moved.withUnsafeBufferPointer { (positions: UnsafeBufferPointer<Position>) throws(MarginError) in
                try kept.pool(adding: positions, sizing: sizing, context: context, closeFees: closeFees, workspace: &workspace)
            }
        }
    }
}
