/// The compact margin state of an account: its cross pool as money and state, and the worst isolated state, the states
/// from the entry thresholds (the engine decides the states it holds from the previous ones, under hysteresis). This is
/// the evaluation the engine's floor and the benchmark measure.
public struct MarginSummary: Sendable, Hashable {
    /// The cross pool's money figures.
    public var cross: MoneyFigures
    /// The cross pool's state.
    public var state: HealthState
    /// The worst state among isolated positions (healthy if none).
    public var worstIsolatedState: HealthState

    /// Evaluates an account.
    /// - Throws: ``MarginError`` for a missing price or parameter of something the account holds.
    public init(_ account: borrowing Account, context: borrowing RiskContext, workspace: inout MarginWorkspace) throws(MarginError) {
        self = try withUnsafePointer(to: account) { (account: UnsafePointer<Account>) throws(MarginError) -> MarginSummary in
            try MarginSummary.evaluate(at: account, context: context, workspace: &workspace)
        }
    }

    /// Evaluates `accounts[index]` where it lies in the array. For loops over a book of accounts: the standard cross
    /// pool copies nothing out of the array (a copy retains and releases the account's id and its three arrays); a
    /// portfolio-margined pool or isolated positions are evaluated by the out-of-line functions, as by value.
    /// - Precondition: `index` is an index of `accounts`.
    /// - Throws: ``MarginError`` for a missing price or parameter of something the account holds.
    public init(_ accounts: borrowing [Account], at index: Int, context: borrowing RiskContext, workspace: inout MarginWorkspace) throws(MarginError) {
        self = try AccountMargin.withAccount(accounts, at: index) { (account: UnsafePointer<Account>) throws(MarginError) -> MarginSummary in
            try MarginSummary.evaluate(at: account, context: context, workspace: &workspace)
        }
    }

    /// A summary of given figures.
    init(cross: MoneyFigures, state: HealthState, worstIsolatedState: HealthState) {
        self.cross = cross
        self.state = state
        self.worstIsolatedState = worstIsolatedState
    }

    /// The body of both evaluating initialisers.
    @inline(__always)
    static func evaluate(at account: UnsafePointer<Account>, context: borrowing RiskContext, workspace: inout MarginWorkspace) throws(MarginError) -> MarginSummary {
        let pool: PoolFigures
        let hasIsolated: Bool
        // The standard pool reads the account through the pointer (see ``AccountMargin/standardPool(at:context:workspace:observer:)``);
        // the out-of-line paths (portfolio, isolated positions) borrow `pointee`, which the compiler may copy.
        switch account.pointee.model {
        case .standard:
            var observer = NoObserver()
            (pool, hasIsolated) = try AccountMargin.standardPool(at: account, context: context, workspace: &workspace, observer: &observer)
        case .portfolio:
            pool = try AccountMargin.portfolioPool(account.pointee, context: context, workspace: &workspace)
            hasIsolated = true
        }
        let cross = try pool.money(decimals: context.valuationDecimals)
        let state = context.healthThresholds.state(marginBalance: cross.marginBalance, equity: cross.equity, maintenance: cross.maintenance)
        let worst = hasIsolated ? try MarginSummary.worstIsolatedState(account.pointee, context: context) : .healthy
        return MarginSummary(cross: cross, state: state, worstIsolatedState: worst)
    }

    /// The worst state among the isolated positions of `account` (healthy if none).
    @inline(never)
    static func worstIsolatedState(_ account: borrowing Account, context: borrowing RiskContext) throws(MarginError) -> HealthState {
        var worst = HealthState.healthy
        for slot in account.positions.indices where account.positions[slot].mode.isIsolated {
            let (isolated, _) = try AccountMargin.isolatedPool(account, slot: slot, context: context)
            let money = try isolated.money(decimals: context.valuationDecimals)
            worst = max(worst, context.healthThresholds.state(marginBalance: money.marginBalance, equity: money.equity, maintenance: money.maintenance))
        }
        return worst
    }
}
