/// The effect of a sequence of hypothetical trades: the report before, each trade's pre-trade check in sequence,
/// and the report after. Nothing is changed: the account is a value.
public struct WhatIf: Sendable, Hashable {
    /// One trade of the sequence.
    public struct Step: Sendable, Hashable {
        /// The trade.
        public var trade: Trade
        /// Its check against the account as the previous trades left it.
        public var check: PreTradeCheck
        /// What it did to the ledger.
        public var effect: TradeEffect
    }

    /// The report before any trade.
    public var before: MarginReport
    /// The trades in order.
    public var steps: [Step]
    /// The report after every trade.
    public var after: MarginReport
    /// The account after every trade.
    public var accountAfter: Account

    /// Runs the trades in order on a copy of `account`.
    /// - Throws: ``TradeError`` if a trade cannot be applied or an account margined.
    public init(account: Account, trades: [Trade], context: RiskContext) throws(TradeError) {
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        var current = account
        var steps: [Step] = []
        for trade in trades {
            let (check, next, effect) = try PreTradeCheck.evaluate(trade, account: current, context: context, workspace: &workspace)
            steps.append(Step(trade: trade, check: check, effect: effect))
            current = next
        }
        do {
            before = try MarginReport(account: account, context: context)
            after = try MarginReport(account: current, context: context)
        } catch {
            throw .margin(error)
        }
        self.steps = steps
        accountAfter = current
    }
}
