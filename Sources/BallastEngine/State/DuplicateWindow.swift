/// The ids of the most recent accepted events, to acknowledge a repeated id without applying it again.
///
/// The ids sit in a ring in arrival order (the oldest is forgotten when the ring is full), found through a
/// ``HashSlotTable`` whose slots are ring slots: a lookup hashes the id once and compares a string only where the 32
/// hash bits agree; eviction removes the oldest id's entry. An engine applies one lookup and one insertion per event:
/// one hash of the new id, and the evicted id's hash is kept beside it in the ring instead of being computed again.
public struct DuplicateWindow: Sendable {
    /// The ids, slot by slot; once full, `next` is the oldest.
    private var ring: [String] = []
    /// The hash of each slot's id.
    private var ringHashes: [UInt32] = []
    /// The slot the next id takes once the ring is full.
    private var next = 0
    /// Ring slots by hash.
    private var table = HashSlotTable()
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
    /// once the ring is full, the home of the id it will evict.
    @inline(__always)
    func prefetch(_ key: Key, ahead: Int) {
        table.prefetchHome(key.bits)
        if ring.count == capacity { table.prefetchHome(ringHashes[(next &+ ahead) % capacity]) }
    }

    /// Whether `id` was accepted recently.
    public func contains(_ id: String) -> Bool { contains(key(id)) }

    /// Whether the key's id was accepted recently.
    func contains(_ key: Key) -> Bool {
        table.find(key.bits) { ring[$0] == key.id } != nil
    }

    /// Remembers `id`, forgetting the oldest one when full. An id already in the window is remembered again as the
    /// newest (a second entry; each entry leaves with its own slot).
    public mutating func insert(_ id: String) { insert(key(id)) }

    /// Remembers the key's id (see the `String` overload).
    mutating func insert(_ key: Key) {
        let slot: Int
        if ring.count < capacity {
            slot = ring.count
            ring.append(key.id)
            ringHashes.append(key.bits)
            table.reserve(count: ring.count)
        } else {
            slot = next
            table.remove(ringHashes[slot], slot: slot)
            ring[slot] = key.id
            ringHashes[slot] = key.bits
            next = next + 1 == capacity ? 0 : next + 1
        }
        table.insert(key.bits, slot: slot)
    }

    /// The ids from oldest to newest.
    public var oldestFirst: [String] {
        ring.count < capacity ? ring : Array(ring[next...] + ring[..<next])
    }
}
