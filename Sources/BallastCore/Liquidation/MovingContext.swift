/// The risk context of one account's price searches, moved in place step after step.
///
/// A search evaluates the pool at many prices of one underlying. Building a moved ``RiskContext`` per step would copy
/// every instrument's record (and, for portfolio margin, every scenario row) each time; this keeps one private copy
/// (made at the first move) and rewrites only what the account's pool reads: the account's own instruments that the
/// move touches, the moved underlying's index price, and for a portfolio account their scenario rows, repriced at the
/// moved price. Instruments the account does not hold are left as they are, since its pool never reads them.
struct MovingContext {
    /// The snapshot's context.
    let base: RiskContext
    /// The context at the last move (the base before any).
    private(set) var current: RiskContext
    /// The instruments of the account's positions.
    private let held: Set<Int>
    /// Whether scenario rows follow the moves (a portfolio account under portfolio parameters).
    private let repricesArrays: Bool
    /// What the current move changed: its key, instruments and asset.
    private var moved: (key: Int, instruments: [Int], asset: Int?)?

    /// A moving context for `account` over `base`.
    init(base: RiskContext, account: borrowing Account) {
        self.base = base
        current = base
        var held = Set<Int>()
        for position in account.positions { held.insert(position.instrument.index) }
        self.held = held
        repricesArrays = account.model == .portfolio && base.parameters.portfolio != nil
    }

    /// The key of the move of `instrument` under `scope`: moves with one key change the same figures, so a pool
    /// function of one key is the same whichever position asked for it (the instrument's index for
    /// ``LiquidationPriceScope/instrument``, −1 − the underlying's asset index for ``LiquidationPriceScope/underlying``).
    func key(_ instrument: InstrumentID, scope: LiquidationPriceScope) -> Int {
        switch scope {
        case .instrument: return instrument.index
        case .underlying: return -1 - base.catalog.instruments[instrument.index].underlying.index
        }
    }

    /// The held instruments a move of `instrument` under `scope` changes (what ``move(_:by:scope:equityOnly:)`` rewrites).
    func movedInstruments(_ instrument: InstrumentID, scope: LiquidationPriceScope) -> Set<Int> {
        Set(base.moveTargets(instrument, scope: scope).instruments.filter(held.contains))
    }

    /// Moves the underlying of `instrument` by `factor` from the snapshot: that instrument and the held options priced
    /// off its mark (``LiquidationPriceScope/instrument``), or every held instrument on the same underlying and the underlying
    /// asset's index price (``LiquidationPriceScope/underlying``). A move of another key first puts back what the last
    /// one changed. With `equityOnly` (a bankruptcy search, which reads the pool's equity and no requirement) the
    /// scenario rows are not repriced: equity is the positions' standard value and never reads them, and the next move
    /// that needs them reprices them at its own price.
    mutating func move(_ instrument: InstrumentID, by factor: Double, scope: LiquidationPriceScope, equityOnly: Bool = false) {
        let key = key(instrument, scope: scope)
        if moved?.key != key {
            if let moved { current.restore(from: base, instruments: moved.instruments, asset: moved.asset, repricingArrays: repricesArrays) }
            let targets = base.moveTargets(instrument, scope: scope)
            moved = (key, targets.instruments.filter(held.contains), targets.asset)
        }
        guard let moved else { return }
        current.move(from: base, instruments: moved.instruments, asset: moved.asset, searched: instrument.index, by: factor,
                     repricingArrays: repricesArrays && !equityOnly)
    }

    /// The pool of `account` (``AccountMargin/pool(_:context:workspace:)``) after ``move(_:by:scope:equityOnly:)``:
    /// the moved context is read in place.
    /// - Throws: ``MarginError`` for a missing price or parameter.
    mutating func pool(of account: borrowing Account, moving instrument: InstrumentID, by factor: Double, scope: LiquidationPriceScope,
                       equityOnly: Bool, workspace: inout MarginWorkspace) throws(MarginError) -> PoolFigures {
        move(instrument, by: factor, scope: scope, equityOnly: equityOnly)
        return try AccountMargin.pool(account, context: current, workspace: &workspace)
    }
}
