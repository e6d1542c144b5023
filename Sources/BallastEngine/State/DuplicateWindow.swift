import BallastPrefetch

/// The ids of the most recent accepted events, to acknowledge a repeated id without applying it again.
///
/// The ids sit in a ring in arrival order (the oldest is forgotten when the ring is full), found through an
/// open-addressing table of 64-bit entries: the low 32 bits of the id's hash above the ring slot + 1 (0 marks an empty
/// entry). A lookup hashes the id once, walks the entries from its home entry and compares a string only where the
/// 32 hash bits agree; eviction deletes the oldest id's entry by shifting the following entries back (linear probing
/// without tombstones), so the table never degrades. The table keeps at most half its entries full and grows by
/// doubling as the ring fills. An engine applies one lookup and one insertion per event: one hash of the new id, and
/// the evicted id's hash is kept beside it in the ring instead of being computed again.
public struct DuplicateWindow: Sendable {
    /// The ids, slot by slot; once full, `next` is the oldest.
    private var ring: [String] = []
    /// The hash of each slot's id.
    private var ringHashes: [UInt32] = []
    /// The slot the next id takes once the ring is full.
    private var next = 0
    /// Entries: hash bits << 32 | (slot + 1), or 0.
    private var table: [UInt64]
    /// How the ids are hashed (the standard library's seeded hash; tests can weaken it to force collisions).
    private let hash: @Sendable (String) -> Int
    /// How many ids are kept: at least 1, at most 2^31.
    public let capacity: Int

    /// An empty window of `capacity` ids, clamped to 1 ... 2^31.
    public init(capacity: Int) {
        self.init(capacity: capacity, hash: { $0.hashValue })
    }

    /// An empty window hashing ids with `hash`.
    init(capacity: Int, hash: @escaping @Sendable (String) -> Int) {
        self.capacity = min(max(1, capacity), 1 << 31)
        self.hash = hash
        table = Array(repeating: 0, count: 16)
    }

    /// The table's hash bits for an id.
    @inline(__always)
    private func hashBits(_ id: String) -> UInt32 { UInt32(truncatingIfNeeded: hash(id)) }

    /// An id with its hash, computed once for a lookup followed by an insertion.
    struct Key {
        let id: String
        fileprivate let bits: UInt32
    }

    /// The key of `id`.
    func key(_ id: String) -> Key { Key(id: id, bits: hashBits(id)) }

    /// Requests the table entries that inserting `key`, `ahead` insertions from now, will touch: the key's home and,
    /// once the ring is full, the home of the id it will evict (see ``ballast_prefetch``).
    @inline(__always)
    func prefetch(_ key: Key, ahead: Int) {
        let evicted = ring.count == capacity ? ringHashes[(next &+ ahead) % capacity] : nil
        table.withUnsafeBufferPointer { table in
            guard let base = table.baseAddress else { return }
            let mask = table.count &- 1
            ballast_prefetch(base + (Int(key.bits) & mask))
            if let evicted { ballast_prefetch(base + (Int(evicted) & mask)) }
        }
    }

    /// Whether `id` was accepted recently.
    public func contains(_ id: String) -> Bool { contains(key(id)) }

    /// Whether the key's id was accepted recently.
    func contains(_ key: Key) -> Bool {
        let (id, bits) = (key.id, key.bits)
        let mask = table.count &- 1
        var index = Int(bits) & mask
        while true {
            let entry = table[index]
            if entry == 0 { return false }
            if UInt32(truncatingIfNeeded: entry >> 32) == bits, ring[Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1] == id { return true }
            index = (index &+ 1) & mask
        }
    }

    /// Remembers `id`, forgetting the oldest one when full. An id already in the window is remembered again as the
    /// newest (a second entry; each entry leaves with its own slot).
    public mutating func insert(_ id: String) { insert(key(id)) }

    /// Remembers the key's id (see the `String` overload).
    mutating func insert(_ key: Key) {
        let (id, bits) = (key.id, key.bits)
        let slot: Int
        if ring.count < capacity {
            slot = ring.count
            ring.append(id)
            ringHashes.append(bits)
            if ring.count * 2 > table.count { rebuild(size: table.count * 2) }
        } else {
            slot = next
            removeEntry(slot: slot)
            ring[slot] = id
            ringHashes[slot] = bits
            next = next + 1 == capacity ? 0 : next + 1
        }
        place(bits: bits, slot: slot)
    }

    /// Adds the entry of the id in `slot`.
    private mutating func place(bits: UInt32, slot: Int) {
        let mask = table.count &- 1
        var index = Int(bits) & mask
        while table[index] != 0 { index = (index &+ 1) & mask }
        table[index] = UInt64(bits) << 32 | UInt64(slot &+ 1)
    }

    /// Deletes the entry of the id in `slot`, shifting back each following entry of the run whose home lies at or
    /// before the hole, so every remaining entry stays reachable from its home.
    private mutating func removeEntry(slot: Int) {
        let mask = table.count &- 1
        let wanted = UInt64(slot &+ 1)
        var hole = Int(ringHashes[slot]) & mask
        while table[hole] & 0xFFFF_FFFF != wanted { hole = (hole &+ 1) & mask }
        var index = hole
        while true {
            index = (index &+ 1) & mask
            let entry = table[index]
            if entry == 0 { break }
            let home = Int(truncatingIfNeeded: entry >> 32) & mask
            // The entry may fill the hole when the hole lies on its path from home: its distance from home is at
            // least the hole's distance from it.
            if (index &- home) & mask >= (index &- hole) & mask {
                table[hole] = entry
                hole = index
            }
        }
        table[hole] = 0
    }

    /// Re-creates the table with `size` entries (a power of two) from the ring.
    private mutating func rebuild(size: Int) {
        table = Array(repeating: 0, count: size)
        for slot in ring.indices { place(bits: ringHashes[slot], slot: slot) }
    }

    /// The ids from oldest to newest.
    public var oldestFirst: [String] {
        ring.count < capacity ? ring : Array(ring[next...] + ring[..<next])
    }
}
