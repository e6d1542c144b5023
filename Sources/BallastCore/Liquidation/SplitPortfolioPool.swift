/// A portfolio cross pool split for the searches of one move of an instrument's mark (``LiquidationPriceScope/instrument``):
/// what the positions the move leaves alone and the balances put into the scratches (scenario vectors, tenor deltas,
/// exposures, equity sums), accumulated once at the snapshot and saved, and the positions the move changes, accumulated
/// on top of a restored copy at every step. A step then costs O(moved positions × scenarios + underlyings) instead of
/// O(positions × scenarios): an account of N option positions in N instruments searches N pool functions, which made
/// its report O(N²).
///
/// A move of one mark changes nothing else the pool reads (no index price, no other instrument's mark or scenario row:
/// ``RiskContext/moveTargets(_:scope:)``), so what is kept is exactly what the whole pool would accumulate for it at
/// every step. The balances' collateral, which depends on the underlyings the positions touch, and each underlying's
/// risk are computed at every step after the moved positions, by the same functions as a whole pool
/// (``PortfolioMargin``). Only the order of the `Double` sums differs from a whole pool's (the kept positions first):
/// about 10^-16 of the pool, far below a tick.
struct SplitPortfolioPool {
    /// The account's id, for the error of a context without portfolio parameters.
    private let accountID: String
    /// The positions the move changes, in the account's order.
    private let moved: [Position]
    /// The account's balances (their collateral is decided after all positions).
    private let balances: [Balance]
    /// The scenario scratch and the equity scratch after the kept positions and the balances.
    private let kept: PortfolioWorkspace.Scratch.Saved
    private let keptEquity: MarginWorkspace.Scratch.Saved
    /// The kept positions' net option value.
    private let keptOptionValue: Double

    /// The split of `account`'s pool for a move that changes the held instruments `movedInstruments`, accumulated at
    /// `base` (the snapshot's context), with `workspace`'s scratches (its portfolio scratch included).
    /// - Throws: ``MarginError`` for a kept position the pool cannot value (as the whole pool would).
    init(account: borrowing Account, movedInstruments: Set<Int>, base: borrowing RiskContext, workspace: inout MarginWorkspace) throws(MarginError) {
        accountID = account.id
        balances = account.balances
        var moved: [Position] = []
        var keptPositions: [Position] = []
        for position in account.positions {
            if movedInstruments.contains(position.instrument.index) { moved.append(position) } else { keptPositions.append(position) }
        }
        self.moved = moved
        let (parameters, arrays) = try base.portfolioMargin(forAccount: account.id)
        let assetCount = base.catalog.assets.count
        let balances = account.balances
        (kept, keptEquity, keptOptionValue) = try workspace.withPortfolioScratch(stride: arrays.stride) {
            (portfolio: inout PortfolioWorkspace, equityWorkspace: inout MarginWorkspace) throws(MarginError) in
            try equityWorkspace.withScratch(assetCount: assetCount) { (equity: MarginWorkspace.Scratch) throws(MarginError) in
                defer { equity.clear() }
                equity.addBalances(balances, context: base)
                let (saved, optionValue) = try portfolio.withScratch(assetCount: assetCount, tenorSlots: arrays.tenorKeys.count) {
                    (scratch: inout PortfolioWorkspace.Scratch) throws(MarginError) in
                    defer { scratch.clear() }
                    let optionValue = try PortfolioMargin.accumulatePositions(keptPositions, context: base, arrays: arrays, parameters: parameters,
                                                                             scratch: scratch, equity: equity)
                    return (scratch.saved(), optionValue)
                }
                return (saved, equity.saved(), optionValue)
            }
        }
    }

    /// The pool's figures at `context` (the moved one): the kept accumulations plus the moved positions there, each
    /// underlying's risk aggregated and the factors applied as ``PortfolioMargin/evaluate(_:context:arrays:parameters:workspace:equityWorkspace:)``.
    /// - Throws: ``MarginError`` for a missing price or array of a moved position, or a figure out of range.
    func pool(context: borrowing RiskContext, workspace: inout MarginWorkspace) throws(MarginError) -> PoolFigures {
        let (parameters, arrays) = try context.portfolioMargin(forAccount: accountID)
        let assetCount = context.catalog.assets.count
        return try workspace.withPortfolioScratch(stride: arrays.stride) {
            (portfolio: inout PortfolioWorkspace, equityWorkspace: inout MarginWorkspace) throws(MarginError) in
            let (equityPool, count, movedOptionValue) = try equityWorkspace.withScratch(assetCount: assetCount) {
                (equity: MarginWorkspace.Scratch) throws(MarginError) in
                defer { equity.clear() }
                equity.restore(keptEquity)
                let (count, optionValue) = try portfolio.withScratch(assetCount: assetCount, tenorSlots: arrays.tenorKeys.count) {
                    (scratch: inout PortfolioWorkspace.Scratch) throws(MarginError) in
                    defer { scratch.clear() }
                    scratch.restore(kept)
                    let optionValue = try PortfolioMargin.accumulatePositions(moved, context: context, arrays: arrays, parameters: parameters,
                                                                             scratch: scratch, equity: equity)
                    try PortfolioMargin.accumulateCollateral(balances, context: context, arrays: arrays, parameters: parameters, scratch: scratch)
                    return (try PortfolioMargin.touchedRisks(context: context, arrays: arrays, parameters: parameters, scratch: scratch, locateWorst: false),
                            optionValue)
                }
                var observer = NoObserver()
                return (try equity.valuePool(context: context, observer: &observer), count, optionValue)
            }
            return PortfolioMargin.figures(pool: equityPool, optionValue: keptOptionValue + movedOptionValue, risks: portfolio.lastRisks(count: count),
                                           parameters: parameters).pool
        }
    }
}
