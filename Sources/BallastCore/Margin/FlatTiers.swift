/// Every tiered schedule of a context flattened into parallel arrays, so the hot path finds a position's tier without
/// touching a reference-counted ``TierTable``.
public struct FlatTiers: Sendable {
    /// Tier floors.
    public private(set) var floors: [Double] = []
    /// Each tier's rates, beside the floors: what a lookup reads once the tier is found, in one place.
    public private(set) var rates: [TierRates] = []

    /// One tier's rates, 32 bytes: read from one place (one cache line, or two adjacent ones), not from three arrays.
    public struct TierRates: Sendable {
        /// IM rate 1/maxLeverage.
        public var initial: Double
        /// Maintenance rate.
        public var maintenance: Double
        /// Deduction (cum).
        public var deduction: Double
        /// Unused: pads the rates to 32 bytes.
        var padding: Double = 0
    }

    /// Appends a table and returns its range; the table is padded with floors of +∞ to a power-of-two length
    /// (``slots(count:)``), so the tier search is a fixed number of halvings.
    mutating func append(_ table: TierTable) -> Range<Int> {
        let start = floors.count
        for tier in table.tiers {
            floors.append(tier.floor)
            rates.append(TierRates(initial: 1 / tier.maxLeverage, maintenance: tier.maintenanceRate, deduction: tier.deduction))
        }
        let end = floors.count
        while floors.count < start + FlatTiers.slots(count: table.tiers.count) { pad() }
        return start..<end
    }

    private mutating func pad() {
        floors.append(.infinity)
        rates.append(TierRates(initial: .nan, maintenance: .nan, deduction: .nan))
    }

    /// Unchecked buffers over the tables, for the duration of `body`.
    @inline(__always)
    func withView<R, E: Error>(_ body: (View) throws(E) -> R) throws(E) -> R {
        try floors.withUnsafeBufferPointer { (floors: UnsafeBufferPointer<Double>) throws(E) -> R in
            try rates.withUnsafeBufferPointer { (rates: UnsafeBufferPointer<TierRates>) throws(E) -> R in
                try body(View(floors: floors, rates: rates))
            }
        }
    }

    /// Unchecked read access to the tables while their storage is pinned by ``withView(_:)``.
    struct View {
        let floors: UnsafeBufferPointer<Double>
        let rates: UnsafeBufferPointer<TierRates>

        /// The requirement of `notional` in the tiers of `range`, padded to `slots` (IM rate 1/maxLeverage,
        /// MM = V·MMRₖ − cumₖ): the same figures as a tiered ``MarginSchedule/requirement(notional:baseSize:openInterest:)``.
        @inline(__always)
        func requirement(notional: Double, range: Range<Int>, slots: Int) -> MarginSchedule.Requirement {
            // The tier is the last floor ≤ notional. Floors ascend strictly from 0 and the padding is +∞, so within a
            // block that is the number of floors after the block's first that are ≤ notional (a NaN notional counts
            // none, +∞ counts the padding too, as a binary search over the slots would). Tables of more than 16 slots
            // are halved down to a 16-slot block first; a block of 16 is then settled in two rounds of independent
            // compares (which group of 4, then which slot in it) rather than four dependent halvings: each compare
            // adds 0 or its count with no branch, and the two rounds are half the latency of the halvings.
            var k = range.lowerBound
            var step = slots >> 1
            while step > 8 {
                k &+= notional >= floors[k &+ step] ? step : 0
                step >>= 1
            }
            if step == 8 {
                k &+= (notional >= floors[k &+ 4] ? 4 : 0) &+ (notional >= floors[k &+ 8] ? 4 : 0) &+ (notional >= floors[k &+ 12] ? 4 : 0)
            } else if step == 4 {
                k &+= notional >= floors[k &+ 4] ? 4 : 0
            }
            if step >= 2 {
                k &+= (notional >= floors[k &+ 1] ? 1 : 0) &+ (notional >= floors[k &+ 2] ? 1 : 0) &+ (notional >= floors[k &+ 3] ? 1 : 0)
            } else if step == 1 {
                k &+= notional >= floors[k &+ 1] ? 1 : 0
            }
            let tier = rates[k]
            return MarginSchedule.Requirement(initialRate: tier.initial, maintenance: notional * tier.maintenance - tier.deduction,
                                              tier: k &- range.lowerBound)
        }
    }

    /// The slots a table of `count` tiers takes: its length rounded up to a power of two.
    static func slots(count: Int) -> Int {
        var padded = 1
        while padded < count { padded <<= 1 }
        return padded
    }
}
