/// Scratch accumulators for portfolio margin: each underlying's scenario PnL vector, net delta per tenor, short
/// option units and gross dated-future notional; cleared after each account in O(underlyings touched).
public struct PortfolioWorkspace: Sendable {
    /// One underlying's sums besides its scenario vector.
    struct Sums {
        var shortCallUnits = 0.0
        var shortPutUnits = 0.0
        var datedFutureNotional = 0.0
        /// Units of the underlying held as collateral that moves with its scenarios.
        var collateralUnits = 0.0
        /// How many of its tenor slots the account holds, and where their list starts (``RiskArrays/Exposure``).
        var tenorCount = 0
        var tenorListStart = 0
    }

    /// The net delta of one tenor: key = expiry in ms, `Int64.min` for a perpetual or spot.
    struct Leg {
        var key: Int64
        var delta: Double
    }

    /// Scenario PnL per underlying, asset-major with the risk arrays' stride; zero between accounts.
    var pnl: [Double]
    let stride: Int
    /// Sums by asset index; zero between accounts.
    var sums: [Sums]
    /// The touched underlyings as a bit set, 64 per word; zero between accounts.
    var touchedWords: [UInt64]
    /// Net delta by tenor slot of the risk arrays, and whether the account holds the slot; zero between accounts.
    var tenorDeltas: [Double] = []
    var tenorHeld: [Int] = []
    /// Each underlying's held tenor slots in first-seen order (see ``RiskArrays/Exposure/tenorListStart``).
    var tenorLists: [Int] = []
    /// One underlying's legs while its risk is computed: its tenors and one for collateral.
    var legs: [Leg] = []
    /// The risks of the touched underlyings, in asset order; one slot per asset.
    var risks: [UnderlyingRisk]

    /// A workspace for `assetCount` assets and arrays of row length `stride`.
    public init(assetCount: Int, stride: Int) {
        self.stride = stride
        pnl = Array(repeating: 0, count: assetCount * stride)
        sums = Array(repeating: Sums(), count: assetCount)
        touchedWords = Array(repeating: 0, count: (assetCount + 63) / 64)
        risks = Array(repeating: UnderlyingRisk(underlying: AssetID(0), scanRisk: 0, worstScenario: nil, calendarSpread: 0, deltaShock: 0,
                                                 rollShock: 0, shortOptionMinimum: 0, minimumCharge: 0, netDelta: 0, collateralCounted: false,
                                                 risk: 0),
                      count: assetCount)
    }

    /// Runs `body` with unchecked access to every buffer, for arrays with `tenorSlots` tenor slots over a catalog of
    /// `assetCount` assets (one uniqueness check per array for the whole account). `body` must leave the scratch
    /// cleared (``Scratch/clear()``).
    /// - Precondition: the workspace covers at least `assetCount` assets, so every asset index of the catalog is in
    ///   bounds; the tenor buffers are grown here to the arrays' slots (lists: one spare entry per asset).
    @inline(__always)
    mutating func withScratch<R, E: Error>(assetCount: Int, tenorSlots: Int, _ body: (inout Scratch) throws(E) -> R) throws(E) -> R {
        precondition(sums.count >= assetCount && pnl.count >= assetCount * stride, "the workspace has fewer assets than the catalog")
        if tenorDeltas.count < tenorSlots {
            tenorDeltas = Array(repeating: 0, count: tenorSlots)
            tenorHeld = Array(repeating: 0, count: tenorSlots)
            tenorLists = Array(repeating: 0, count: tenorSlots + sums.count)
            legs = Array(repeating: Leg(key: 0, delta: 0), count: tenorSlots + 1)
        }
        let stride = self.stride
        return try pnl.withUnsafeMutableBufferPointer { (pnl: inout UnsafeMutableBufferPointer<Double>) throws(E) -> R in
            try sums.withUnsafeMutableBufferPointer { (sums: inout UnsafeMutableBufferPointer<Sums>) throws(E) -> R in
                try touchedWords.withUnsafeMutableBufferPointer { (words: inout UnsafeMutableBufferPointer<UInt64>) throws(E) -> R in
                    try tenorDeltas.withUnsafeMutableBufferPointer { (deltas: inout UnsafeMutableBufferPointer<Double>) throws(E) -> R in
                        try tenorHeld.withUnsafeMutableBufferPointer { (held: inout UnsafeMutableBufferPointer<Int>) throws(E) -> R in
                            try tenorLists.withUnsafeMutableBufferPointer { (lists: inout UnsafeMutableBufferPointer<Int>) throws(E) -> R in
                                try legs.withUnsafeMutableBufferPointer { (legs: inout UnsafeMutableBufferPointer<Leg>) throws(E) -> R in
                                    try risks.withUnsafeMutableBufferPointer { (risks: inout UnsafeMutableBufferPointer<UnderlyingRisk>) throws(E) -> R in
                                        var scratch = Scratch(stride: stride, pnl: pnl, sums: sums, words: words, tenorDeltas: deltas,
                                                              tenorHeld: held, tenorLists: lists, legs: legs, risks: risks)
                                        return try body(&scratch)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Unchecked views of the workspace while ``withScratch(assetCount:tenorSlots:_:)`` pins it. Asset indices come
    /// from the catalog and tenor slots from the risk arrays, which its precondition and growth cover.
    struct Scratch {
        let stride: Int
        let pnl: UnsafeMutableBufferPointer<Double>
        let sums: UnsafeMutableBufferPointer<Sums>
        let words: UnsafeMutableBufferPointer<UInt64>
        let tenorDeltas: UnsafeMutableBufferPointer<Double>
        let tenorHeld: UnsafeMutableBufferPointer<Int>
        let tenorLists: UnsafeMutableBufferPointer<Int>
        let legs: UnsafeMutableBufferPointer<Leg>
        let risks: UnsafeMutableBufferPointer<UnderlyingRisk>

        /// Marks an underlying as touched.
        @inline(__always)
        func touch(_ underlying: Int) { TouchedBits(words: words).insert(underlying) }

        /// Whether an underlying is touched.
        @inline(__always)
        func isTouched(_ underlying: Int) -> Bool { TouchedBits(words: words).contains(underlying) }

        /// Calls `body` with each touched underlying in ascending order.
        @inline(__always)
        func forEachTouched<E: Error>(_ body: (Int) throws(E) -> Void) throws(E) { try TouchedBits(words: words).forEach(body) }

        /// Adds `delta` to the net delta of a position's tenor, keeping its underlying's tenors in first-seen order.
        ///
        /// Without a branch on whether the tenor is new (positions come in no order, so it would mispredict): the slot
        /// is written after the underlying's list every time (into the list's spare entry when it is full), and the
        /// count moves on only the first time. A net delta starts at +0, which changes only the sign of a zero.
        @inline(__always)
        func addDelta(_ delta: Double, exposure: RiskArrays.Exposure) {
            let u = exposure.underlying
            let slot = exposure.tenorSlot
            sums[u].tenorListStart = exposure.tenorListStart
            tenorLists[exposure.tenorListStart &+ sums[u].tenorCount] = slot
            sums[u].tenorCount &+= 1 &- tenorHeld[slot]
            tenorHeld[slot] = 1
            tenorDeltas[slot] += delta
        }

        /// Zeroes the touched vectors, sums and tenors and the touched set, ready for the next account.
        @inline(__always)
        func clear() {
            let stride = self.stride
            TouchedBits(words: words).drain { u in
                let base = u &* stride
                for s in 0..<stride { pnl[base &+ s] = 0 }
                let start = sums[u].tenorListStart
                for k in 0..<sums[u].tenorCount {
                    tenorDeltas[tenorLists[start &+ k]] = 0
                    tenorHeld[tenorLists[start &+ k]] = 0
                }
                sums[u] = Sums()
            }
        }
    }
}
