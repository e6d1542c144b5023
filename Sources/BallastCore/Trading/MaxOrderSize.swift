/// The largest order on one side that still passes the ``PreTradeCheck``.
///
/// Sizes are searched in whole lots: doubling until an order fails, then bisecting between the largest passing
/// and the smallest failing multiple. This relies on the check being monotone in the size, which holds because the
/// initial margin never decreases with notional (tiers only raise the rate) and equity never rises with a larger
/// order at a given price; the reduce-only part of an order on the opposite side passes the margin check (though not
/// a close whose credit would take a balance beyond ``LedgerRange``, which only sizes near 10^20 of an asset reach).
///
/// Resting orders on the other side break that at the start: an order nets against them, so the requirement
/// max(IM of position + order + same-side orders, IM of |position + order − other-side orders|) first falls, then
/// rises, with its lowest point at order = (other side − same side)/2 − position. When one lot fails, the search
/// also starts from there and from the size that cancels the other side; above the lowest point it is monotone again.
public enum MaxOrderSize {
    /// Buy or sell.
    public enum Side: String, Sendable, Hashable, CaseIterable {
        /// Buy: positive size.
        case buy
        /// Sell: negative size.
        case sell
    }

    /// The result of a search.
    public struct Result: Sendable, Hashable {
        /// The largest passing size in `10^-sizeDecimals` contracts (unsigned; 0 if not even one lot passes).
        public var size: Int64
        /// The check of that order (nil when the size is 0).
        public var check: PreTradeCheck?
        /// Whether margin does not bound the order: one more lot would pass the check but is beyond the sizes and
        /// amounts Ballast represents (``Trade/maximumSize(sizeDecimals:)``, a cost that overflows, or a balance or
        /// isolated margin beyond ``LedgerRange``), so `size` is that limit.
        public var unbounded = false
    }

    /// The largest order of `instrument` on `side` at `price`, at most ``Trade/maximumSize(sizeDecimals:)``, with the
    /// account's resting `orders` holding their margin before and after it.
    ///
    /// `positionSide` is the position the order goes to. Without one, it is the account's: the one-way position, or, when
    /// the account holds the instrument in hedge-mode legs (or has resting orders on them), the leg the order opens (a
    /// buy the long leg, a sell the short one). An order that closes a leg is bounded by the leg, since a leg never flips.
    /// For a member of a margin group, `sharing` holds the other members: the leg and the bound are the member's own,
    /// the margin check is the group pool's.
    /// - Throws: ``TradeError`` if the instrument cannot be traded or margined.
    public static func search(account: Account, orders: [OpenOrder] = [], instrument: InstrumentID, side: Side, price: FixedPoint,
                              context: RiskContext, leverage: Double? = nil, isolated: Bool? = nil,
                              positionSide: PositionSide? = nil, sharing: SharedPool? = nil) throws(TradeError) -> Result {
        let hedged = account.holdsLegs(of: instrument) || orders.contains { $0.instrument == instrument && $0.fill.side.isLeg }
        let target = positionSide ?? (hedged ? (side == .buy ? .long : .short) : .net)
        let info = context.catalog[instrument: instrument]
        let step = Int64(clamping: info.lotUnits ?? 1)
        let limit = Trade.maximumSize(sizeDecimals: info.sizeDecimals)
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        let ordersBefore = orders.isEmpty ? 0
            : try OpenOrderMargin(orders: sharing?.ordersOnMemberTerms(orders, of: account) ?? orders, account: sharing?.pool(with: account) ?? account,
                                  context: context, workspace: &workspace).total
        // An order larger than the size limit, or one whose amounts overflow the ledger's range, does not pass: the
        // search then stops below it instead of reporting an order no input could place.
        // The fewest lots found beyond the range. Every larger size is beyond it too for an order that opens (its cost
        // and margin grow with it); a flip of an isolated position can come back into the ledger's range, which the
        // search, stopping below the first size beyond it, does not look for (only sizes near 10^20 of an asset).
        var firstOutOfRange = Int64.max
        func check(_ lots: Int64) throws(TradeError) -> PreTradeCheck? {
            let (size, overflow) = step.multipliedReportingOverflow(by: lots)
            guard !overflow, size <= limit else {
                firstOutOfRange = min(firstOutOfRange, lots)
                return nil
            }
            let trade = Trade(instrument: instrument, size: side == .buy ? size : -size, price: price, leverage: leverage, isolated: isolated,
                              side: target)
            // A close larger than its leg would flip it, which no order can do (TradeExecution refuses it).
            guard target.allows(size: (account.position(instrument, side: target)?.size ?? 0) &+ trade.size) else { return nil }
            let result: PreTradeCheck
            do throws(TradeError) {
                result = try PreTradeCheck.evaluate(trade, account: account, orders: orders, ordersBefore: ordersBefore, context: context,
                                                    sharing: sharing, workspace: &workspace).0
            } catch .overflow, .ledgerRange, .margin(.outOfRange) {
                // Amounts or pool figures beyond what Ballast represents: a range limit, not a margin failure.
                firstOutOfRange = min(firstOutOfRange, lots)
                return nil
            }
            return result.passes ? result : nil
        }
        var start: (lots: Int64, check: PreTradeCheck)?
        let starts = target.isLeg ? [1] : startingLots(account: account, orders: orders, instrument: instrument, side: side, step: step)
        for lots in starts {
            if let passing = try check(lots) {
                start = (lots, passing)
                break
            }
        }
        guard var (low, best) = start else { return Result(size: 0, check: nil) }
        var high = low < Int64.max / 2 ? low * 2 : Int64.max
        while let passing = try check(high) {
            best = passing
            low = high
            guard high < Int64.max / 4 else { break }
            high *= 2
        }
        while high - low > 1 {
            let mid = low + (high - low) / 2
            if let passing = try check(mid) {
                best = passing
                low = mid
            } else {
                high = mid
            }
        }
        // The search ends with `high` = `low` + 1 failing: for the range, or for margin.
        return Result(size: low * step, check: best, unbounded: firstOutOfRange == high)
    }

    /// Where the search starts, in lots: 1, then, with resting orders on the other side, the lowest point of the
    /// requirement and the size that cancels that side (see the type's note). A hedge-mode leg nets against nothing, so
    /// its search starts at 1.
    static func startingLots(account: Account, orders: [OpenOrder], instrument: InstrumentID, side: Side, step: Int64) -> [Int64] {
        let direction: Int64 = side == .buy ? 1 : -1
        var same: Int64 = 0
        var other: Int64 = 0
        for order in orders where order.instrument == instrument && !order.reduceOnly {
            // Sizes are at most Trade.maximumSize (2⁶⁰); a sum that wraps only misplaces a starting point, never the answer.
            let magnitude = Int64(clamping: order.size.magnitude)
            if (order.size > 0) == (direction > 0) {
                same = same.addingReportingOverflow(magnitude).partialValue
            } else {
                other = other.addingReportingOverflow(magnitude).partialValue
            }
        }
        guard other > 0 else { return [1] }
        let held = Double(direction) * Double(account.position(instrument)?.size ?? 0)
        let lowest = (Double(other) - Double(same)) / 2 - held
        let cancelling = Double(other) - held
        var lots: [Int64] = [1]
        for size in [lowest, cancelling] where size.isFinite && size > Double(step) && size < 1e18 {
            for candidate in [(size / Double(step)).rounded(.down), (size / Double(step)).rounded(.up)] {
                let value = Int64(candidate)
                if value > 1, !lots.contains(value) { lots.append(value) }
            }
        }
        return lots
    }
}
