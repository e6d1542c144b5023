import BallastCore
import BallastEngine
import BallastIO
import BallastStore
import Foundation

/// Stores holding the benchmark book for the durable benchmarks: each starts with a snapshot of the 1,000,000-account
/// engine, so opening it is a restart from a snapshot.
enum DurableBook {
    /// The directory of this process's SQLite stores (about 160 MB per store after a run), removed by
    /// ``removeStores()`` when the benchmarks end.
    static let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-bench-\(UUID().uuidString)")

    /// Deletes every store this process made.
    static func removeStores() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A fresh SQLite store in a directory of its own under ``directory``, with the book's snapshot.
    static func sqlite(_ book: EngineBook) async throws -> (any EventStore, URL) {
        let directory = Self.directory.appendingPathComponent(UUID().uuidString)
        let store = try SQLiteEventStore(path: directory.appendingPathComponent("journal.sqlite").path)
        try await seed(store, book)
        return (store, directory)
    }

    /// A fresh schema in the PostgreSQL database of `BALLAST_POSTGRES_URL`, with the book's snapshot; `nil` without it.
    static func postgres(_ book: EngineBook) async throws -> (any EventStore)? {
        guard let url = ProcessInfo.processInfo.environment["BALLAST_POSTGRES_URL"] else { return nil }
        let schema = "bench_\(UInt32.random(in: 0...UInt32.max))"
        let store = try await PostgresEventStore(url: url, schema: schema)
        try await seed(store, book)
        return store
    }

    /// Writes the book's snapshot to `store`, then flushes every dirty page of the machine to disk, so that the
    /// measured writes do not wait behind the write-back of a set-up's (or an earlier benchmark's) 160 MB.
    static func seed(_ store: any EventStore, _ book: EngineBook) async throws {
        try await store.writeSnapshot(SnapshotRecord(sequence: book.engine.lastSequence, payload: SnapshotCodec.encode(book.engine)))
        sync()
    }

    /// `count` fills for `engine` in batches of `batch`, made before the measured region (building the events is the
    /// submitter's work, as in the in-memory benchmark). Numbered after the engine's last sequence, or with sequence 0
    /// when `unsequenced` (the engine assigns them on arrival, as for `POST /v1/events`).
    static func batches(for engine: DurableEngine, _ book: EngineBook, count: Int, batch: Int, unsequenced: Bool) async -> [[EngineEvent]] {
        let first = await engine.read { $0.lastSequence } + 1
        let events = book.fills(count, first: first).map { event in
            var event = event
            if unsequenced { event.sequence = 0 }
            return event
        }
        return stride(from: 0, to: events.count, by: batch).map { Array(events[$0..<min($0 + batch, events.count)]) }
    }

    /// Submits `batches` and returns how many events were applied: one batch at a time (each submitted once the
    /// previous one is durable), or with `inFlight` > 1 that many batches in flight, as concurrent API clients submit
    /// them (sequence numbers assigned on arrival), so that the engine applies one batch while the store writes the
    /// one before.
    static func ingest(_ engine: DurableEngine, _ batches: [[EngineEvent]], inFlight: Int = 1) async throws -> Int {
        guard inFlight > 1 else {
            var applied = 0
            for events in batches {
                for outcome in try await engine.submit(events) where outcome.isAccepted { applied += 1 }
            }
            return applied
        }
        return try await withThrowingTaskGroup(of: Int.self) { group in
            var applied = 0
            var next = 0
            var running = 0
            while next < batches.count || running > 0 {
                while running < inFlight, next < batches.count {
                    let events = batches[next]
                    group.addTask { try await engine.submit(events, assigningSequences: true).count { $0.outcome.isAccepted } }
                    next += 1
                    running += 1
                }
                applied += try await group.next() ?? 0
                running -= 1
            }
            return applied
        }
    }
}
