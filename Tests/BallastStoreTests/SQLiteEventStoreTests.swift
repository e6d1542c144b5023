@testable import BallastStore
import Foundation
import Testing

/// What is particular to the SQLite store: its durability settings and its file.
struct SQLiteEventStoreTests {
    @Test func theWriterRunsInWALModeWithFullSync() async throws {
        let harness = SQLiteHarness()
        defer { try? FileManager.default.removeItem(at: harness.directory) }
        let store = try SQLiteEventStore(path: harness.path)
        let settings = try await store.durabilitySettings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2, "PRAGMA synchronous: 2 is FULL")
        try await store.close()
    }

    @Test func theFileAndItsDirectoriesAreCreated() async throws {
        let harness = SQLiteHarness()
        defer { try? FileManager.default.removeItem(at: harness.directory) }
        #expect(!FileManager.default.fileExists(atPath: harness.path))
        let store = try SQLiteEventStore(path: harness.path)
        try await store.append([JournalRecord(sequence: 1, payload: [42])])
        #expect(FileManager.default.fileExists(atPath: harness.path))
        try await store.close()
    }

    @Test func aPathThatCannotBeADatabaseIsUnavailable() async throws {
        let harness = SQLiteHarness()
        defer { try? FileManager.default.removeItem(at: harness.directory) }
        try FileManager.default.createDirectory(atPath: harness.path, withIntermediateDirectories: true)
        #expect(throws: StoreError.self) { try SQLiteEventStore(path: harness.path) }
    }

    @Test func chunkSizesOutsideTheLimitsAreRefused() {
        #expect(throws: StoreError.self) { try SnapshotChunking(chunkSize: 0) }
        #expect(throws: StoreError.self) { try SnapshotChunking(chunkSize: SnapshotChunking.largestChunkSize + 1) }
        #expect(SnapshotChunking.standard.chunkSize == 8 << 20)
    }
}
