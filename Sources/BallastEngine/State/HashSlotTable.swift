import BallastPrefetch

/// Finds items kept elsewhere (in a ring, in an array) by a 32-bit hash: an open-addressing table of 64-bit entries,
/// each the item's hash bits above its slot + 1 (0 marks an empty entry). Behind ``AccountDirectory`` and
/// ``DuplicateWindow``.
///
/// Linear probing from the entry the bits name (the home); a lookup asks the owner to compare items only where all
/// 32 bits agree. Removal shifts the following entries of the run back instead of leaving tombstones, so the table
/// never degrades. ``reserve(count:)`` keeps it at most half full by doubling, re-placing every entry from the bits it
/// holds (so growing needs neither the items nor their hashes again).
struct HashSlotTable: Sendable {
    /// Entries: hash bits << 32 | (slot + 1), or 0; a power-of-two count.
    private var entries: [UInt64] = Array(repeating: 0, count: 16)

    /// The slot of the first entry from the home of `bits` that has those bits and whose slot `matches` accepts;
    /// `nil` at the first empty entry.
    @inline(__always)
    func find(_ bits: UInt32, where matches: (Int) -> Bool) -> Int? {
        let mask = entries.count &- 1
        var index = Int(bits) & mask
        while true {
            let entry = entries[index]
            if entry == 0 { return nil }
            if UInt32(truncatingIfNeeded: entry >> 32) == bits {
                let slot = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1
                if matches(slot) { return slot }
            }
            index = (index &+ 1) & mask
        }
    }

    /// Adds an entry for `slot` (0 ..< 2^32 − 1) with hash bits `bits`.
    mutating func insert(_ bits: UInt32, slot: Int) {
        let mask = entries.count &- 1
        var index = Int(bits) & mask
        while entries[index] != 0 { index = (index &+ 1) & mask }
        entries[index] = UInt64(bits) << 32 | UInt64(slot &+ 1)
    }

    /// Removes the entry of `slot`, whose hash bits are `bits`, shifting back each following entry of the run whose
    /// home lies at or before the hole, so every remaining entry stays reachable from its home.
    /// - Precondition: the table holds that entry.
    mutating func remove(_ bits: UInt32, slot: Int) {
        let mask = entries.count &- 1
        let wanted = UInt64(slot &+ 1)
        var hole = Int(bits) & mask
        while entries[hole] & 0xFFFF_FFFF != wanted { hole = (hole &+ 1) & mask }
        var index = hole
        while true {
            index = (index &+ 1) & mask
            let entry = entries[index]
            if entry == 0 { break }
            let home = Int(truncatingIfNeeded: entry >> 32) & mask
            // The entry may fill the hole when the hole lies on its path from home: its distance from home is at
            // least the hole's distance from it.
            if (index &- home) & mask >= (index &- hole) & mask {
                entries[hole] = entry
                hole = index
            }
        }
        entries[hole] = 0
    }

    /// Doubles the table until `count` entries fill at most half of it.
    mutating func reserve(count: Int) {
        guard count * 2 > entries.count else { return }
        var size = entries.count * 2
        while count * 2 > size { size *= 2 }
        let old = entries
        entries = Array(repeating: 0, count: size)
        for entry in old where entry != 0 {
            insert(UInt32(truncatingIfNeeded: entry >> 32), slot: Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1)
        }
    }

    /// Requests the home entry of `bits` ahead of a lookup or an insertion (see ``ballast_prefetch``).
    @inline(__always)
    func prefetchHome(_ bits: UInt32) {
        entries.withUnsafeBufferPointer { entries in
            if let base = entries.baseAddress { ballast_prefetch(base + (Int(bits) & (entries.count &- 1))) }
        }
    }
}
