import BallastEngine
import BallastStore

/// Rebuilds an engine from a store without opening it for writing.
public enum EngineReplay {
    /// The state a restart would reach (the latest snapshot plus the journal after it), or with `fromGenesis` the
    /// genesis document named in the latest snapshot plus every journal record.
    /// - Throws: ``DurableEngineError/emptyStore`` for a store without a snapshot; store, codec and replay errors.
    public static func rebuild(store: any EventStore, documents: EngineDocuments, fromGenesis: Bool) async throws -> Engine {
        if !fromGenesis {
            guard let engine = try await DurableEngine.restore(store: store, documents: documents) else { throw DurableEngineError.emptyStore }
            return engine
        }
        guard let snapshot = try await store.latestSnapshot() else { throw DurableEngineError.emptyStore }
        var engine = Engine(genesis: try documents.genesis(try SnapshotCodec.decode(snapshot.payload, documents: documents).genesisDocument))
        try await DurableEngine.replay(into: &engine, store: store, documents: documents)
        return engine
    }
}
