/// The compact margin state of an account: its cross pool as money and state, and the worst isolated state.
/// This is what the engine keeps per account and what the benchmark measures.
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
        let pool = try AccountMargin.pool(account, context: context, workspace: &workspace)
        let thresholds = context.healthThresholds
        cross = try pool.money(decimals: context.valuationDecimals)
        state = thresholds.state(marginBalance: cross.marginBalance, equity: cross.equity, maintenance: cross.maintenance)
        var worst = HealthState.healthy
        for slot in account.positions.indices where account.positions[slot].mode.isIsolated {
            let (isolated, _) = try AccountMargin.isolatedPool(account, slot: slot, context: context)
            let money = try isolated.money(decimals: context.valuationDecimals)
            worst = max(worst, thresholds.state(marginBalance: money.marginBalance, equity: money.equity, maintenance: money.maintenance))
        }
        worstIsolatedState = worst
    }
}
