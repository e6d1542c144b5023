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
        if effect.reducesOnly {
            reason = "passes: the trade only reduces the position"
        } else if covered {
            reason = "passes: initial margin \(afterSummary.cross.fixed(afterSummary.cross.initial)) is covered by margin balance \(afterSummary.cross.fixed(afterSummary.cross.marginBalance))"
        } else {
            let shortfall = FixedPoint(units: afterSummary.cross.initial - afterSummary.cross.marginBalance, scale: decimals)
            reason = "fails: initial margin \(afterSummary.cross.fixed(afterSummary.cross.initial)) exceeds margin balance \(afterSummary.cross.fixed(afterSummary.cross.marginBalance)) by \(shortfall)"
        }
        let check = PreTradeCheck(passes: effect.reducesOnly || covered, reducesOnly: effect.reducesOnly,
                                  before: beforeSummary.cross, after: afterSummary.cross, reason: reason)
        return (check, after, effect)
    }
}
