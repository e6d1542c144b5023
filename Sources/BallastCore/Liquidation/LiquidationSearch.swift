/// The liquidation- and bankruptcy-price searches of one account's positions, sharing their work.
///
/// Every search of a cross position evaluates the cross pool at prices of one moved underlying (or instrument); two
/// positions whose moves have the same key (see ``MovingContext/key(_:scope:)``) search the same function, so the
/// nearest root in a direction is found once and reused. The pool at the snapshot (λ = 1) is computed once, and the
/// moved context is changed in place rather than copied per step.
struct LiquidationSearch {
    /// The account.
    let account: Account
    /// The context moved by the current step.
    private var moving: MovingContext
    /// Scratch of the pool evaluations.
    private var workspace: MarginWorkspace
    /// The cross pool's f(1): (margin balance − MM, equity) at the snapshot.
    private var crossAtOne: (liquidation: Double, bankruptcy: Double)?
    /// Roots found, by move key, function and direction (`nil` when none exists).
    private var roots: [RootKey: Double?] = [:]
    /// The standard cross pool's per-asset sums at the snapshot (made once, by ``standardTotal()``).
    private var total: PoolSums?
    /// The standard cross pool split for each move key searched (``SplitCrossPool``).
    private var splits: [Int: SplitCrossPool] = [:]
    /// The portfolio cross pool split for each move key searched under ``LiquidationPriceScope/instrument``
    /// (``SplitPortfolioPool``).
    private var portfolioSplits: [Int: SplitPortfolioPool] = [:]
    /// The slots of the account's positions by instrument index (made at the first split), so a split finds its moved
    /// positions without scanning the account.
    private var slotsByInstrument: [Int: [Int]]?
    /// Whether the bankruptcy search must subtract fees to close (a standard pool with a position whose schedule has
    /// a fee); otherwise the search observes no positions. Fixed for the account, so decided once rather than at every
    /// step.
    private let subtractsCloseFees: Bool

    /// One search of a cross pool function.
    private struct RootKey: Hashable {
        var move: Int
        var bankruptcy: Bool
        var direction: PriceSearch.Direction
    }

    /// The searches of `account` in `context`.
    init(account: Account, context: RiskContext) {
        self.account = account
        moving = MovingContext(base: context, account: account)
        workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        // Under portfolio margin the pool has no per-position requirement, so no fee to close either.
        subtractsCloseFees = account.model == .standard
            && account.positions.contains { context.instruments[$0.instrument.index].closeFeeRate > 0 }
    }

    /// Liquidation and bankruptcy prices of the position at `slot`.
    /// - Throws: ``MarginError`` for a missing price or parameter.
    mutating func prices(slot: Int) throws(MarginError) -> (liquidation: LiquidationPrice, bankruptcy: LiquidationPrice) {
        let position = account.positions[slot]
        let risk = moving.base.instruments[position.instrument.index]
        let reference = LiquidationPriceSolver.referencePrice(risk)
        let losesDown = LiquidationPriceSolver.lossDirection(position: position, risk: risk) == .down

        if case .isolated(let marginUnits) = position.mode, let schedule = moving.base.details[position.instrument.index].schedule {
            let figures = try PositionFigures(position, in: moving.base)
            let margin = Double(nearest: marginUnits) / PowersOfTen.double(moving.base.catalog[asset: risk.settle].decimals)
            let units = figures.contracts * risk.multiplier
            let cost = Double(nearest: position.cost) * 1e-18
            // A fee to close at the mark moves with the price; one at the bankruptcy price from entry is a constant.
            let feeAtMark = schedule.maintenanceCloseFeeBasis == .mark
            let constantFee = feeAtMark ? 0 : figures.closeFee
            // The MM on entry: the position's MM (fixed margin included) less a fee to close at the mark.
            let entryMaintenance = schedule.notionalBasis == .entry ? figures.maintenance - (feeAtMark ? figures.closeFee : 0) : 0
            // A closed-form price at or past the reference in the way the position loses is already breached.
            let breached = { (price: Double?) in price.map { losesDown ? $0 >= reference : $0 <= reference } ?? false }
            var bankruptcy = IsolatedLiquidation.bankruptcyPrice(form: risk.form, units: units, margin: margin, cost: cost,
                                                                 closeFeeRate: feeAtMark ? schedule.closeFeeRate : 0, constantFee: constantFee)
            bankruptcy.breached = breached(bankruptcy.price)
            if let closed = IsolatedLiquidation.liquidationPrice(schedule: schedule, form: risk.form, units: units, margin: margin,
                                                                 cost: cost, entryMaintenance: entryMaintenance, contracts: figures.contracts,
                                                                 constantFee: constantFee) {
                return (LiquidationPrice(price: closed.price, breached: breached(closed.price), closedForm: true), bankruptcy)
            }
            let atOne = try isolatedValue(slot: slot, factor: 1)
            let direction = Self.direction(losesDown: losesDown, atOne: atOne)
            let root = try PriceSearch.nearestRoot(direction: direction, valueAtOne: atOne) { (factor: Double) throws(MarginError) -> Double in
                try isolatedValue(slot: slot, factor: factor)
            }
            return (LiquidationPrice(price: root.map { $0 * reference }, breached: atOne <= 0), bankruptcy)
        }

        let scope = moving.base.parameters.conventions.liquidationPriceScope
        let move = moving.key(position.instrument, scope: scope)
        let atOne = try crossPoolAtOne()
        if position.side.isLeg {
            // Hedge-mode legs move with one mark, so they share one price (Binance). Which way the pool loses is not the
            // way of either leg: equity moves with the net size, MM with the gross, and a nearly balanced pair can lose
            // on a rise although it is net long. Both ways are searched and the nearer root is kept.
            let liquidation = try nearerCrossRoot(move: move, instrument: position.instrument, scope: scope, bankruptcy: false,
                                                  atOne: atOne.liquidation)
            let bankruptcy = try nearerCrossRoot(move: move, instrument: position.instrument, scope: scope, bankruptcy: true,
                                                 atOne: atOne.bankruptcy)
            return (LiquidationPrice(price: liquidation.map { $0 * reference }, breached: atOne.liquidation <= 0),
                    LiquidationPrice(price: bankruptcy.map { $0 * reference }, breached: atOne.bankruptcy <= 0))
        }
        let liquidation = try crossRoot(move: move, instrument: position.instrument, scope: scope, bankruptcy: false,
                                        direction: Self.direction(losesDown: losesDown, atOne: atOne.liquidation), atOne: atOne.liquidation)
        let bankruptcy = try crossRoot(move: move, instrument: position.instrument, scope: scope, bankruptcy: true,
                                       direction: Self.direction(losesDown: losesDown, atOne: atOne.bankruptcy), atOne: atOne.bankruptcy)
        return (LiquidationPrice(price: liquidation.map { $0 * reference }, breached: atOne.liquidation <= 0),
                LiquidationPrice(price: bankruptcy.map { $0 * reference }, breached: atOne.bankruptcy <= 0))
    }

    /// The search direction: the way the position loses, or the other way when the pool is already past the
    /// threshold (to where it would recover).
    private static func direction(losesDown: Bool, atOne: Double) -> PriceSearch.Direction {
        (losesDown != (atOne <= 0)) ? .down : .up
    }

    /// An isolated position's margin balance − MM with its instrument moved by `factor`.
    private mutating func isolatedValue(slot: Int, factor: Double) throws(MarginError) -> Double {
        let instrument = account.positions[slot].instrument
        let pool: PoolFigures
        if factor == 1 {
            pool = try AccountMargin.isolatedPool(account, slot: slot, context: moving.base).0
        } else {
            moving.move(instrument, by: factor, scope: .instrument)
            pool = try AccountMargin.isolatedPool(account, slot: slot, context: moving.current).0
        }
        return pool.marginBalance - pool.maintenance
    }

    /// The cross pool's margin balance − MM and equity less fees to close at the snapshot: for a standard pool, its
    /// total sums valued (the sums every split is kept from), for a portfolio pool its evaluation (no fees to close).
    private mutating func crossPoolAtOne() throws(MarginError) -> (liquidation: Double, bankruptcy: Double) {
        if let crossAtOne { return crossAtOne }
        let figures: PoolFigures
        var fees = 0.0
        if account.model == .standard {
            let total = try standardTotal()
            (figures, fees) = try account.positions.withUnsafeBufferPointer { (all: UnsafeBufferPointer<Position>) throws(MarginError) in
                try total.pool(adding: UnsafeBufferPointer(start: nil, count: 0), sizing: all, context: moving.base, closeFees: subtractsCloseFees,
                               workspace: &workspace)
            }
        } else {
            figures = try AccountMargin.pool(account, context: moving.base, workspace: &workspace)
        }
        let values = (liquidation: figures.marginBalance - figures.maintenance, bankruptcy: figures.equity - fees)
        crossAtOne = values
        return values
    }

    /// The standard cross pool's per-asset sums at the snapshot (made once).
    private mutating func standardTotal() throws(MarginError) -> PoolSums {
        if let total { return total }
        let made = try account.balances.withUnsafeBufferPointer { (balances: UnsafeBufferPointer<Balance>) throws(MarginError) in
            try account.positions.withUnsafeBufferPointer { (positions: UnsafeBufferPointer<Position>) throws(MarginError) in
                try PoolSums(balances: balances, positions: positions, sizing: positions, context: moving.base, workspace: &workspace)
            }
        }
        total = made
        return made
    }

    /// The nearest root in `direction` of the cross pool function of `account` (margin balance − MM, or equity for a
    /// `bankruptcy` price) with `instrument`'s move applied. Static, with the moving context and the workspace passed
    /// in: a closure over `self` made the compiler copy the moved context at every step.
    /// With a `split` (a standard pool) or a `portfolioSplit` (a portfolio pool under a move of one mark), each step
    /// adds only the moved positions to what the others keep.
    private static func nearestRoot(of account: borrowing Account, subtractsCloseFees: Bool, moving: inout MovingContext,
                                    workspace: inout MarginWorkspace, split: SplitCrossPool?, portfolioSplit: SplitPortfolioPool?,
                                    instrument: InstrumentID,
                                    scope: LiquidationPriceScope, bankruptcy: Bool,
                                    direction: PriceSearch.Direction, atOne: Double) throws(MarginError) -> Double? {
        try PriceSearch.nearestRoot(direction: direction, valueAtOne: atOne) { (factor: Double) throws(MarginError) -> Double in
            if let split {
                moving.move(instrument, by: factor, scope: scope, equityOnly: bankruptcy)
                let (figures, fees) = try split.pool(context: moving.current, closeFees: bankruptcy && subtractsCloseFees, workspace: &workspace)
                return bankruptcy ? figures.equity - fees : figures.marginBalance - figures.maintenance
            }
            if let portfolioSplit {
                moving.move(instrument, by: factor, scope: scope, equityOnly: bankruptcy)
                let figures = try portfolioSplit.pool(context: moving.current, workspace: &workspace)
                return bankruptcy ? figures.equity : figures.marginBalance - figures.maintenance
            }
            // A portfolio pool under a move of an underlying: the whole account at every step, without fees to close.
            let figures = try moving.pool(of: account, moving: instrument, by: factor, scope: scope, equityOnly: bankruptcy, workspace: &workspace)
            return bankruptcy ? figures.equity : figures.marginBalance - figures.maintenance
        }
    }

    /// The split of a standard cross pool for a move (made once per move key); `nil` under portfolio margin, whose pool
    /// is not a sum over positions.
    private mutating func standardSplit(move: Int, instrument: InstrumentID, scope: LiquidationPriceScope) throws(MarginError) -> SplitCrossPool? {
        guard account.model == .standard else { return nil }
        if let split = splits[move] { return split }
        let total = try standardTotal()
        let slots = slotsByInstrument ?? Dictionary(grouping: account.positions.indices, by: { account.positions[$0].instrument.index })
        slotsByInstrument = slots
        // In the account's order, as the whole pool sums them.
        let movedSlots = moving.movedInstruments(instrument, scope: scope).flatMap { slots[$0] ?? [] }.sorted()
        let split = try SplitCrossPool(total: total, moved: movedSlots.map { account.positions[$0] }, all: account.positions, base: moving.base,
                                       workspace: &workspace)
        splits[move] = split
        return split
    }

    /// The split of a portfolio cross pool for a move of one instrument's mark (made once per move key); `nil` under
    /// standard margin or a move of an underlying, which changes the index price and every instrument on it.
    private mutating func portfolioSplit(move: Int, instrument: InstrumentID, scope: LiquidationPriceScope) throws(MarginError) -> SplitPortfolioPool? {
        guard account.model == .portfolio, scope == .instrument, moving.base.parameters.portfolio != nil else { return nil }
        if let split = portfolioSplits[move] { return split }
        let split = try SplitPortfolioPool(account: account, movedInstruments: moving.movedInstruments(instrument, scope: scope), base: moving.base,
                                           workspace: &workspace)
        portfolioSplits[move] = split
        return split
    }

    /// The root of a cross pool function nearer the snapshot of the two found searching down and up.
    private mutating func nearerCrossRoot(move: Int, instrument: InstrumentID, scope: LiquidationPriceScope, bankruptcy: Bool,
                                          atOne: Double) throws(MarginError) -> Double? {
        let down = try crossRoot(move: move, instrument: instrument, scope: scope, bankruptcy: bankruptcy, direction: .down, atOne: atOne)
        let up = try crossRoot(move: move, instrument: instrument, scope: scope, bankruptcy: bankruptcy, direction: .up, atOne: atOne)
        guard let down else { return up }
        guard let up else { return down }
        return abs(down - 1) <= abs(up - 1) ? down : up
    }

    /// The nearest root of a cross pool function in `direction`, searched once per key.
    private mutating func crossRoot(move: Int, instrument: InstrumentID, scope: LiquidationPriceScope, bankruptcy: Bool,
                                    direction: PriceSearch.Direction, atOne: Double) throws(MarginError) -> Double? {
        let key = RootKey(move: move, bankruptcy: bankruptcy, direction: direction)
        if let root = roots[key] { return root }
        let split = try standardSplit(move: move, instrument: instrument, scope: scope)
        let portfolioSplit = try portfolioSplit(move: move, instrument: instrument, scope: scope)
        let root = try Self.nearestRoot(of: account, subtractsCloseFees: subtractsCloseFees, moving: &moving, workspace: &workspace, split: split,
                                        portfolioSplit: portfolioSplit, instrument: instrument, scope: scope, bankruptcy: bankruptcy,
                                        direction: direction, atOne: atOne)
        roots[key] = .some(root)
        return root
    }
}
