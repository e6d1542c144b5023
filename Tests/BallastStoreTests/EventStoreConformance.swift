import BallastStore
import Testing

/// The behaviour every ``EventStore`` must show, written once and run against each store by
/// `EventStoreConformanceTests`.
///
/// Each check gets a harness with a fresh, empty database, opens its own store instances and closes them.
enum ConformanceCheck: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case appendAndReadBack
    case paging
    case lastSequence
    case rejectsNonIncreasingSequences
    case rejectsSequencesOutOfRange
    case emptyBatchDoesNothing
    case snapshotRoundTrip
    case snapshotChunkBoundaries
    case latestSnapshotWins
    case failedWritesLeaveNoTrace
    case reopenReadsEverything
    case closedStoreRefusesCalls

    var testDescription: String { rawValue }

    /// Runs the check on a fresh database of `harness`, removing the database afterwards.
    func run(on harness: some StoreHarness) async throws {
        do {
            try await body(harness)
        } catch {
            await harness.cleanUp()
            throw error
        }
        await harness.cleanUp()
    }

    private func body(_ harness: some StoreHarness) async throws {
        switch self {
        case .appendAndReadBack: try await Self.appendAndReadBack(harness)
        case .paging: try await Self.paging(harness)
        case .lastSequence: try await Self.lastSequence(harness)
        case .rejectsNonIncreasingSequences: try await Self.rejectsNonIncreasingSequences(harness)
        case .rejectsSequencesOutOfRange: try await Self.rejectsSequencesOutOfRange(harness)
        case .emptyBatchDoesNothing: try await Self.emptyBatchDoesNothing(harness)
        case .snapshotRoundTrip: try await Self.snapshotRoundTrip(harness)
        case .snapshotChunkBoundaries: try await Self.snapshotChunkBoundaries(harness)
        case .latestSnapshotWins: try await Self.latestSnapshotWins(harness)
        case .failedWritesLeaveNoTrace: try await Self.failedWritesLeaveNoTrace(harness)
        case .reopenReadsEverything: try await Self.reopenReadsEverything(harness)
        case .closedStoreRefusesCalls: try await Self.closedStoreRefusesCalls(harness)
        }
    }

    /// A batch comes back as written, byte for byte and in order; sequences may have gaps.
    private static func appendAndReadBack(_ harness: some StoreHarness) async throws {
        let store = try await harness.open()
        #expect(try await store.records(after: 0, limit: 100) == [])
        let first = TestPayloads.records([1, 2, 3])
        let second = TestPayloads.records([7, 8, 100])
        try await store.append(first)
        try await store.append(second)
        #expect(try await store.records(after: 0, limit: 100) == first + second)
        #expect(try await store.records(after: 3, limit: 100) == second)
        #expect(try await store.records(after: 6, limit: 100) == second)
        #expect(try await store.records(after: 100, limit: 100) == [])
        #expect(try await store.records(after: UInt64.max, limit: 100) == [])
        try await store.close()
    }

    /// Reading in pages of `limit` visits every record once, in order; a limit below 1 reads nothing.
    private static func paging(_ harness: some StoreHarness) async throws {
        let store = try await harness.open()
        let all = TestPayloads.records(1...25)
        for batch in stride(from: 0, to: all.count, by: 6) {
            try await store.append(Array(all[batch..<min(batch + 6, all.count)]))
        }
        var pages: [[JournalRecord]] = []
        var cursor: UInt64 = 0
        while true {
            let page = try await store.records(after: cursor, limit: 10)
            guard let last = page.last else { break }
            pages.append(page)
            cursor = last.sequence
        }
        #expect(pages.map(\.count) == [10, 10, 5])
        #expect(pages.flatMap { $0 } == all)
        #expect(try await store.records(after: 7, limit: 3).map(\.sequence) == [8, 9, 10])
        #expect(try await store.records(after: 0, limit: 0) == [])
        #expect(try await store.records(after: 0, limit: -1) == [])
        try await store.close()
    }

    /// The last sequence is `nil` for an empty journal, then the highest appended.
    private static func lastSequence(_ harness: some StoreHarness) async throws {
        let store = try await harness.open()
        #expect(try await store.lastSequence() == nil)
        try await store.append(TestPayloads.records([5]))
        #expect(try await store.lastSequence() == 5)
        try await store.append(TestPayloads.records([6, 9, 40]))
        #expect(try await store.lastSequence() == 40)
        try await store.close()
    }

    /// A batch with any sequence not above its predecessor, or starting at or below the last stored one, is
    /// refused whole.
    private static func rejectsNonIncreasingSequences(_ harness: some StoreHarness) async throws {
        let store = try await harness.open()
        try await expectRejected(store, [5, 4], StoreError.sequenceNotIncreasing(sequence: 4, last: 5))
        try await expectRejected(store, [5, 5], StoreError.sequenceNotIncreasing(sequence: 5, last: 5))
        #expect(try await store.lastSequence() == nil)

        let stored = TestPayloads.records([1, 2, 3])
        try await store.append(stored)
        try await expectRejected(store, [3], StoreError.sequenceNotIncreasing(sequence: 3, last: 3))
        try await expectRejected(store, [2, 10], StoreError.sequenceNotIncreasing(sequence: 2, last: 3))
        try await expectRejected(store, [4, 6, 6], StoreError.sequenceNotIncreasing(sequence: 6, last: 6))
        try await expectRejected(store, [4, 9, 8], StoreError.sequenceNotIncreasing(sequence: 8, last: 9))
        #expect(try await store.records(after: 0, limit: 100) == stored)
        #expect(try await store.lastSequence() == 3)

        try await store.append(TestPayloads.records([4]))
        #expect(try await store.lastSequence() == 4)
        try await store.close()
    }

    /// Sequence 0 (reserved for "before the start") and sequences above `Int64.max` are refused; nothing is stored.
    private static func rejectsSequencesOutOfRange(_ harness: some StoreHarness) async throws {
        let store = try await harness.open()
        try await expectRejected(store, [0, 1], StoreError.sequenceNotIncreasing(sequence: 0, last: 0))
        await #expect(throws: StoreError.self) {
            try await store.append(TestPayloads.records([1, UInt64(Int64.max) + 1]))
        }
        await #expect(throws: StoreError.self) {
            try await store.writeSnapshot(SnapshotRecord(sequence: UInt64.max, payload: [1]))
        }
        #expect(try await store.lastSequence() == nil)
        #expect(try await store.latestSnapshot() == nil)

        let largest = TestPayloads.records([UInt64(Int64.max)])
        try await store.append(largest)
        #expect(try await store.records(after: 0, limit: 10) == largest)
        #expect(try await store.records(after: UInt64(Int64.max) - 1, limit: 10) == largest)
        try await store.close()
    }

    /// An empty batch is accepted and stores nothing, even below the last stored sequence.
    private static func emptyBatchDoesNothing(_ harness: some StoreHarness) async throws {
        let store = try await harness.open()
        try await store.append([])
        #expect(try await store.lastSequence() == nil)
        try await store.append(TestPayloads.records([3]))
        try await store.append([])
        #expect(try await store.lastSequence() == 3)
        try await store.close()
    }

    /// Snapshots come back byte for byte: empty, small, and larger than one standard chunk.
    private static func snapshotRoundTrip(_ harness: some StoreHarness) async throws {
        let store = try await harness.open()
        #expect(try await store.latestSnapshot() == nil)
        for (sequence, size) in [(0, 0), (1, 10), (2, SnapshotChunking.defaultChunkSize + 12_345)] {
            let snapshot = SnapshotRecord(sequence: UInt64(sequence), payload: TestPayloads.bytes(count: size, seed: UInt64(sequence)))
            try await store.writeSnapshot(snapshot)
            let read = try await store.latestSnapshot()
            #expect(read?.sequence == snapshot.sequence)
            #expect(read?.payload.count == size)
            #expect(read == snapshot)
        }
        try await store.close()
    }

    /// With small chunks, payloads just below, at and above chunk boundaries come back whole.
    private static func snapshotChunkBoundaries(_ harness: some StoreHarness) async throws {
        let store = try await harness.open(chunking: try SnapshotChunking(chunkSize: 1000))
        for (offset, size) in [0, 1, 999, 1000, 1001, 3500, 2000].enumerated() {
            let snapshot = SnapshotRecord(sequence: UInt64(offset + 1), payload: TestPayloads.bytes(count: size, seed: UInt64(size)))
            try await store.writeSnapshot(snapshot)
            #expect(try await store.latestSnapshot() == snapshot, "payload of \(size) bytes in chunks of 1000")
        }
        try await store.close()
    }

    /// The snapshot with the highest sequence is the one read; rewriting a sequence replaces it (also with fewer
    /// chunks); writing an older one changes nothing.
    private static func latestSnapshotWins(_ harness: some StoreHarness) async throws {
        let store = try await harness.open(chunking: try SnapshotChunking(chunkSize: 1000))
        let at10 = SnapshotRecord(sequence: 10, payload: TestPayloads.bytes(count: 4200, seed: 10))
        let at20 = SnapshotRecord(sequence: 20, payload: TestPayloads.bytes(count: 3500, seed: 20))
        let at20Again = SnapshotRecord(sequence: 20, payload: TestPayloads.bytes(count: 700, seed: 21))
        let at15 = SnapshotRecord(sequence: 15, payload: TestPayloads.bytes(count: 900, seed: 15))
        try await store.writeSnapshot(at10)
        try await store.writeSnapshot(at20)
        #expect(try await store.latestSnapshot() == at20)
        try await store.writeSnapshot(at20Again)
        #expect(try await store.latestSnapshot() == at20Again)
        try await store.writeSnapshot(at15)
        #expect(try await store.latestSnapshot() == at20Again)
        try await store.close()
    }

    /// A batch that fails inside the database stores none of its records, and a snapshot write that fails after some
    /// chunks keeps the previous snapshot (the failures are injected by a trigger).
    private static func failedWritesLeaveNoTrace(_ harness: some StoreHarness) async throws {
        let store = try await harness.open(chunking: try SnapshotChunking(chunkSize: 1000))
        let journal = TestPayloads.records([1, 2])
        let previous = SnapshotRecord(sequence: 2, payload: TestPayloads.bytes(count: 1500, seed: 2))
        try await store.append(journal)
        try await store.writeSnapshot(previous)
        try await harness.injectWriteFailures(into: store)

        await #expect(throws: StoreError.self) { try await store.append(TestPayloads.records([998, 999, 1000, 1001])) }
        #expect(try await store.records(after: 0, limit: 100) == journal)
        #expect(try await store.lastSequence() == 2)

        let failing = SnapshotRecord(sequence: 999, payload: TestPayloads.bytes(count: 3500, seed: 999))
        await #expect(throws: StoreError.self) { try await store.writeSnapshot(failing) }
        #expect(try await store.latestSnapshot() == previous)

        let fits = SnapshotRecord(sequence: 999, payload: TestPayloads.bytes(count: 1800, seed: 998))
        try await store.append(TestPayloads.records([998, 999]))
        try await store.writeSnapshot(fits)
        #expect(try await store.latestSnapshot() == fits)
        #expect(try await store.lastSequence() == 999)
        try await store.close()
    }

    /// A new instance on the same database reads back the journal and snapshot, and keeps refusing old sequences.
    private static func reopenReadsEverything(_ harness: some StoreHarness) async throws {
        let journal = TestPayloads.records([1, 2, 3, 10, 11])
        let snapshot = SnapshotRecord(sequence: 10, payload: TestPayloads.bytes(count: 2500, seed: 99))
        let first = try await harness.open(chunking: try SnapshotChunking(chunkSize: 1000))
        try await first.append(Array(journal[0..<3]))
        try await first.append(Array(journal[3...]))
        try await first.writeSnapshot(snapshot)
        try await first.close()

        let second = try await harness.open()
        #expect(try await second.records(after: 0, limit: 100) == journal)
        #expect(try await second.lastSequence() == 11)
        #expect(try await second.latestSnapshot() == snapshot)
        try await expectRejected(second, [11], StoreError.sequenceNotIncreasing(sequence: 11, last: 11))
        let more = TestPayloads.records([12])
        try await second.append(more)
        try await second.close()

        let third = try await harness.open()
        #expect(try await third.records(after: 0, limit: 100) == journal + more)
        try await third.close()
    }

    /// After `close()` every call fails with `unavailable`; closing again is harmless.
    private static func closedStoreRefusesCalls(_ harness: some StoreHarness) async throws {
        let store = try await harness.open()
        try await store.append(TestPayloads.records([1]))
        try await store.close()
        try await store.close()
        let refused: [(String, () async throws(StoreError) -> Void)] = [
            ("append", { () async throws(StoreError) in try await store.append(TestPayloads.records([2])) }),
            ("records", { () async throws(StoreError) in _ = try await store.records(after: 0, limit: 1) }),
            ("lastSequence", { () async throws(StoreError) in _ = try await store.lastSequence() }),
            ("writeSnapshot", { () async throws(StoreError) in try await store.writeSnapshot(SnapshotRecord(sequence: 1, payload: [])) }),
            ("latestSnapshot", { () async throws(StoreError) in _ = try await store.latestSnapshot() }),
        ]
        for (name, call) in refused {
            do {
                try await call()
                Issue.record("\(name) succeeded on a closed store")
            } catch {
                guard case .unavailable = error else {
                    Issue.record("\(name) on a closed store threw \(error), expected unavailable")
                    continue
                }
            }
        }
    }

    /// Expects `append` of records with these sequences to fail with `expected` and store nothing.
    private static func expectRejected(
        _ store: any EventStore, _ sequences: [UInt64], _ expected: StoreError,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let before = try await store.records(after: 0, limit: 1000)
        await #expect(throws: expected, sourceLocation: sourceLocation) {
            try await store.append(TestPayloads.records(sequences))
        }
        #expect(try await store.records(after: 0, limit: 1000) == before, sourceLocation: sourceLocation)
    }
}
