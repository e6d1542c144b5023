import BallastCore
import BallastEngine

/// The engine behind a durable journal, with group commit: events are applied in memory by one writer (this actor)
/// and acknowledged only once the batch holding them is stored; concurrent submissions share one write.
///
/// **Nothing acknowledged is lost.** ``submit(_:)`` returns an event's outcome only after the journal holds every
/// accepted event up to it. If a write fails, the events applied in memory since the last durable write were never
/// acknowledged; the engine stops accepting events (``DurableEngineError/failed(_:)``) and a restart rebuilds the
/// state from the store, where those events are absent, so nothing is half-applied.
///
/// **Restart** = the latest snapshot + the journal after it (``open(store:documents:genesis:)``). A store is created
/// with a snapshot at sequence 0 (the genesis state), so there is always one to start from.
public actor DurableEngine {
    private var engine: Engine
    private let store: any EventStore
    private let documents: any EngineDocumentReader
    /// Accepted events not yet written, by submission (encoded by the write, off the actor).
    private var buffer: [AcceptedEvents] = []
    /// Signals of those events, published once they are durable.
    private var bufferedSignals: [Signal] = []
    /// Whether a journal write is running.
    private var writing = false
    /// The last sequence number the journal holds.
    public private(set) var durableSequence: UInt64
    /// Submissions waiting for the running write, resumed when it ends to check again.
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var failure: StoreError?
    private let signalContinuation: AsyncStream<Signal>.Continuation
    /// Signals of durable events, in order. One consumer; it may fall behind (the stream buffers).
    public nonisolated let signals: AsyncStream<Signal>
    /// Accepted events since the last snapshot.
    private var sinceSnapshot = 0
    /// Take a snapshot after this many accepted events (`nil`: only when asked).
    public let snapshotInterval: Int?

    private init(engine: Engine, store: any EventStore, documents: any EngineDocumentReader, snapshotInterval: Int?) {
        self.engine = engine
        self.store = store
        self.documents = documents
        self.snapshotInterval = snapshotInterval
        durableSequence = engine.lastSequence
        (signals, signalContinuation) = AsyncStream.makeStream(of: Signal.self, bufferingPolicy: .unbounded)
    }

    /// Opens the engine stored in `store`: the latest snapshot and every journal record after it. An empty store is
    /// initialised from `genesis` (a genesis document `documents` can read), with a snapshot at sequence 0. A stored
    /// engine must have been started from the same `genesis`, unless `genesisForNewStoreOnly` (a genesis made at start,
    /// such as the demo's, which is dated): then an existing store keeps its own.
    /// - Throws: ``DurableEngineError`` if the store is empty and no genesis is given, if a given genesis differs from
    ///   the stored one, or if stored data cannot be read.
    public static func open(store: any EventStore, documents: any EngineDocumentReader, genesis: String? = nil,
                            genesisForNewStoreOnly: Bool = false, snapshotInterval: Int? = nil) async throws(DurableEngineError)
        -> DurableEngine {
        let engine: Engine
        do {
            if let restored = try await restore(store: store, documents: documents) {
                if let genesis, !genesisForNewStoreOnly, genesis != restored.genesisDocument { throw DurableEngineError.genesisMismatch }
                engine = restored
            } else {
                guard let genesis else { throw DurableEngineError.emptyStore }
                guard try await store.lastSequence() == nil else { throw DurableEngineError.corrupt("a journal without a genesis snapshot") }
                let fresh: Engine
                do {
                    fresh = Engine(genesis: try documents.genesis(genesis))
                } catch {
                    throw DurableEngineError.invalidGenesis("\(error)")
                }
                try await store.writeSnapshot(SnapshotRecord(sequence: 0, payload: SnapshotCodec.encode(fresh)))
                engine = fresh
            }
        } catch let error as DurableEngineError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch let error as CodecError {
            throw .corrupt(error.description)
        } catch {
            throw .corrupt("\(error)")
        }
        return DurableEngine(engine: engine, store: store, documents: documents, snapshotInterval: snapshotInterval)
    }

    /// The state a restart reaches: the latest snapshot plus every journal record after it (`nil` for a store
    /// without a snapshot).
    /// - Throws: ``StoreError``, ``CodecError``, or ``DurableEngineError/corrupt(_:)`` when a record does not apply.
    public static func restore(store: any EventStore, documents: any EngineDocumentReader) async throws -> Engine? {
        guard let snapshot = try await store.latestSnapshot() else { return nil }
        var engine = try SnapshotCodec.decode(snapshot.payload, documents: documents)
        try await replay(into: &engine, store: store, documents: documents)
        return engine
    }

    /// Applies the journal records after the engine's last sequence, read 4,096 at a time and applied as batches
    /// (``Engine/apply(_:assigningSequences:_:)``). A parameter change is decoded against the parameters in force after
    /// every record before it, so the records decoded before it are applied first; other events decode without the
    /// state.
    /// - Throws: ``StoreError``, ``CodecError``, or ``DurableEngineError/corrupt(_:)`` when a record does not apply (the
    ///   engine has then applied the records of its batch, and must be discarded).
    public static func replay(into engine: inout Engine, store: any EventStore, documents: any EngineDocumentReader) async throws {
        let catalog = engine.catalog  // fixed at genesis
        while true {
            let records = try await store.records(after: engine.lastSequence, limit: 4_096)
            if records.isEmpty { return }
            var pending: [EngineEvent] = []
            var failure: (any Error)?
            /// Applies the pending events; records the first that does not apply.
            func flush() {
                engine.apply(pending) { _, sequence, outcome in
                    guard failure == nil else { return }
                    if case .applied = outcome { return }
                    failure = DurableEngineError.corrupt("journal record \(sequence) does not apply to the state before it")
                }
                pending.removeAll(keepingCapacity: true)
            }
            for record in records {
                let event: EngineEvent
                do {
                    event = try EventCodec.decode(record.payload, catalog: catalog) { document in
                        flush()
                        if let failure { throw failure }
                        return try documents.parameters(document, over: engine.latestParameters, catalog: catalog)
                    }
                } catch {
                    throw failure ?? error
                }
                guard event.sequence == record.sequence else {
                    throw DurableEngineError.corrupt("journal record \(record.sequence) holds event \(event.sequence)")
                }
                pending.append(event)
            }
            flush()
            if let failure { throw failure }
        }
    }

    /// Applies events in order and returns their outcomes once every accepted one is durable.
    /// - Throws: ``DurableEngineError/failed(_:)`` if the journal cannot be written (then nothing of this call is
    ///   acknowledged, and the engine accepts no more events until it is reopened).
    public func submit(_ events: [EngineEvent]) async throws(DurableEngineError) -> [EventOutcome] {
        try await submit(events, assigningSequences: false).map(\.outcome)
    }

    /// Applies events in order, as ``submit(_:)``; with `assigningSequences`, an event whose sequence number is 0
    /// (never valid) gets the next one after the last accepted event at the moment it is applied, so concurrent
    /// producers without a sequence of their own (the HTTP API) are ordered by arrival. Returns each event's sequence
    /// number (as applied, or as given) with its outcome.
    /// - Throws: ``DurableEngineError/failed(_:)`` as ``submit(_:)``.
    public func submit(_ events: [EngineEvent], assigningSequences: Bool) async throws(DurableEngineError)
        -> [(sequence: UInt64, outcome: EventOutcome)] {
        if let failure { throw .failed(failure) }
        var results: [(sequence: UInt64, outcome: EventOutcome)] = []
        results.reserveCapacity(events.count)
        var accepted = AcceptedEvents(of: events)
        var signals: [Signal] = []
        // Only locals in the closure: the actor's own properties would be checked for exclusive access at each use.
        engine.apply(events, assigningSequences: assigningSequences) { position, sequence, outcome in
            if case .applied(let caused) = outcome {
                accepted.accept(position: position, sequence: sequence)
                signals.append(contentsOf: caused)
            }
            results.append((sequence, outcome))
        }
        if accepted.count > 0 {
            buffer.append(accepted)
            bufferedSignals.append(contentsOf: signals)
            sinceSnapshot += accepted.count
        }
        // Every outcome waits for the journal to hold everything accepted so far: a duplicate of an event whose batch
        // is still being written, or a rejection that depends on it, must not be answered before that event is safe.
        try await waitUntilDurable(engine.lastSequence)
        if let interval = snapshotInterval, sinceSnapshot >= interval {
            try? await snapshot()
        }
        return results
    }

    /// Returns once the journal holds every event up to `target`: a leader/follower group commit.
    ///
    /// If no write is running, this task writes everything accepted so far in one transaction (the write runs off the
    /// actor, which meanwhile applies the next submissions into the buffer); otherwise it waits for the running write.
    /// After each write every waiter checks again: one whose events are now durable returns, the first whose events
    /// are not starts the next write with everything accepted meanwhile. No task outlives the submissions.
    /// - Throws: ``DurableEngineError/failed(_:)`` if the journal cannot be written.
    private func waitUntilDurable(_ target: UInt64) async throws(DurableEngineError) {
        while target > durableSequence {
            if let failure { throw .failed(failure) }
            guard !writing else {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in waiters.append(continuation) }
                continue
            }
            guard let last = buffer.last?.lastSequence else {
                // Unreachable: what is accepted and not durable is in the buffer when no write is running.
                throw .failed(.database("sequence \(target) is neither durable nor waiting to be written"))
            }
            writing = true
            let batch = buffer
            let signals = bufferedSignals
            buffer = []
            bufferedSignals = []
            let error = await Self.write(batch, to: store)
            writing = false
            if let error {
                failure = error
            } else {
                durableSequence = last
                for signal in signals { signalContinuation.yield(signal) }
            }
            let woken = waiters
            waiters.removeAll()
            for waiter in woken { waiter.resume() }
        }
    }

    /// Encodes `batch` and appends it to `store` (off the actor, so the actor goes on applying meanwhile); the error,
    /// if the write fails. The write runs in a task of its own, awaited here, because the submission that leads it may
    /// be cancelled (a client that goes away) and a cancelled write would stop the engine.
    private nonisolated static func write(_ batch: [AcceptedEvents], to store: any EventStore) async -> StoreError? {
        await Task { await append(batch, to: store) }.value
    }

    /// Encodes `batch` as journal records and appends them to `store`; the error, if the write fails.
    private nonisolated static func append(_ batch: [AcceptedEvents], to store: any EventStore) async -> StoreError? {
        var writer = BinaryWriter(capacity: 128)
        var records: [JournalRecord] = []
        records.reserveCapacity(batch.reduce(0) { $0 + $1.count })
        for submission in batch { submission.encode(into: &records, writer: &writer) }
        do {
            try await store.append(records)
            return nil
        } catch {
            return error
        }
    }

    /// Applies one event (see ``submit(_:)``).
    public func submit(_ event: EngineEvent) async throws(DurableEngineError) -> EventOutcome {
        try await submit([event])[0]
    }

    /// Writes a snapshot of the current state, once the journal holds every event it includes (so a snapshot never
    /// holds an event a crash could still take away from the journal).
    /// - Throws: ``DurableEngineError``.
    public func snapshot() async throws(DurableEngineError) {
        if let failure { throw .failed(failure) }
        let payload = SnapshotCodec.encode(engine)
        let sequence = engine.lastSequence
        sinceSnapshot = 0
        try await waitUntilDurable(sequence)
        do {
            try await store.writeSnapshot(SnapshotRecord(sequence: sequence, payload: payload))
        } catch {
            throw .store(error)
        }
    }

    /// Whether a journal write failed (then the engine accepts no events until it is reopened).
    public var hasFailed: Bool { failure != nil }

    /// Runs `body` on the current state (including accepted events whose batch is still being written).
    public func read<T: Sendable>(_ body: (borrowing Engine) throws -> T) rethrows -> T {
        try body(engine)
    }

    /// Waits until every accepted event is durable (unless the journal has failed), then closes the store.
    /// - Throws: ``DurableEngineError``.
    public func close() async throws(DurableEngineError) {
        if failure == nil { try? await waitUntilDurable(engine.lastSequence) }
        signalContinuation.finish()
        do {
            try await store.close()
        } catch {
            throw .store(error)
        }
    }
}

/// Why the durable engine could not open or go on.
public enum DurableEngineError: Error, Sendable, CustomStringConvertible {
    /// The store holds nothing and no genesis was given.
    case emptyStore
    /// The given genesis document differs from the stored one.
    case genesisMismatch
    /// The genesis document cannot be read.
    case invalidGenesis(String)
    /// Stored data cannot be read or replayed.
    case corrupt(String)
    /// A store operation failed.
    case store(StoreError)
    /// The journal could not be written: events since the last durable write are not acknowledged, and the engine
    /// must be reopened.
    case failed(StoreError)

    /// A sentence.
    public var description: String {
        switch self {
        case .emptyStore: return "the store is empty: give a genesis document (ballast.market/1) to start an engine"
        case .genesisMismatch: return "the store was started from a different genesis document"
        case .invalidGenesis(let reason): return "genesis document: \(reason)"
        case .corrupt(let reason): return "stored engine data cannot be read: \(reason)"
        case .store(let error): return error.description
        case .failed(let error): return "the journal could not be written (\(error)); nothing since the last durable write is acknowledged: reopen the engine"
        }
    }
}
