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
        let pool: PoolFigures
        let hasIsolated: Bool
        switch account.model {
        case .standard:
            var observer = NoObserver()
            (pool, hasIsolated) = try AccountMargin.standardPool(account, context: context, workspace: &workspace, observer: &observer)
        case .portfolio:
            pool = try AccountMargin.portfolioPool(account, context: context, workspace: &workspace)
            hasIsolated = true
        }
        cross = try pool.money(decimals: context.valuationDecimals)
        state = context.healthThresholds.state(marginBalance: cross.marginBalance, equity: cross.equity, maintenance: cross.maintenance)
        worstIsolatedState = hasIsolated ? try MarginSummary.worstIsolatedState(account, context: context) : .healthy
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
