/// One accepted event as the journal keeps it: its sequence number and its encoded bytes.
public struct JournalRecord: Sendable, Hashable {
    /// The event's sequence number (strictly increasing along the journal).
    public var sequence: UInt64
    /// The encoded event.
    public var payload: [UInt8]

    /// Creates a record.
    public init(sequence: UInt64, payload: [UInt8]) {
        self.sequence = sequence
        self.payload = payload
    }
}

/// A snapshot of the whole engine state after the event with sequence number `sequence`.
public struct SnapshotRecord: Sendable, Hashable {
    /// The sequence number of the last event the snapshot includes.
    public var sequence: UInt64
    /// The encoded state.
    public var payload: [UInt8]

    /// Creates a snapshot record.
    public init(sequence: UInt64, payload: [UInt8]) {
        self.sequence = sequence
        self.payload = payload
    }
}

/// Why a store operation failed.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A record's sequence number is not above the last one stored (or the batch is not strictly increasing).
    case sequenceNotIncreasing(sequence: UInt64, last: UInt64)
    /// The store could not be opened or reached.
    case unavailable(String)
    /// A read or write failed in the database.
    case database(String)
    /// Stored data is not what the store wrote (a damaged or foreign database).
    case corrupt(String)

    /// A sentence saying what failed.
    public var description: String {
        switch self {
        case .sequenceNotIncreasing(let sequence, let last): return "journal sequence \(sequence) is not above the last stored sequence \(last)"
        case .unavailable(let reason): return "store unavailable: \(reason)"
        case .database(let reason): return "store error: \(reason)"
        case .corrupt(let reason): return "store data is damaged: \(reason)"
        }
    }
}

/// Durable storage of the engine: an append-only journal of accepted events and periodic snapshots.
///
/// Appends are atomic and durable when they return: a batch is either wholly stored or not at all, and once
/// ``append(_:)`` returns, the batch survives a crash of the process (and, with the default settings, of the
/// machine). This is what lets the engine acknowledge an event only after its batch is durable (group commit).
public protocol EventStore: Sendable {
    /// Appends records in one transaction. Sequence numbers must be strictly increasing within the batch and above
    /// every stored one. They run from 1 (0 means "before the first record", as in `records(after: 0, …)`) to
    /// `Int64.max` (both databases keep signed 64-bit integers). An empty batch does nothing.
    /// - Throws: ``StoreError``; nothing of the batch is stored then.
    func append(_ records: [JournalRecord]) async throws(StoreError)

    /// Up to `limit` records with a sequence number above `sequence`, in ascending order.
    /// - Throws: ``StoreError``.
    func records(after sequence: UInt64, limit: Int) async throws(StoreError) -> [JournalRecord]

    /// The highest stored sequence number, or `nil` for an empty journal.
    /// - Throws: ``StoreError``.
    func lastSequence() async throws(StoreError) -> UInt64?

    /// Stores a snapshot durably (any size; large payloads may be split internally). Older snapshots may be kept or
    /// dropped, but the latest one is never lost by writing a newer one that fails. (The SQLite and PostgreSQL stores
    /// keep only the snapshot with the highest sequence: a write at the same sequence replaces it, a write at a lower
    /// one changes nothing.)
    /// - Throws: ``StoreError``.
    func writeSnapshot(_ snapshot: SnapshotRecord) async throws(StoreError)

    /// The snapshot with the highest sequence number, or `nil` if none was written.
    /// - Throws: ``StoreError``.
    func latestSnapshot() async throws(StoreError) -> SnapshotRecord?

    /// Releases the store's connections. Further calls fail.
    func close() async throws(StoreError)
}
