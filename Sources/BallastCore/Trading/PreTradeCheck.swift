/// Whether a trade may be accepted: after the trade the cross pool's initial margin must be covered by its margin
/// balance (haircut equity, including the trade's immediate PnL against the mark and its fee); a trade that only
/// reduces an existing position always passes (Binance, Deribit: reduce-only orders are accepted in any state).
public struct PreTradeCheck: Sendable, Hashable {
    /// Whether the trade passes.
    public var passes: Bool
    /// Whether it passes because it only reduces a position.
    public var reducesOnly: Bool
    /// The cross pool before the trade.
    public var before: MoneyFigures
    /// The cross pool after the trade.
    public var after: MoneyFigures
    /// A sentence saying why it passes or fails.
    public var reason: String

    /// Applies `trade` hypothetically and checks it.
    /// - Returns: the check and the account after the trade.
    /// - Throws: ``TradeError`` if the trade cannot be applied or margined.
    public static func evaluate(_ trade: Trade, account: Account, context: RiskContext,
                                workspace: inout MarginWorkspace) throws(TradeError) -> (PreTradeCheck, Account, TradeEffect) {
        let (after, effect) = try TradeExecution.apply(trade, to: account, context: context)
        let check = try compare(before: account, after: after, reducesOnly: effect.reducesOnly, context: context, workspace: &workspace)
        return (check, after, effect)
    }

    /// Checks a pool before and after a trade: passes when the trade only reduces a position, or when the pool's
    /// initial margin after it is covered by its margin balance. `before` and `after` are the accounts holding the
    /// pool (for a group of accounts margined together, the merged pool).
    /// - Throws: ``TradeError/margin(_:)`` if either pool cannot be margined.
    public static func compare(before account: Account, after: Account, reducesOnly: Bool, context: RiskContext,
                               workspace: inout MarginWorkspace) throws(TradeError) -> PreTradeCheck {
        let beforeSummary: MarginSummary
        let afterSummary: MarginSummary
        do {
            beforeSummary = try MarginSummary(account, context: context, workspace: &workspace)
            afterSummary = try MarginSummary(after, context: context, workspace: &workspace)
        } catch {
            throw .margin(error)
        }
        let covered = afterSummary.cross.initial <= afterSummary.cross.marginBalance
        let decimals = afterSummary.cross.decimals
        let reason: String
        if reducesOnly {
            reason = "passes: the trade only reduces the position"
        } else if covered {
            reason = "passes: initial margin \(afterSummary.cross.fixed(afterSummary.cross.initial)) is covered by margin balance \(afterSummary.cross.fixed(afterSummary.cross.marginBalance))"
        } else {
            let shortfall = FixedPoint(units: afterSummary.cross.initial - afterSummary.cross.marginBalance, scale: decimals)
            reason = "fails: initial margin \(afterSummary.cross.fixed(afterSummary.cross.initial)) exceeds margin balance \(afterSummary.cross.fixed(afterSummary.cross.marginBalance)) by \(shortfall)"
        }
        return PreTradeCheck(passes: reducesOnly || covered, reducesOnly: reducesOnly,
                             before: beforeSummary.cross, after: afterSummary.cross, reason: reason)
    }
}
