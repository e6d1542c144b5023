/// The effect of a sequence of hypothetical trades: the report before, each trade's pre-trade check in sequence,
/// and the report after. Nothing is changed: the account is a value.
public struct WhatIf: Sendable, Hashable {
    /// One trade of the sequence.
    public struct Step: Sendable, Hashable {
        /// The trade, naming isolated margin where it goes to an isolated position (held, or opened so by the
        /// account's setting for the instrument).
        public var trade: Trade
        /// Its check against the account as the previous trades left it.
        public var check: PreTradeCheck
        /// What it did to the ledger.
        public var effect: TradeEffect
        /// The pool of the trade's position after it when that position is isolated (`nil` when the trade left it
        /// cross or closed it): the figures that decide the pool's state trade by trade under hysteresis
        /// (``HealthBands/exitBuffer``), as fills would move it.
        public var isolatedAfter: MoneyFigures? = nil
    }

    /// The report before any trade.
    public var before: MarginReport
    /// The trades in order.
    public var steps: [Step]
    /// The report after every trade.
    public var after: MarginReport
    /// The account after every trade (the member's own account, for a member of a margin group).
    public var accountAfter: Account

    /// Runs the trades in order on a copy of `account`, whose resting `orders` hold their margin throughout (a trade is
    /// a new fill, not one of them). For a member of a margin group, `sharing` holds the other members: the trades go to
    /// the member's account, and the checks and reports are of the group's pool.
    /// - Throws: ``WhatIfError`` naming the trade that cannot be applied, or saying that an account cannot be margined.
    public init(account: Account, orders: [OpenOrder] = [], trades: [Trade], context: RiskContext, sharing: SharedPool? = nil) throws(WhatIfError) {
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        var current = account
        var steps: [Step] = []
        for (index, given) in trades.enumerated() {
            // A trade naming no mode that goes to an isolated position (held, or opened so by the account's setting)
            // is shown as isolated.
            var trade = given
            if trade.isolated == nil && current.isolatedMode(of: trade.instrument, side: trade.side) {
                trade.isolated = true
            }
            do {
                let (check, next, effect) = try PreTradeCheck.evaluate(trade, account: current, orders: orders, context: context, sharing: sharing,
                                                                             workspace: &workspace)
                steps.append(Step(trade: trade, check: check, effect: effect, isolatedAfter: Self.isolatedPool(of: trade, in: next, context: context)))
                current = next
            } catch {
                throw WhatIfError(trade: index, error: error)
            }
        }
        do {
            before = try MarginReport(account: sharing?.pool(with: account) ?? account, orders: sharing?.ordersOnMemberTerms(orders, of: account) ?? orders,
                                      context: context)
            after = try MarginReport(account: sharing?.pool(with: current) ?? current, orders: sharing?.ordersOnMemberTerms(orders, of: current) ?? orders,
                                     context: context)
        } catch {
            throw WhatIfError(trade: nil, error: .margin(error))
        }
        // A group's pool keeps no member's instrument settings: the account's own are shown.
        before.instrumentSettings = account.instrumentSettings
        after.instrumentSettings = current.instrumentSettings
        self.steps = steps
        accountAfter = current
    }
}

extension WhatIf {
    /// The money figures of the isolated pool `trade`'s position forms in `account`, if it is isolated and can be
    /// margined (when it cannot, the report after the trades says why).
    static func isolatedPool(of trade: Trade, in account: Account, context: RiskContext) -> MoneyFigures? {
        guard let slot = account.positionSlot(trade.instrument, side: trade.side), account.positions[slot].mode.isIsolated else { return nil }
        return try? AccountMargin.isolatedPool(account, slot: slot, context: context).0.money(decimals: context.valuationDecimals)
    }
}

/// Why a sequence of hypothetical trades could not be run: the trade at fault (its 0-based position in the sequence),
/// or none when the account before or after could not be margined.
public struct WhatIfError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The position of the trade at fault, or `nil`.
    public var trade: Int?
    /// The problem.
    public var error: TradeError

    /// Creates an error.
    public init(trade: Int?, error: TradeError) {
        self.trade = trade
        self.error = error
    }

    /// The problem's sentence, after the trade's position when there is one.
    public var description: String { trade.map { "trades[\($0)]: \(error)" } ?? error.description }
}
