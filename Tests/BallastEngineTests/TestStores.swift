import BallastStore
import Foundation

/// A store that passes everything to a real one, counts journal writes, can hold writes back until it is opened,
/// and can make every later write fail.
actor GatedStore: EventStore {
    let inner: any EventStore
    private(set) var appends = 0
    private(set) var appendedRecords = 0
    private var closed = true
    private var gateWaiters: [CheckedContinuation<Void, Never>] = []
    private var failing = false
    /// Set when a write is waiting at the closed gate.
    private(set) var waitingAtGate = false

    init(_ inner: any EventStore, gated: Bool) {
        self.inner = inner
        closed = gated
    }

    func open() {
        closed = false
        for waiter in gateWaiters { waiter.resume() }
        gateWaiters.removeAll()
    }

    func failFromNowOn() { failing = true }

    func closeGate() {
        closed = true
        waitingAtGate = false
    }

    func append(_ records: [JournalRecord]) async throws(StoreError) {
        if closed {
            waitingAtGate = true
            await withCheckedContinuation { gateWaiters.append($0) }
        }
        if failing { throw StoreError.database("injected failure") }
        try await inner.append(records)
        appends += 1
        appendedRecords += records.count
    }

    func records(after sequence: UInt64, limit: Int) async throws(StoreError) -> [JournalRecord] {
        try await inner.records(after: sequence, limit: limit)
    }

    func lastSequence() async throws(StoreError) -> UInt64? { try await inner.lastSequence() }

    func writeSnapshot(_ snapshot: SnapshotRecord) async throws(StoreError) {
        if failing { throw StoreError.database("injected failure") }
        try await inner.writeSnapshot(snapshot)
    }

    func latestSnapshot() async throws(StoreError) -> SnapshotRecord? { try await inner.latestSnapshot() }

    func close() async throws(StoreError) { try await inner.close() }
}

/// A SQLite store file in a fresh temporary directory.
struct TemporaryStore {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-engine-\(UUID().uuidString)")
    var path: String { directory.appendingPathComponent("journal.sqlite").path }

    func open() throws -> SQLiteEventStore { try SQLiteEventStore(path: path) }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
