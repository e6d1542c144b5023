/// The auto-deleveraging (ADL) queue of one side of one instrument: the accounts holding the side opposite a bankrupt
/// position, in the order they are deleveraged, with the indicator venues show and the allocation of a shortfall.
///
/// **Order.** By ranking score, highest first (BitMEX, Binance and Bybit: rank = PnL%·effective leverage when PnL% > 0,
/// else PnL%/effective leverage, see ``rankingScore(markValue:entryValue:bankruptcyValue:)``); equal scores keep the order
/// they were given in.
///
/// **Indicator.** Five lights in steps of 20 %: an account's light is ⌈cumulative quantity share / 20 %⌉ × 20 % of the
/// quantity up to and including its own (BitMEX "Auto-Deleveraging examples": longs 2, 5, 4, 1, 6, 3 show 20, 40, 60, 80,
/// 80 and 100 %).
///
/// **Allocation.** A bankrupt position's remaining size is closed against the queue from the head, each account giving
/// at most its own quantity, at the bankruptcy price (BitMEX, Binance, Bybit): a short of 20 at 650 closes 10 @ 650 of the
/// first account (flat) and 10 of the second's 20; the rest are not touched.
public struct DeleveragingQueue: Sendable, Hashable {
    /// One account on the side being deleveraged.
    public struct Entry: Sendable, Hashable {
        /// The account.
        public var account: String
        /// Its position's size on this side, in contracts (positive).
        public var quantity: Int64
        /// Its ranking score (higher: deleveraged first).
        public var score: Double

        /// Creates an entry.
        public init(account: String, quantity: Int64, score: Double) {
            self.account = account
            self.quantity = quantity
            self.score = score
        }
    }

    /// A share of the shortfall taken by one account.
    public struct Allocation: Sendable, Hashable {
        /// The account.
        public var account: String
        /// The contracts it closes.
        public var quantity: Int64

        /// Creates an allocation.
        public init(account: String, quantity: Int64) {
            self.account = account
            self.quantity = quantity
        }
    }

    /// The entries in deleveraging order.
    public let entries: [Entry]

    /// Orders `entries` by score, highest first (stable).
    /// - Throws: ``ParameterError`` naming the first entry whose quantity is not positive or whose score is not finite.
    public init(_ entries: [Entry]) throws(ParameterError) {
        for (i, entry) in entries.enumerated() {
            guard entry.quantity > 0 else {
                throw ParameterError(field: "entries[\(i)].quantity", value: "\(entry.quantity)", reason: "must be positive")
            }
            guard entry.score.isFinite else { throw ParameterError(field: "entries[\(i)].score", value: "\(entry.score)", reason: "must be finite") }
        }
        self.entries = entries.enumerated().sorted { ($0.element.score, -$0.offset) > ($1.element.score, -$1.offset) }.map(\.element)
    }

    /// Each entry's indicator in 20 % steps (0.2 … 1.0), in queue order: ⌈cumulative share/0.2⌉·0.2, computed exactly in
    /// integers (the step is ⌈5·cumulative/total⌉).
    public var indicators: [Double] {
        let total = entries.reduce(Int128(0)) { $0 + Int128($1.quantity) }
        var cumulative: Int128 = 0
        return entries.map { entry in
            cumulative += Int128(entry.quantity)
            let steps = (5 * cumulative + total - 1) / total
            return Double(steps) / 5
        }
    }

    /// The accounts that close `size` contracts of a bankrupt position, from the head of the queue; what the queue
    /// cannot cover is returned as `uncovered`.
    public func allocate(_ size: Int64) -> (allocations: [Allocation], uncovered: Int64) {
        var remaining = max(0, size)
        var allocations: [Allocation] = []
        for entry in entries where remaining > 0 {
            let taken = min(remaining, entry.quantity)
            allocations.append(Allocation(account: entry.account, quantity: taken))
            remaining -= taken
        }
        return (allocations, remaining)
    }

    /// The ranking score of a position (BitMEX "What is Auto-Deleveraging"; the same text at Binance and Bybit), from its
    /// signed values (shorts negative): PnL% = (mark − entry)/|entry|, effective leverage = |mark|/(mark − bankruptcy);
    /// **score = PnL%·leverage if PnL% > 0, else PnL%/leverage**. `nil` when a value is not finite, the entry value is 0 or
    /// the leverage is not positive (an account at or past bankruptcy).
    public static func rankingScore(markValue: Double, entryValue: Double, bankruptcyValue: Double) -> Double? {
        guard markValue.isFinite, entryValue.isFinite, bankruptcyValue.isFinite, entryValue != 0 else { return nil }
        let pnl = (markValue - entryValue) / abs(entryValue)
        let leverage = abs(markValue) / (markValue - bankruptcyValue)
        guard leverage.isFinite, leverage > 0 else { return nil }
        return pnl > 0 ? pnl * leverage : pnl / leverage
    }
}
