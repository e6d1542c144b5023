/// The standard (per-position) margin of an account: its cross pool and each isolated position.
///
/// This is the one risk function behind the CLI, the what-if and max-size tools, the liquidation-price search,
/// the engine and the benchmark (dYdX reuses `GetRiskForSubaccount` the same way): a pure function of
/// (account, ``RiskContext``).
public enum AccountMargin {
    /// The cross pool's figures under the account's model: standard (`crossPool(_:context:workspace:observer:)`) or
    /// portfolio (``PortfolioMargin``).
    /// - Throws: ``MarginError`` for a missing price or parameter, or a portfolio account without portfolio parameters.
    public static func pool(_ account: borrowing Account, context: borrowing RiskContext, workspace: inout MarginWorkspace) throws(MarginError) -> PoolFigures {
        switch account.model {
        case .standard:
            var observer = NoObserver()
            return try crossPool(account, context: context, workspace: &workspace, observer: &observer)
        case .portfolio:
            return try portfolioPool(account, context: context, workspace: &workspace)
        }
    }

    /// The cross pool of a portfolio-margined account, with the portfolio scratch kept in `workspace` (out of line, so
    /// the standard path carries none of it).
    /// - Throws: ``MarginError`` for a missing price or array, or without portfolio parameters.
    @inline(never)
    static func portfolioPool(_ account: borrowing Account, context: borrowing RiskContext, workspace: inout MarginWorkspace) throws(MarginError) -> PoolFigures {
        let (portfolio, arrays) = try context.portfolioMargin(for: account)
        return try workspace.withPortfolioScratch(stride: arrays.stride) {
            (scratch: inout PortfolioWorkspace, equity: inout MarginWorkspace) throws(MarginError) in
            try PortfolioMargin.evaluate(account, context: context, arrays: arrays, parameters: portfolio, workspace: &scratch, equityWorkspace: &equity).pool
        }
    }

    /// The cross pool's standard-margin figures, in the valuation currency.
    ///
    /// Per asset a: **equity_a = balance_a + Σ unrealised PnL + Σ counted option values**. The exact parts (balances,
    /// cost bases, and q·m·P for linear contracts and options whose mark is an exact decimal) are summed as integers at
    /// 10^-18 and converted once; only inverse values and moved prices are `Double`. So equity is exact to the unit for
    /// linear books, and a trade and its reverse give identical figures.
    /// equity = Σ equity_a·p_a; margin balance = Σ haircut_a(equity_a, p_a); IM = Σ IM_a·p_a; MM = Σ MM_a·p_a.
    /// Isolated positions are excluded (see ``isolatedPool(_:slot:context:)``).
    ///
    /// - Complexity: O(positions + balances).
    /// - Throws: ``MarginError`` for a missing price or parameter of something the account holds.
    public static func crossPool<Observer: MarginObserver>(
        _ account: borrowing Account, context: borrowing RiskContext, workspace: inout MarginWorkspace, observer: inout Observer
    ) throws(MarginError) -> PoolFigures {
        try standardPool(account, context: context, workspace: &workspace, observer: &observer).pool
    }

    /// `crossPool(_:context:workspace:observer:)` of `accounts[index]`, read where it lies in the array rather than
    /// copied out of it (see ``standardPool(at:context:workspace:observer:)``): for loops over a book of accounts.
    /// - Precondition: `index` is an index of `accounts`.
    /// - Throws: ``MarginError`` for a missing price or parameter of something the account holds.
    public static func crossPool<Observer: MarginObserver>(
        _ accounts: borrowing [Account], at index: Int, context: borrowing RiskContext, workspace: inout MarginWorkspace, observer: inout Observer
    ) throws(MarginError) -> PoolFigures {
        try withAccount(accounts, at: index) { (account: UnsafePointer<Account>) throws(MarginError) in
            try standardPool(at: account, context: context, workspace: &workspace, observer: &observer).pool
        }
    }

    /// Calls `body` with a pointer to `accounts[index]`, valid during the call.
    /// - Precondition: `index` is an index of `accounts`.
    @inline(__always)
    static func withAccount<R, E: Error>(_ accounts: borrowing [Account], at index: Int, _ body: (UnsafePointer<Account>) throws(E) -> R) throws(E) -> R {
        precondition(accounts.indices.contains(index), "account index \(index) outside 0..<\(accounts.count)")
        return try accounts.withUnsafeBufferPointer { (buffer: UnsafeBufferPointer<Account>) throws(E) -> R in
            try body(buffer.baseAddress.unsafelyUnwrapped + index)
        }
    }

    /// `crossPool(_:context:workspace:observer:)` and whether the account holds isolated positions (a summary skips
    /// them otherwise).
    @inline(__always)
    static func standardPool<Observer: MarginObserver>(
        _ account: borrowing Account, context: borrowing RiskContext, workspace: inout MarginWorkspace, observer: inout Observer
    ) throws(MarginError) -> (pool: PoolFigures, hasIsolated: Bool) {
        try withUnsafePointer(to: account) { (account: UnsafePointer<Account>) throws(MarginError) in
            try standardPool(at: account, context: context, workspace: &workspace, observer: &observer)
        }
    }

    /// ``standardPool(_:context:workspace:observer:)`` of the account at `account`, read through the pointer field by
    /// field and never held as a value: a value read out of an array (or through a pointer) is copied, which retains
    /// and releases its id and its three arrays, because the compiler cannot prove that the writes to the workspace
    /// leave it alone. The workspace's buffers are pinned first, and the account's arrays are borrowed inside, where
    /// nothing can reallocate. So a caller reading accounts in place (``MarginSummary/init(_:at:context:workspace:)``)
    /// copies nothing.
    @inline(__always)
    static func standardPool<Observer: MarginObserver>(
        at account: UnsafePointer<Account>, context: borrowing RiskContext, workspace: inout MarginWorkspace, observer: inout Observer
    ) throws(MarginError) -> (pool: PoolFigures, hasIsolated: Bool) {
        try workspace.withScratch(assetCount: context.catalog.assets.count) { (scratch: MarginWorkspace.Scratch) throws(MarginError) in
            defer { scratch.clear() }
            return try account.pointee.balances.withUnsafeBufferPointer { (balances: UnsafeBufferPointer<Balance>) throws(MarginError) in
                try account.pointee.positions.withUnsafeBufferPointer { (positions: UnsafeBufferPointer<Position>) throws(MarginError) in
                    scratch.addBalances(balances, context: context)
                    let hasIsolated = try accumulateCross(positions, context: context, scratch: scratch, observer: &observer)
                    return (try scratch.valuePool(context: context, observer: &observer), hasIsolated)
                }
            }
        }
    }

    /// ``accumulate(_:context:scratch:observer:sizing:)``, throwing the problem of the first position that cannot take
    /// standard margin.
    /// - Returns: whether an isolated position was seen.
    @inline(__always)
    static func accumulateCross<Observer: MarginObserver>(
        _ positions: UnsafeBufferPointer<Position>, context: borrowing RiskContext, scratch: MarginWorkspace.Scratch, observer: inout Observer,
        sizing: UnsafeBufferPointer<Position>? = nil
    ) throws(MarginError) -> Bool {
        let (failed, hasIsolated) = accumulate(positions, context: context, scratch: scratch, observer: &observer, sizing: sizing)
        if let slot = failed { throw PositionMath.standardProblem(positions[slot], in: context) ?? .outOfRange(figure: "position") }
        return hasIsolated
    }

    /// Adds every cross position's value and requirements to its settlement asset's sums. A short option whose rates
    /// have size tiers takes the factor of the short options on its underlying in `sizing` (the account's positions,
    /// when `positions` is only part of them), or in `positions` if `sizing` is `nil`.
    /// - Returns: the slot of the first position that cannot take standard margin, if any, and whether an isolated
    ///   position was seen.
    @inline(__always)
    static func accumulate<Observer: MarginObserver>(
        _ positions: UnsafeBufferPointer<Position>, context: borrowing RiskContext, scratch: MarginWorkspace.Scratch, observer: inout Observer,
        sizing: UnsafeBufferPointer<Position>? = nil
    ) -> (failed: Int?, hasIsolated: Bool) {
        context.instruments.withUnsafeBufferPointer { instruments in
            context.tiers.withView { tiers in
                var hasIsolated = false
                // The short-option size of the last underlying a size-tiered short option needed.
                var shortSizes: (underlying: AssetID, size: Double)? = nil
                for slot in positions.indices {
                    guard case .cross = positions[slot].mode else {
                        hasIsolated = true
                        continue
                    }
                    // The leverage's rate without a branch on whether there is one: half the positions of a book may
                    // have one, in no order, so a branch mispredicts, and LLVM makes a branch of any select on that flag.
                    // So the optional leverage is read as stored (``LeverageBits``), its flag n (1 without a leverage)
                    // becomes a number, and the rate is arithmetic: leverage L = payload + n (the payload is 0 without
                    // one), rate 1/(L·(1 − n)·(1 − 2n)), which is exactly 1/L with a leverage and 1/(−0) = −∞ without.
                    // Only an invalid leverage, which fails, branches.
                    let (payload, noLeverage) = LeverageBits.read(positions[slot].leverage)
                    let leverage = payload + noLeverage
                    guard leverage.isFinite, leverage >= 1 else { return (slot, hasIsolated) }
                    let leverageRate = 1 / (leverage * (1 - noLeverage) * (1 - 2 * noLeverage))
                    let (size, cost) = (positions[slot].size, positions[slot].cost)
                    // An index outside the catalog fails here and traps in the checked lookup that reports it.
                    let index = positions[slot].instrument.index
                    guard index < instruments.count, instruments[index].isStandardReady else { return (slot, hasIsolated) }
                    // Futures inline (the same functions as PositionMath.value and .requirement), options out of line.
                    let value: PositionMath.Value
                    let requirement: PositionMath.Requirement
                    switch instruments[index].form {
                    case .linear:
                        value = PositionMath.linearValue(size: size, cost: cost, risk: instruments[index])
                        requirement = PositionMath.futureRequirement(value: value, cost: cost, leverageRate: leverageRate, risk: instruments[index],
                                                                     tiers: tiers, details: context.details, index: index)
                    case .inverse:
                        value = PositionMath.inverseValue(size: size, cost: cost, risk: instruments[index])
                        requirement = PositionMath.futureRequirement(value: value, cost: cost, leverageRate: leverageRate, risk: instruments[index],
                                                                     tiers: tiers, details: context.details, index: index)
                    case .option, .spot:
                        (value, requirement) = PositionMath.otherFigures(size: size, cost: cost, leverageRate: leverageRate, risk: instruments[index],
                                                                         tiers: tiers, details: context.details, index: index,
                                                                         positions: sizing ?? positions, instruments: instruments, shortSizes: &shortSizes)
                    }
                    let settle = instruments[index].settle.index
                    scratch.touch(settle)
                    scratch.sums[settle].addExact(value.exactEquity)
                    scratch.sums[settle].markValue += value.markValue
                    scratch.sums[settle].initial += requirement.initial
                    scratch.sums[settle].maintenance += requirement.maintenance
                    if Observer.wantsPositions {
                        let figures = PositionFigures(value: value, requirement: requirement, cost: cost, form: instruments[index].form)
                        observer.position(slot: slot, instrument: positions[slot].instrument, figures: figures)
                    }
                }
                return (nil, hasIsolated)
            }
        }
    }

    /// The pool of one isolated position, in the valuation currency: equity = isolated margin + UPnL (no haircut:
    /// the margin is the position's own wallet), and the position's requirements. The margin may be negative (a
    /// funding payment larger than it, in the engine): the pool is then underwater and reads as such.
    /// - Throws: ``MarginError`` for a missing price or parameter, or if the position is not isolated.
    public static func isolatedPool(_ account: Account, slot: Int, context: RiskContext) throws(MarginError) -> (PoolFigures, PositionFigures) {
        let position = account.positions[slot]
        let symbol = context.catalog[instrument: position.instrument].symbol
        guard case .isolated(let margin) = position.mode else { throw .outOfRange(figure: "isolated pool of cross position \(symbol)") }
        let risk = context.instruments[position.instrument.index]
        if case .option = risk.form { throw .isolatedOption(instrument: symbol) }
        let figures = try PositionFigures(position, in: context)
        let price = context.indexPrices[risk.settle.index]
        guard !price.isNaN else { throw .missingIndexPrice(asset: context.catalog[asset: risk.settle].symbol) }
        let scale = context.balanceToCostScale[risk.settle.index]
        let (marginExact, marginOverflow) = margin.multipliedReportingOverflow(by: scale)
        let (exact, sumOverflow) = marginExact.addingReportingOverflow(figures.exactEquity)
        guard !marginOverflow && !sumOverflow else { throw .outOfRange(figure: "isolated equity of \(symbol)") }
        let equity = (Double(nearest: exact) * 1e-18 + figures.markValue) * price
        return (PoolFigures(equity: equity, marginBalance: equity, initial: figures.initial * price, maintenance: figures.maintenance * price), figures)
    }
}
