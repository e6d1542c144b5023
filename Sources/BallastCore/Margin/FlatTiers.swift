/// Every tiered schedule of a context flattened into parallel arrays, so the hot path finds a position's tier without
/// touching a reference-counted ``TierTable``.
public struct FlatTiers: Sendable {
    /// Tier floors.
    public private(set) var floors: [Double] = []
    /// IM rates 1/maxLeverage.
    public private(set) var initialRates: [Double] = []
    /// Maintenance rates.
    public private(set) var maintenanceRates: [Double] = []
    /// Deductions (cum).
    public private(set) var deductions: [Double] = []

    /// Appends a table and returns its range; the table is padded with floors of +∞ to a power-of-two length, so the
    /// tier search is a fixed number of halvings.
    mutating func append(_ table: TierTable) -> Range<Int> {
        let start = floors.count
        for tier in table.tiers {
            floors.append(tier.floor)
            initialRates.append(1 / tier.maxLeverage)
            maintenanceRates.append(tier.maintenanceRate)
            deductions.append(tier.deduction)
        }
        let end = floors.count
        var padded = 1
        while padded < table.tiers.count { padded <<= 1 }
        while floors.count < start + padded { pad() }
        return start..<end
    }

    private mutating func pad() {
        floors.append(.infinity)
        initialRates.append(.nan)
        maintenanceRates.append(.nan)
        deductions.append(.nan)
    }

    /// Unchecked buffers over the tables, for the duration of `body`.
    @inline(__always)
    func withView<R, E: Error>(_ body: (View) throws(E) -> R) throws(E) -> R {
        try floors.withUnsafeBufferPointer { (floors: UnsafeBufferPointer<Double>) throws(E) -> R in
            try initialRates.withUnsafeBufferPointer { (initial: UnsafeBufferPointer<Double>) throws(E) -> R in
                try maintenanceRates.withUnsafeBufferPointer { (maintenance: UnsafeBufferPointer<Double>) throws(E) -> R in
                    try deductions.withUnsafeBufferPointer { (deductions: UnsafeBufferPointer<Double>) throws(E) -> R in
                        try body(View(floors: floors, initialRates: initial, maintenanceRates: maintenance, deductions: deductions))
                    }
                }
            }
        }
    }

    /// Unchecked read access to the tables while their storage is pinned by ``withView(_:)``.
    struct View {
        let floors: UnsafeBufferPointer<Double>
        let initialRates: UnsafeBufferPointer<Double>
        let maintenanceRates: UnsafeBufferPointer<Double>
        let deductions: UnsafeBufferPointer<Double>

        /// The requirement of `notional` in the tiers of `range` (IM rate 1/maxLeverage, MM = V·MMRₖ − cumₖ): the same
        /// figures as a tiered ``MarginSchedule/requirement(notional:baseSize:openInterest:)``, with a branch-free tier search.
        @inline(__always)
        func requirement(notional: Double, range: Range<Int>, firstStep: Int) -> MarginSchedule.Requirement {
            // Branch-free binary search for the last floor ≤ notional (the first floor is 0; padding floors are +∞).
            var k = range.lowerBound
            var step = firstStep
            while step > 0 {
                k &+= notional >= floors[k &+ step] ? step : 0
                step >>= 1
            }
            return MarginSchedule.Requirement(initialRate: initialRates[k], maintenance: notional * maintenanceRates[k] - deductions[k],
                                              tier: k &- range.lowerBound)
        }
    }

    /// The first step of the binary search over a table of `count` tiers: half its padded length.
    static func firstStep(count: Int) -> Int {
        var padded = 1
        while padded < count { padded <<= 1 }
        return padded >> 1
    }
}
