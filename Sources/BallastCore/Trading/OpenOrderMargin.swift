/// The margin an account's open orders hold back from its available balance, by worst-case fill.
///
/// For each instrument, the buy orders are filled together at their limit prices, and so are the sell orders; each
/// side's **cost** is **ΔIM + max(0, −Δmargin balance)**: the initial margin of the exposure the orders add and their
/// open loss against the mark. A gain against the mark is never credited, whatever ``OpenGainCredit`` says for
/// trades: a resting order below the mark fills only once the price has come down to it, so its gain is not there to
/// be had (Binance and OKX charge open loss only). The instrument's order margin is **max(0, cost of the buys, cost of
/// the sells)**, and the account's is the sum over instruments.
///
/// Orders on the side that reduces the position hold only what their fill would add beyond it, so this is the
/// one-way netting of OKX (long: IM = max(pos + buys, sells − pos)/lev, pastorq.com/1222.html), Binance's cost to open
/// = initial margin + open loss (binance.com/en/support/faq/87fa7ee33b574f7084d42bd2ce2e463b), and Drift's worst-case
/// fill (`programs/drift/src/math/margin.rs`). Reduce-only orders hold nothing (Binance, Bybit). An order's fee is paid
/// by its fill, so it is part of the cost (Bybit: order cost = IM + fee to open + fee to close).
///
/// In hedge mode (``PositionSide``) an order that closes part of its leg holds nothing, as a reduce-only order, and the
/// orders opening the long leg and those opening the short leg both hold their cost: the instrument's margin is
/// max(0, buy cost) + max(0, sell cost), since the legs do not net.
///
/// The figure does not depend on how the orders are listed. A side fills in the order the market would reach its
/// prices (bids from the highest, offers from the lowest; file order among equal prices), and all its orders share
/// one set of terms: an existing position keeps its leverage and margin mode (an order does not re-lever it); without
/// one, the side opens at the lowest leverage any of its orders gives (if none gives one, at the instrument's:
/// ``Account/leverageToOpen(_:)``), isolated if any of its orders is (an order naming no margin mode takes the
/// instrument's: ``Account/isolatedToOpen(_:)``).
///
/// ΔIM is taken at the mark, as in the pre-trade check, or under ``OrderInitialPrice/limit`` with the instrument's mark
/// set to the side's price (Σ|qᵢ|·pᵢ/Σ|qᵢ| over its orders, pᵢ = the limit of a buy, max(limit, mark) of a sell) for
/// both the account before and after the fill, so that a one-tier ladder charges Σ|qᵢ|·pᵢ/leverage for the exposure
/// added; the open loss is always against the real mark.
///
/// Under standard margin the requirements of instruments add up, so the per-instrument sum is the requirement of the
/// worst combination, except for short options whose margin factor follows the account's size sold
/// (``OptionMarginParameters/marginFactorTiers``): sells on several options of one underlying that cross a tier only
/// together are charged each at the tier it reaches alone. Under portfolio margin they do not: the sum is each instrument's worst case alone, and orders on
/// several instruments that hedge the book only when some of them stay unfilled can need more when all fill.
///
/// Amounts are differences of rounded figures (requirements rounded up, balances down), so a side's ΔIM can be below the
/// unrounded one by less than one unit of the valuation currency. A loss in a settlement asset with a haircut is
/// charged after the haircut, as the margin balance counts it.
public struct OpenOrderMargin: Sendable, Hashable {
    /// The orders of one instrument.
    public struct Line: Sendable, Hashable {
        /// The instrument.
        public var instrument: InstrumentID
        /// The buy orders' total size, in `10^-sizeDecimals` contracts (reduce-only orders excluded; the part that only
        /// reduces the position is included).
        public var buys: Int64
        /// The sell orders' total size (unsigned), likewise.
        public var sells: Int64
        /// The cost of every buy order filling (valuation units at ``OpenOrderMargin/decimals``; 0 without buys).
        public var buyCost: Int128
        /// The cost of every sell order filling.
        public var sellCost: Int128
        /// Whether the orders go to hedge-mode legs: buys open the long leg and sells the short one, so both can fill
        /// and neither offsets the other.
        public var hedged: Bool = false

        /// One-way: max(0, buy cost, sell cost), since the sides net against each other. Hedge mode: max(0, buy cost) +
        /// max(0, sell cost) (at most `Int128.max`).
        public var margin: Int128 {
            guard hedged else { return max(0, buyCost, sellCost) }
            let (sum, overflow) = max(0, buyCost).addingReportingOverflow(max(0, sellCost))
            return overflow ? .max : sum
        }
    }

    /// Decimals of every amount, the valuation currency's.
    public var decimals: Int
    /// One line per instrument with orders, in catalog order.
    public var lines: [Line]

    /// The margin held by every order: Σ line margins (at most `Int128.max`).
    public var total: Int128 {
        lines.reduce(0) { sum, line in
            let (next, overflow) = sum.addingReportingOverflow(line.margin)
            return overflow ? .max : next
        }
    }

    /// Computes the order margin of `orders` against `account`.
    /// - Throws: ``TradeError`` when an order's fill cannot be applied (overflow, or a balance beyond ``LedgerRange``)
    ///   or the account after it cannot be margined.
    public init(orders: [OpenOrder], account: Account, context: RiskContext, workspace: inout MarginWorkspace) throws(TradeError) {
        decimals = context.catalog.valuation.decimals
        // Reduce-only orders, and in hedge mode orders that close part of their leg, hold nothing (Binance).
        let holding = orders.filter { !$0.reduceOnly && !$0.fill.closesLeg }
        let instruments = Set(holding.map(\.instrument)).sorted()
        lines = []
        guard !instruments.isEmpty else { return }
        // The account before any fill, evaluated once for every side.
        let before = try Self.crossPool(account, context: context, workspace: &workspace)
        for instrument in instruments {
            let ofInstrument = holding.filter { $0.instrument == instrument }
            let (buys, buyCost) = try Self.fill(ofInstrument.filter { $0.size > 0 }, account: account, before: before, context: context,
                                                workspace: &workspace)
            let (sells, sellCost) = try Self.fill(ofInstrument.filter { $0.size < 0 }, account: account, before: before, context: context,
                                                  workspace: &workspace)
            lines.append(Line(instrument: instrument, buys: buys, sells: sells, buyCost: buyCost, sellCost: sellCost,
                              hedged: ofInstrument.contains { $0.fill.side.isLeg }))
        }
    }

    /// The cross pool of `account` as money (``AccountMargin/pool(_:context:workspace:)``).
    private static func crossPool(_ account: Account, context: RiskContext, workspace: inout MarginWorkspace) throws(TradeError) -> MoneyFigures {
        do {
            return try AccountMargin.pool(account, context: context, workspace: &workspace).money(decimals: context.valuationDecimals)
        } catch {
            throw .margin(error)
        }
    }

    /// Fills `orders` (one side of one instrument) in order and returns their total unsigned size and the cost of the fill
    /// against `before`, the account's cross pool.
    private static func fill(_ orders: [OpenOrder], account: Account, before: MoneyFigures, context: RiskContext,
                             workspace: inout MarginWorkspace) throws(TradeError) -> (size: Int64, cost: Int128) {
        guard let first = orders.first else { return (0, 0) }
        let symbol = context.catalog[instrument: first.instrument].symbol
        let held = account.position(first.instrument, side: first.fill.side)
        let leverage = held == nil ? orders.compactMap(\.fill.leverage).min() : nil
        let isolated = held?.mode.isIsolated ?? orders.contains { $0.fill.isolated ?? account.isolatedToOpen(first.instrument) }
        let sequence = orders.enumerated().sorted { a, b in
            let (x, y) = (a.element.fill.price, b.element.fill.price)
            if x != y { return a.element.size > 0 ? x > y : x < y }
            return a.offset < b.offset
        }.map(\.element)
        var after = account
        var size: Int64 = 0
        var isolatedLoss = 0.0
        for var order in sequence {
            order.fill.leverage = leverage
            order.fill.isolated = isolated
            if isolated {
                // The loss against the mark of an isolated fill stays in its pool, out of the cross figures: charged here.
                isolatedLoss += max(0, -PreTradeCheck.openValue(order.fill, holding: after.position(order.instrument, side: order.fill.side),
                                                                       context: context))
            }
            guard order.size.magnitude <= UInt64(Trade.maximumSize) else { throw .overflow(instrument: symbol) }
            let (total, overflow) = size.addingReportingOverflow(Int64(order.size.magnitude))
            guard !overflow, total <= Trade.maximumSize else { throw .overflow(instrument: symbol) }
            size = total
            _ = try TradeExecution.execute(order.fill, on: &after, context: context)
        }
        let filled = try crossPool(after, context: context, workspace: &workspace)
        // A loss of margin balance is charged, a gain is not credited; an isolated fill's open loss is rounded up.
        guard let isolatedUnits = FixedPoint.units(scaled: isolatedLoss * PowersOfTen.double(filled.decimals), rounding: .up) else {
            throw .overflow(instrument: symbol)
        }
        let loss = max(0, before.marginBalance - filled.marginBalance) + isolatedUnits
        var initial = filled.initial - before.initial
        if let moved = limitPriced(orders, account: account, context: context) {
            initial = try crossPool(after, context: moved, workspace: &workspace).initial - crossPool(account, context: moved, workspace: &workspace).initial
        }
        return (size, initial + loss)
    }

    /// The context with the orders' instrument marked at the side's price, under ``OrderInitialPrice/limit`` for a future
    /// or perpetual of a standard-margin account; `nil` otherwise (the mark stays).
    private static func limitPriced(_ orders: [OpenOrder], account: Account, context: RiskContext) -> RiskContext? {
        guard context.parameters.conventions.orderInitialPrice == .limit, account.model == .standard, let first = orders.first else { return nil }
        let index = first.instrument.index
        switch context.instruments[index].form {
        case .linear, .inverse: break
        case .option, .spot: return nil
        }
        guard let mark = context.snapshot.markPrices[index] else { return nil }
        var weighted = 0.0
        var total = 0.0
        for order in orders {
            let quantity = Double(order.size.magnitude)
            let limit = order.fill.price.doubleValue
            weighted += quantity * (order.size > 0 ? limit : max(limit, mark))
            total += quantity
        }
        let price = weighted / total
        guard price.isFinite, price > 0 else { return nil }
        var snapshot = context.snapshot
        snapshot.markPrices[index] = price
        return RiskContext(catalog: context.catalog, snapshot: snapshot, parameters: context.parameters)
    }
}
