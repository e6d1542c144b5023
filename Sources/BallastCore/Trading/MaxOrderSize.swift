/// The largest order on one side that still passes the ``PreTradeCheck``.
///
/// Sizes are searched in whole lots: doubling until an order fails, then bisecting between the largest passing
/// and the smallest failing multiple. This relies on the check being monotone in the size, which holds because the
/// initial margin never decreases with notional (tiers only raise the rate) and equity never rises with a larger
/// order at a given price; the reduce-only part of an order on the opposite side always passes.
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
    }

    /// The largest order of `instrument` on `side` at `price`, at most ``Trade/maximumSize``, with the account's resting
    /// `orders` holding their margin before and after it.
    /// - Throws: ``TradeError`` if the instrument cannot be traded or margined.
    public static func search(account: Account, orders: [OpenOrder] = [], instrument: InstrumentID, side: Side, price: FixedPoint,
                              context: RiskContext, leverage: Double? = nil, isolated: Bool = false) throws(TradeError) -> Result {
        let info = context.catalog[instrument: instrument]
        let lot = info.lotSize.rescaled(to: info.sizeDecimals, rounding: .down)?.units ?? 1
        let step = Int64(max(1, lot))
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        // An order larger than the size limit, or one whose amounts overflow the ledger's range, does not pass: the
        // search then stops below it instead of reporting an order no input could place.
        func check(_ lots: Int64) throws(TradeError) -> PreTradeCheck? {
            let (size, overflow) = step.multipliedReportingOverflow(by: lots)
            guard !overflow, size <= Trade.maximumSize else { return nil }
            let trade = Trade(instrument: instrument, size: side == .buy ? size : -size, price: price, leverage: leverage, isolated: isolated)
            let result: PreTradeCheck
            do throws(TradeError) {
                result = try PreTradeCheck.evaluate(trade, account: account, orders: orders, context: context, workspace: &workspace).0
            } catch .overflow {
                return nil
            }
            return result.passes ? result : nil
        }
        guard var best = try check(1) else { return Result(size: 0, check: nil) }
        var low: Int64 = 1
        var high: Int64 = 2
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
        return Result(size: low * step, check: best)
    }
}
