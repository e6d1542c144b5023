import BallastCore
import BallastEngine
import BallastIO
import BallastStore
import Foundation
import HTTPTypes
import Logging
import Synchronization

/// The running risk service behind the HTTP API: the durable engine, who may see what, the signal streams and the
/// metrics. Every route goes through it; it owns no state of its own beyond them.
public final class RiskService: Sendable {
    /// The engine (one writer, group commit, acknowledged = durable).
    public let engine: DurableEngine
    /// Reads genesis and parameter documents.
    public let documents: EngineDocuments
    /// Assets and instruments (fixed at genesis).
    public let catalog: Catalog
    /// The API keys.
    public let keys: APIKeyStore
    /// The metrics.
    public let metrics: ServiceMetrics
    /// The WebSocket fan-out.
    public let hub: StreamHub
    /// How the service runs.
    public let configuration: ServerConfiguration
    /// Account reads by engine sequence.
    let reports = ReportCache(capacity: 16_384)
    /// The last engine summary (it walks every account: computed once per engine sequence, however many streams and
    /// scrapes ask).
    private let lastSummary = Mutex<EngineStateSummary?>(nil)
    /// The engine's last sequence as of the submissions answered so far (the highest applied sequence among them, or
    /// the restored one): an answer cached at this sequence is current for every acknowledged event, so it is served
    /// without waiting for the engine's writer, which may be busy re-margining the book on a newer, unanswered event.
    private let settledSequence: Atomic<UInt64>

    private init(engine: DurableEngine, catalog: Catalog, sequence: UInt64, configuration: ServerConfiguration) {
        self.engine = engine
        self.catalog = catalog
        settledSequence = Atomic(sequence)
        self.configuration = configuration
        documents = EngineDocuments()
        keys = APIKeyStore(directory: configuration.dataDirectory)
        metrics = ServiceMetrics()
        hub = StreamHub(capacity: configuration.streamBuffer)
    }

    /// Opens the store (creating it from the configuration's genesis if it is new) and restores the engine. With
    /// `genesisForNewStoreOnly`, the genesis only starts a new store and an existing store keeps its own (the demo's
    /// genesis is dated when it starts); otherwise a genesis that differs from the stored one is an error.
    /// - Throws: ``DurableEngineError`` or ``StoreError`` when the store cannot be opened or restored.
    public static func open(_ configuration: ServerConfiguration, genesisForNewStoreOnly: Bool = false) async throws -> RiskService {
        let store = try await configuration.store.open()
        let documents = EngineDocuments()
        let engine = try await DurableEngine.open(store: store, documents: documents, genesis: configuration.genesis,
                                                  genesisForNewStoreOnly: genesisForNewStoreOnly,
                                                  snapshotInterval: configuration.snapshotInterval)
        let (catalog, sequence) = await engine.read { ($0.catalog, $0.lastSequence) }
        return RiskService(engine: engine, catalog: catalog, sequence: sequence, configuration: configuration)
    }

    // MARK: Events

    /// Decodes and applies a submission (one event object or an array), answering once every accepted event is
    /// durable. Events without `seq` are sequenced on arrival; without `time` they happen `now`.
    /// - Throws: ``APIError``: 400 for an unreadable body (nothing applied), 503 when the journal failed.
    func submit(_ body: Data, now: Date = Date()) async throws(APIError) -> (document: Data, single: Bool, rejected: Bool) {
        let started = ContinuousClock.now
        let timestamp = Timestamp(now)
        let latest = await engine.read { $0.latestParameters }
        let events: [EngineEvent]
        let isBatch: Bool
        do throws(InputError) {
            (events, isBatch) = try EventJSON.decodeSubmission(body, catalog: catalog, latest: latest, documents: documents, now: timestamp)
        } catch {
            throw APIError(error)
        }
        guard !events.isEmpty else { throw APIError(.badRequest, code: "invalid_request", message: "the submission holds no event") }
        guard events.count <= configuration.maxBatchEvents else {
            throw APIError(.contentTooLarge, code: "too_large",
                           message: "\(events.count) events exceed the limit of \(configuration.maxBatchEvents) per submission")
        }
        let results = try await apply(events, since: started)
        let last = await engine.durableSequence
        let document = SubmissionDocument.encode(events, results: results, catalog: catalog, lastSequence: last)
        let rejected = results.contains { if case .rejected = $0.outcome { return true } else { return false } }
        return (document, !isBatch, rejected)
    }

    /// Applies events (sequence 0: assigned on arrival) and counts their outcomes and latencies, from `started`.
    /// - Throws: ``APIError`` 503 when the journal failed.
    func apply(_ events: [EngineEvent], since started: ContinuousClock.Instant = .now) async throws(APIError)
        -> [(sequence: UInt64, outcome: EventOutcome)] {
        let results: [(sequence: UInt64, outcome: EventOutcome)]
        do {
            results = try await engine.submit(events, assigningSequences: true)
        } catch {
            throw APIError(.serviceUnavailable, code: "journal_failed", message: error.description)
        }
        let elapsed = ContinuousClock.now - started
        let applied = results.lazy.filter { if case .applied = $0.outcome { return true } else { return false } }.map(\.sequence).max()
        if let applied { settledSequence.max(applied, ordering: .releasing) }
        var tick = false
        for (event, result) in zip(events, results) {
            metrics.record(result.outcome)
            if case .prices = event.body, case .applied(let signals) = result.outcome, !signals.isEmpty { tick = true }
        }
        metrics.recordSubmission(nanoseconds: elapsed.nanoseconds, tick: tick)
        return results
    }

    // MARK: Visibility

    /// Whether `identity` may see `account`: an admin sees every account; an account key its own account and the
    /// other members of its margin group. An unknown account is invisible to everyone (the caller answers 404 for
    /// both, so existence never leaks).
    func canSee(_ identity: Identity?, account: String) async -> Bool {
        await engine.read { Self.canSee(identity, account: account, in: $0) }
    }

    /// Whether `identity` may see `account` in `engine` (see ``canSee(_:account:)``).
    static func canSee(_ identity: Identity?, account: String, in engine: Engine) -> Bool {
        guard let identity, let target = engine.accountIndex(of: account) else { return false }
        switch identity {
        case .admin: return true
        case .account(_, let own):
            if own == account { return true }
            guard let mine = engine.accountIndex(of: own) else { return false }
            let group = engine.accountGroup[Int(mine)]
            return group >= 0 && engine.accountGroup[Int(target)] == group
        }
    }

    /// The snapshot of `account`'s pool, if `identity` may see it (one read of the engine; the answer is computed
    /// from the snapshot afterwards, off the engine's writer).
    /// - Throws: ``APIError`` 404 when the account is invisible to the caller or does not exist.
    func visibleSnapshot(_ identity: Identity?, account: String) async throws(APIError) -> PoolSnapshot {
        let snapshot: PoolSnapshot? = await engine.read { engine in
            guard Self.canSee(identity, account: account, in: engine) else { return nil }
            return try? PoolSnapshot(engine, account: account)
        }
        guard let snapshot else { throw APIError.accountNotFound(account) }
        return snapshot
    }

    /// The `kind` answer for `account` cached at the settled sequence, if `identity` may see the account without asking
    /// the engine (an admin, or the account's own key): served at once, even while the writer applies a newer event.
    func settledAnswer(_ kind: ReportCache.Kind, _ identity: Identity?, account: String) -> Data? {
        switch identity {
        case .admin: break
        case .account(_, let own) where own == account: break
        default: return nil
        }
        return reports.cached(kind, account: account, sequence: settledSequence.load(ordering: .acquiring))
    }

    /// The stream filter of `account` (its group, if any).
    func filter(account: String) async -> StreamHub.Filter {
        await engine.read { engine in
            let group = engine.accountIndex(of: account).flatMap { index -> String? in
                let group = engine.accountGroup[Int(index)]
                return group >= 0 ? engine.groups[Int(group)].id : nil
            }
            return .account(id: account, group: group)
        }
    }

    /// The engine summary (ledger, pools by state, state hash) at the current sequence.
    func summary() async -> EngineStateSummary {
        await engine.read { engine in
            if let cached = lastSummary.withLock({ $0 }), cached.lastSequence == engine.lastSequence { return cached }
            let summary = SystemQueries.system(engine)
            lastSummary.withLock { $0 = summary }
            return summary
        }
    }

    // MARK: Signals

    /// Publishes the engine's signals (once durable) to the streams and counts them, until the engine closes.
    public func pumpSignals() async {
        for await signal in engine.signals {
            metrics.record(signal)
            // A client dropped here is counted by its stream route when it closes it.
            hub.publish(SubmissionDocument.signal(signal, catalog: catalog), subject: signal.subject)
        }
    }

    /// Ends the streams, waits until every accepted event is durable, and closes the store.
    /// - Throws: ``DurableEngineError`` if the store fails to close.
    public func close() async throws {
        hub.finishAll()
        try await engine.close()
    }
}
