import BallastCore
import BallastEngine
import BallastStore
import Foundation
import Testing

/// The engine behind a SQLite journal: restart reaches the same state, an event is acknowledged only once its batch
/// is durable and concurrent submissions share a write, and a failed write acknowledges nothing.
@Suite("Durable engine")
struct DurableEngineTests {
    typealias F = EngineFixture

    /// Counts submissions that have returned.
    actor Returned {
        private(set) var count = 0
        func add() { count += 1 }
    }

    /// Fills in a parameter change's parameters (a name the fixture knows) over the engine's latest ones.
    static func resolved(_ event: EngineEvent, over latest: RiskParameters) throws -> EngineEvent {
        guard case .parameters(var change) = event.body else { return event }
        var event = event
        change.parameters = try F.parameterChange(change.document, over: latest)
        event.body = .parameters(change)
        return event
    }

    /// Reopens `store` (its latest snapshot and the journal after it) and checks that the restart reaches `reference`:
    /// its last sequence and its state hash.
    static func reopen(_ store: any EventStore, matching reference: Engine) async throws -> DurableEngine {
        let reopened = try await DurableEngine.open(store: store, documents: F.Documents(), genesis: F.document)
        #expect(await reopened.read { $0.lastSequence } == reference.lastSequence)
        #expect(await reopened.read { $0.stateHash } == reference.stateHash)
        return reopened
    }

    /// Waits (up to 10 s) until `condition` holds.
    static func eventually(_ condition: () async -> Bool) async throws {
        for _ in 0..<10_000 {
            if await condition() { return }
            try await Task.sleep(nanoseconds: 1_000_000)
        }
        Issue.record("condition not reached in 10 s")
    }

    @Test("restart from the latest snapshot and the journal reaches the live state hash; outcomes equal an in-memory engine")
    func restart() async throws {
        let files = TemporaryStore()
        defer { files.remove() }
        let durable = try await DurableEngine.open(store: try files.open(), documents: F.Documents(), genesis: F.document, snapshotInterval: 1_500)
        var reference = Engine(genesis: try F.genesis())
        var stream = RandomStream(seed: 0xD0_AB1E, accountCount: 24)
        var events = stream.opening()
        for _ in 0..<4_000 { events.append(stream.next()) }

        var batch: [EngineEvent] = []
        var expected: [EventOutcome] = []
        var outcomes: [EventOutcome] = []
        func submitBatch() async throws {
            outcomes += try await durable.submit(batch)
            batch.removeAll()
        }
        var sizes = SeededGenerator(seed: 7)
        for raw in events {
            if case .parameters = raw.body { try await submitBatch() }
            let event = try Self.resolved(raw, over: reference.latestParameters)
            expected.append(reference.apply(event))
            batch.append(event)
            if batch.count >= Int(1 + sizes.next() % 50) || { if case .parameters = raw.body { return true } else { return false } }() {
                try await submitBatch()
            }
        }
        try await submitBatch()
        #expect(outcomes == expected)
        #expect(await durable.read { $0.stateHash } == reference.stateHash)
        #expect(await durable.durableSequence == reference.lastSequence)
        try await durable.close()

        let store = try files.open()
        let snapshot = try #require(try await store.latestSnapshot())
        #expect(snapshot.sequence > 0 && snapshot.sequence < reference.lastSequence, "a snapshot was taken and the journal replayed after it")
        let reopened = try await Self.reopen(store, matching: reference)
        // The restarted engine goes on exactly like the reference.
        let more = try Self.resolved(stream.next(), over: reference.latestParameters)
        #expect(try await reopened.submit(more) == reference.apply(more))
        #expect(await reopened.read { $0.stateHash } == reference.stateHash)
        try await reopened.close()

        await #expect(throws: DurableEngineError.self) {
            _ = try await DurableEngine.open(store: try files.open(), documents: F.Documents(), genesis: "another genesis")
        }
        let empty = TemporaryStore()
        defer { empty.remove() }
        await #expect(throws: DurableEngineError.self) {
            _ = try await DurableEngine.open(store: try empty.open(), documents: F.Documents())
        }
    }

    @Test("a restart replays a journal where one parameter change builds on another in the same read: the second decodes over the first")
    func replayOfStackedParameterChanges() async throws {
        let files = TemporaryStore()
        defer { files.remove() }
        var stream = RandomStream(seed: 0x57AC, accountCount: 12)
        var events = stream.opening()
        func changes() -> [EngineEvent] {
            (0..<150).map { _ in stream.next() }.filter { if case .parameters = $0.body { false } else { true } }
        }
        // Each document is applied over the parameters before it: the ETH haircut, then the maintenance line, which
        // keeps that haircut only if it is decoded after the first change is applied.
        for (version, document) in [(2, "eth-haircut-50"), (3, "maintenance-line")] {
            events += changes()
            events.append(stream.script.next(.parameters(ParameterChange(version: version, effective: stream.script.time, document: document,
                                                                          parameters: RiskParameters(catalog: Catalog())))))
        }
        events += changes()
        var reference = Engine(genesis: try F.genesis())
        let durable = try await DurableEngine.open(store: try files.open(), documents: F.Documents(), genesis: F.document)
        for raw in events {
            let event = try Self.resolved(raw, over: reference.latestParameters)
            let expected = reference.apply(event)
            #expect(try await durable.submit([event]) == [expected])
        }
        try await durable.close()
        // Only the genesis snapshot: the whole journal is replayed, in one read of fewer than 4,096 records.
        let reopened = try await Self.reopen(try files.open(), matching: reference)
        // The state hash holds the documents, not the parameters built from them: compare those, and the pools'
        // states they give.
        let haircut = reference.latestParameters.collateral[F.eth.index]
        #expect(haircut.tiers.first?.ratio == 0.5)
        #expect(await reopened.read { $0.latestParameters.collateral[F.eth.index] } == haircut)
        #expect(await reopened.read { $0.accountStatus } == reference.accountStatus)
        try await reopened.close()
    }

    @Test("events numbered on arrival are journaled under the sequence they were applied under, rejected ones not at all")
    func arrivalNumbering() async throws {
        let files = TemporaryStore()
        defer { files.remove() }
        var stream = RandomStream(seed: 0xA5516, accountCount: 16)
        var raws = stream.opening()
        for _ in 0..<1_500 { raws.append(stream.next()) }
        // One at a time, numbering each event just before it is applied.
        var reference = Engine(genesis: try F.genesis())
        var events: [EngineEvent] = []
        var expected: [(sequence: UInt64, outcome: EventOutcome)] = []
        for raw in raws {
            var event = try Self.resolved(raw, over: reference.latestParameters)
            event.sequence = 0
            events.append(event)
            event.sequence = reference.lastSequence + 1
            expected.append((event.sequence, reference.apply(event)))
        }
        #expect(expected.contains { if case .rejected = $0.outcome { true } else { false } })
        let durable = try await DurableEngine.open(store: try files.open(), documents: F.Documents(), genesis: F.document)
        var results: [(sequence: UInt64, outcome: EventOutcome)] = []
        var start = 0
        var sizes = SeededGenerator(seed: 11)
        while start < events.count {
            let end = min(events.count, start + Int(1 + sizes.next() % 60))
            results += try await durable.submit(Array(events[start..<end]), assigningSequences: true)
            start = end
        }
        #expect(results.map(\.sequence) == expected.map(\.sequence))
        #expect(results.map(\.outcome) == expected.map(\.outcome))
        try await durable.close()

        let store = try files.open()
        let records = try await store.records(after: 0, limit: 10_000)
        let accepted = expected.filter(\.outcome.isAccepted).map(\.sequence)
        #expect(records.map(\.sequence) == accepted)
        try await Self.reopen(store, matching: reference).close()
    }

    @Test("group commit: events submitted while a write is under way share the next write, and none returns before it is durable")
    func groupCommit() async throws {
        let files = TemporaryStore()
        defer { files.remove() }
        let store = GatedStore(try files.open(), gated: true)
        let durable = try await DurableEngine.open(store: store, documents: F.Documents(), genesis: F.document)
        var script = EventScript()
        let events = (0..<20).map { script.next(.openAccount(AccountOpening(account: "a\($0)"))) }
        let returned = Returned()
        var tasks: [Task<EventOutcome, any Error>] = []
        for (i, event) in events.enumerated() {
            tasks.append(Task {
                let outcome = try await durable.submit(event)
                await returned.add()
                return outcome
            })
            // Submit in order: the next one starts once this one is applied in memory.
            try await Self.eventually { await durable.read { $0.lastSequence } == UInt64(i + 1) }
            if i == 0 { try await Self.eventually { await store.waitingAtGate } }
        }
        // A repeat of an event still being written is not acknowledged before it is durable either.
        let repeated = Task {
            let outcome = try await durable.submit(events[7])
            await returned.add()
            return outcome
        }
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(await returned.count == 0)
        #expect(await durable.durableSequence == 0)

        await store.open()
        for task in tasks { #expect(try await task.value == .applied([])) }
        #expect(try await repeated.value == .duplicate)
        #expect(await store.appends == 2, "the first event alone, then the 19 that arrived while it was written")
        #expect(await store.appendedRecords == 20)
        #expect(await durable.durableSequence == 20)
        try await durable.close()
    }

    @Test("a submission cancelled while its write is under way still ends durable, and the engine goes on")
    func cancelledSubmitter() async throws {
        let files = TemporaryStore()
        defer { files.remove() }
        let store = GatedStore(try files.open(), gated: true)
        let durable = try await DurableEngine.open(store: store, documents: F.Documents(), genesis: F.document)
        var script = EventScript()
        let first = script.next(.openAccount(AccountOpening(account: "a0")))
        let task = Task { try await durable.submit(first) }
        try await Self.eventually { await store.waitingAtGate }
        // The client goes away while its events are written: the write must not be cancelled with it (SQLite would
        // stop and the engine with it).
        task.cancel()
        await store.open()
        _ = try? await task.value
        try await Self.eventually { await durable.durableSequence == 1 }
        #expect(await !durable.hasFailed)
        #expect(try await durable.submit(script.next(.openAccount(AccountOpening(account: "a1")))) == .applied([]))
        #expect(await durable.durableSequence == 2)
        try await durable.close()
    }

    @Test("a failed journal write acknowledges nothing of its batch; a restart has exactly the durable events")
    func failedWrite() async throws {
        let files = TemporaryStore()
        defer { files.remove() }
        let store = GatedStore(try files.open(), gated: false)
        let durable = try await DurableEngine.open(store: store, documents: F.Documents(), genesis: F.document)
        var reference = Engine(genesis: try F.genesis())
        var stream = RandomStream(seed: 99, accountCount: 8)
        let opening = stream.opening()
        for event in opening { _ = reference.apply(event) }
        _ = try await durable.submit(opening)

        await store.closeGate()
        let doomed = (0..<30).map { _ in stream.next() }.filter { if case .parameters = $0.body { false } else { true } }
        let task = Task { try await durable.submit(doomed) }
        try await Self.eventually { await store.waitingAtGate }
        await store.failFromNowOn()
        await store.open()
        await #expect(throws: DurableEngineError.self) { _ = try await task.value }
        await #expect(throws: DurableEngineError.self) { _ = try await durable.submit(stream.next()) }
        try? await durable.close()

        let reopened = try await DurableEngine.open(store: try files.open(), documents: F.Documents())
        #expect(await reopened.read { $0.lastSequence } == reference.lastSequence)
        #expect(await reopened.read { $0.stateHash } == reference.stateHash)
        try await reopened.close()
    }
}
