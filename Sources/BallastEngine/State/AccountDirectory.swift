import BallastCore
import BallastPrefetch

/// The engine index of each account id: an open-addressing table of 64-bit entries, the low 32 bits of the id's hash
/// above the index + 1 (0 marks an empty entry), with the ids themselves read from the accounts.
///
/// A `[String: Int32]` keeps its occupancy bits, keys and values in three separate regions, so finding a random
/// account among a million touched three cache lines besides the account itself. Here a lookup touches one entry and
/// then the account it names, which the caller reads next anyway; a string is compared only where the 32 hash bits
/// agree. Accounts are never removed, so linear probing needs no deletion; the table keeps at most half its entries
/// full and grows by doubling, re-placing the entries from their stored hash bits.
struct AccountDirectory: Sendable {
    /// Entries: hash bits << 32 | (index + 1), or 0.
    private var table: [UInt64] = Array(repeating: 0, count: 16)
    /// How many ids the table holds.
    private(set) var count = 0
    /// How the ids are hashed (the standard library's seeded hash, so ids chosen by clients cannot force collisions;
    /// tests can weaken it to force them).
    private let hash: @Sendable (String) -> Int

    /// An empty directory.
    init() {
        self.init(hash: { $0.hashValue })
    }

    /// An empty directory hashing ids with `hash`.
    init(hash: @escaping @Sendable (String) -> Int) {
        self.hash = hash
    }

    /// The directory of `accounts`, each at its position (an id held twice keeps its first position).
    init(_ accounts: [Account], hash: @escaping @Sendable (String) -> Int = { $0.hashValue }) {
        self.init(hash: hash)
        for index in accounts.indices where find(accounts[index].id, in: accounts) == nil {
            insert(accounts[index].id, at: Int32(index))
        }
    }

    /// The table's hash bits for an id.
    @inline(__always)
    private func hashBits(_ id: String) -> UInt32 { UInt32(truncatingIfNeeded: hash(id)) }

    /// The index of the account named `id` in `accounts` (the array the directory was filled from).
    @inline(__always)
    func find(_ id: String, in accounts: borrowing [Account]) -> Int32? {
        let bits = hashBits(id)
        let mask = table.count &- 1
        var slot = Int(bits) & mask
        while true {
            let entry = table[slot]
            if entry == 0 { return nil }
            if UInt32(truncatingIfNeeded: entry >> 32) == bits {
                let index = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1
                if accounts[index].id == id { return Int32(index) }
            }
            slot = (slot &+ 1) & mask
        }
    }

    /// The hash bits of `id`, for ``prefetchHome(_:)`` and ``likelyIndex(_:)`` ahead of a lookup.
    func bits(of id: String) -> UInt32 { hashBits(id) }

    /// Requests the entry where a lookup of an id with hash bits `bits` starts (see ``ballast_prefetch``).
    @inline(__always)
    func prefetchHome(_ bits: UInt32) {
        table.withUnsafeBufferPointer { table in
            if let base = table.baseAddress { ballast_prefetch(base + (Int(bits) & (table.count &- 1))) }
        }
    }

    /// The index in the first entry from home with hash bits `bits`: the account an id with those bits most likely
    /// names, read without touching the account (so without confirming it); `nil` if no entry has them.
    @inline(__always)
    func likelyIndex(_ bits: UInt32) -> Int32? {
        let mask = table.count &- 1
        var slot = Int(bits) & mask
        while true {
            let entry = table[slot]
            if entry == 0 { return nil }
            if UInt32(truncatingIfNeeded: entry >> 32) == bits { return Int32(truncatingIfNeeded: (entry & 0xFFFF_FFFF) &- 1) }
            slot = (slot &+ 1) & mask
        }
    }

    /// Adds `id` at `index`.
    /// - Precondition: `id` is not in the directory (the engine checks before it opens an account).
    mutating func insert(_ id: String, at index: Int32) {
        count += 1
        if count * 2 > table.count { grow() }
        place(UInt64(hashBits(id)) << 32 | UInt64(index &+ 1))
    }

    /// Puts an entry at the first empty slot from its home.
    private mutating func place(_ entry: UInt64) {
        let mask = table.count &- 1
        var slot = Int(truncatingIfNeeded: entry >> 32) & mask
        while table[slot] != 0 { slot = (slot &+ 1) & mask }
        table[slot] = entry
    }

    /// Doubles the table and re-places every entry.
    private mutating func grow() {
        let old = table
        table = Array(repeating: 0, count: old.count * 2)
        for entry in old where entry != 0 { place(entry) }
    }
}
