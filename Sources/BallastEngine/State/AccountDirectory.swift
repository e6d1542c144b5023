import BallastCore

/// The engine index of each account id: a ``HashSlotTable`` whose slots are account indices, with the ids themselves
/// read from the accounts.
///
/// A `[String: Int32]` keeps its occupancy bits, keys and values in three separate regions, so finding a random
/// account among a million touched three cache lines besides the account itself. Here a lookup touches one entry and
/// then the account it names, which the caller reads next anyway; a string is compared only where the 32 hash bits
/// agree. Accounts are never removed.
struct AccountDirectory: Sendable {
    private var table = HashSlotTable()
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

    /// The hash bits of `id`, for ``prefetchHome(_:)`` and ``likelyIndex(_:)`` ahead of a lookup.
    @inline(__always)
    func bits(of id: String) -> UInt32 { UInt32(truncatingIfNeeded: hash(id)) }

    /// The index of the account named `id` in `accounts` (the array the directory was filled from).
    @inline(__always)
    func find(_ id: String, in accounts: borrowing [Account]) -> Int32? {
        table.find(bits(of: id)) { accounts[$0].id == id }.map { Int32(truncatingIfNeeded: $0) }
    }

    /// Requests the entry where a lookup of an id with hash bits `bits` starts.
    @inline(__always)
    func prefetchHome(_ bits: UInt32) { table.prefetchHome(bits) }

    /// The index in the first entry from home with hash bits `bits`: the account an id with those bits most likely
    /// names, read without touching the account (so without confirming it); `nil` if no entry has them.
    @inline(__always)
    func likelyIndex(_ bits: UInt32) -> Int32? {
        table.find(bits) { _ in true }.map { Int32(truncatingIfNeeded: $0) }
    }

    /// Adds `id` at `index`.
    /// - Precondition: `id` is not in the directory (the engine checks before it opens an account).
    mutating func insert(_ id: String, at index: Int32) {
        count += 1
        table.reserve(count: count)
        table.insert(bits(of: id), slot: Int(index))
    }
}
