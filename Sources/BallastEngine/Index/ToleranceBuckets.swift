/// The tolerances of one price group in one epoch of the ``RiskIndex``, bucketed by magnitude, so that a price move
/// takes out the pools it may push across a boundary at O(1) each instead of one heap pop (O(log n), with the cache
/// misses of a deep heap) each.
///
/// A tolerance ε ≥ 0 goes into the bucket of its binary exponent and first four mantissa bits (the top 16 bits of
/// its IEEE 754 pattern, which order like the values): 16 buckets per doubling, so a bucket spans at most 2^(1/16) − 1
/// ≈ 4.4 % of its floor. Tolerances below 2^−20 (≈ 1e−6) share the first bucket, those of 2^5 (a move of 3,200 %) and
/// more the last. Negative tolerances (−1: re-evaluate on any change) and NaN go to a bucket of their own.
///
/// A move m takes out every entry with ε < m: the buckets wholly below m's bucket without comparing, then m's bucket
/// (and the negative one) entry by entry.
struct ToleranceBuckets: Sendable {
    /// Entries per bucket: ``negative`` first, then by magnitude; empty until the first insert.
    private var buckets: [[RiskIndex.Entry]] = []
    /// Every magnitude bucket below this one is empty.
    private var lowest = ToleranceBuckets.bucketCount
    /// Entries held, valid or stale.
    private(set) var count = 0

    /// The bucket of negative and NaN tolerances.
    private static let negative = 0
    /// The top 16 bits of 2^−20, the floor of the first magnitude bucket.
    private static let firstBits = Int((0x1p-20 as Double).bitPattern >> 48)
    /// 16 buckets per doubling from 2^−20 to 2^5, one more for smaller tolerances and the negative bucket.
    private static let bucketCount = 2 + 25 * 16

    /// Whether no entry is held.
    var isEmpty: Bool { count == 0 }

    /// The bucket of a tolerance.
    static func bucket(_ move: Double) -> Int {
        guard move >= 0 else { return negative }  // −1 and NaN
        return min(bucketCount - 1, max(1, Int(move.bitPattern >> 48) - firstBits + 2))
    }

    /// Adds an entry.
    mutating func insert(_ entry: RiskIndex.Entry) {
        if buckets.isEmpty { buckets = Array(repeating: [], count: Self.bucketCount) }
        let b = Self.bucket(entry.move)
        buckets[b].append(entry)
        if b != Self.negative { lowest = min(lowest, b) }
        count += 1
    }

    /// Removes every entry whose tolerance is below `move` and passes each to `body` (in no particular order).
    mutating func removeAll(below move: Double, _ body: (RiskIndex.Entry) -> Void) {
        guard count > 0 else { return }
        take(bucket: Self.negative, below: move, body)
        guard move > 0 else { return }
        let top = Self.bucket(move)
        if lowest < top {
            for b in lowest..<top where !buckets[b].isEmpty {
                count -= buckets[b].count
                buckets[b].forEach(body)
                buckets[b].removeAll(keepingCapacity: true)
            }
            lowest = top
        }
        take(bucket: top, below: move, body)
    }

    /// Removes the entries of one bucket whose tolerance is below `move`.
    private mutating func take(bucket b: Int, below move: Double, _ body: (RiskIndex.Entry) -> Void) {
        guard !buckets[b].isEmpty else { return }
        var kept = 0
        for i in buckets[b].indices {
            let entry = buckets[b][i]
            if entry.move < move {
                body(entry)
            } else {
                buckets[b][kept] = entry
                kept += 1
            }
        }
        count -= buckets[b].count - kept
        buckets[b].removeLast(buckets[b].count - kept)
    }

    /// Removes the entries `isStale` says are no longer registered.
    mutating func removeAll(where isStale: (RiskIndex.Entry) -> Bool) {
        guard count > 0 else { return }
        count = 0
        for b in buckets.indices where !buckets[b].isEmpty {
            buckets[b].removeAll(where: isStale)
            count += buckets[b].count
        }
    }

    /// Calls `body` with every entry (in no particular order).
    func forEach(_ body: (RiskIndex.Entry) -> Void) {
        for bucket in buckets { bucket.forEach(body) }
    }
}
