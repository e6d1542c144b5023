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

    /// The buffers, in one object: taking them for an account costs one uniqueness check instead of one per buffer.
    private var buffers: Buffers
    /// The risk arrays' row length the scenario vectors use.
    var stride: Int { buffers.views.stride }

    /// Every scratch buffer of a workspace, allocated together and zeroed (the risks and legs are written before they
    /// are read). Only a workspace that holds it uniquely writes to it (``withScratch(assetCount:tenorSlots:_:)``), so
    /// it is `Sendable` as a value would be.
    private final class Buffers: @unchecked Sendable {
        let assetCount: Int
        let tenorSlots: Int
        /// The buffers, which this object owns.
        let views: Scratch

        init(assetCount: Int, stride: Int, tenorSlots: Int) {
            self.assetCount = assetCount
            self.tenorSlots = tenorSlots
            func zeroed<T>(_ count: Int, _ zero: T) -> UnsafeMutableBufferPointer<T> {
                let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
                buffer.initialize(repeating: zero)
                return buffer
            }
            let noRisk = UnderlyingRisk(underlying: AssetID(0), scanRisk: 0, worstScenario: nil, calendarSpread: 0, deltaShock: 0, rollShock: 0,
                                        shortOptionMinimum: 0, minimumCharge: 0, netDelta: 0, collateralCounted: false, risk: 0)
            views = Scratch(stride: stride, pnl: zeroed(assetCount * stride, 0), sums: zeroed(assetCount, Sums()),
                            words: zeroed((assetCount + 63) / 64, 0), tenorDeltas: zeroed(tenorSlots, 0), tenorHeld: zeroed(tenorSlots, 0),
                            tenorLists: zeroed(tenorSlots + assetCount, 0), legs: zeroed(tenorSlots + 1, Leg(key: 0, delta: 0)),
                            risks: zeroed(assetCount, noRisk))
        }

        deinit {
            // Plain values: nothing to deinitialize.
            views.pnl.deallocate()
            views.sums.deallocate()
            views.words.deallocate()
            views.tenorDeltas.deallocate()
            views.tenorHeld.deallocate()
            views.tenorLists.deallocate()
            views.legs.deallocate()
            views.risks.deallocate()
        }
    }

    /// A workspace for `assetCount` assets and arrays of row length `stride`.
    public init(assetCount: Int, stride: Int) {
        buffers = Buffers(assetCount: assetCount, stride: stride, tenorSlots: 0)
    }

    /// The risks the last account's scratch left in `0..<count` (``Scratch/risks``).
    func lastRisks(count: Int) -> UnsafeBufferPointer<UnderlyingRisk> {
        UnsafeBufferPointer(rebasing: buffers.views.risks[0..<min(count, buffers.assetCount)])
    }

    /// Runs `body` with unchecked access to every buffer, for arrays with `tenorSlots` tenor slots over a catalog of
    /// `assetCount` assets. `body` must leave the scratch cleared (``Scratch/clear()``), so fresh buffers are as good
    /// as the old ones: buffers shared with a copy of the workspace, or with too few tenor slots, are replaced by new
    /// ones.
    /// - Precondition: the workspace covers at least `assetCount` assets, so every asset index of the catalog is in
    ///   bounds.
    @inline(__always)
    mutating func withScratch<R, E: Error>(assetCount: Int, tenorSlots: Int, _ body: (inout Scratch) throws(E) -> R) throws(E) -> R {
        precondition(buffers.assetCount >= assetCount, "the workspace has fewer assets than the catalog")
        if !isKnownUniquelyReferenced(&buffers) || buffers.tenorSlots < tenorSlots {
            buffers = Buffers(assetCount: buffers.assetCount, stride: stride, tenorSlots: max(tenorSlots, buffers.tenorSlots))
        }
        let owner = buffers
        var scratch = owner.views
        return try withExtendedLifetime(owner) { () throws(E) -> R in try body(&scratch) }
    }

    /// Unchecked views of the workspace's buffers while ``withScratch(assetCount:tenorSlots:_:)`` pins them. Asset
    /// indices come from the catalog and tenor slots from the risk arrays, which its precondition and growth cover.
    struct Scratch {
        let stride: Int
        /// Scenario PnL per underlying, asset-major with the risk arrays' stride; zero between accounts.
        let pnl: UnsafeMutableBufferPointer<Double>
        /// Sums by asset index; zero between accounts.
        let sums: UnsafeMutableBufferPointer<Sums>
        /// The touched underlyings as a bit set, 64 per word; zero between accounts.
        let words: UnsafeMutableBufferPointer<UInt64>
        /// Net delta by tenor slot of the risk arrays, and whether the account holds the slot; zero between accounts.
        let tenorDeltas: UnsafeMutableBufferPointer<Double>
        let tenorHeld: UnsafeMutableBufferPointer<Int>
        /// Each underlying's held tenor slots in first-seen order (see ``RiskArrays/Exposure/tenorListStart``): one
        /// spare entry per asset.
        let tenorLists: UnsafeMutableBufferPointer<Int>
        /// One underlying's legs while its risk is computed: its tenors and one for collateral.
        let legs: UnsafeMutableBufferPointer<Leg>
        /// The risks of the touched underlyings, in asset order; one slot per asset.
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
