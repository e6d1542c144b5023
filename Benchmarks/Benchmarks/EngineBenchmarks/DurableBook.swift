import BallastCore
import BallastEngine
import BallastIO
import BallastStore
import Foundation

/// Stores holding the benchmark book for the durable benchmarks: each starts with a snapshot of the 1,000,000-account
/// engine, so opening it is a restart from a snapshot.
enum DurableBook {
    /// A fresh SQLite store in a temporary directory with the book's snapshot.
    static func sqlite(_ book: EngineBook) async throws -> (any EventStore, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-bench-\(UUID().uuidString)")
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

    static func seed(_ store: any EventStore, _ book: EngineBook) async throws {
        try await store.writeSnapshot(SnapshotRecord(sequence: book.engine.lastSequence, payload: SnapshotCodec.encode(book.engine)))
    }

    /// Submits `count` fills in batches of `batch` and returns how many were applied.
    static func ingest(_ engine: DurableEngine, _ book: EngineBook, count: Int, batch: Int) async throws -> Int {
        let first = await engine.read { $0.lastSequence } + 1
        let events = book.fills(count, first: first)
        var applied = 0
        var start = 0
        while start < events.count {
            let end = min(start + batch, events.count)
            for outcome in try await engine.submit(Array(events[start..<end])) where outcome.isAccepted { applied += 1 }
            start = end
        }
        return applied
    }
}
