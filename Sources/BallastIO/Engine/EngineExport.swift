import BallastCore
import BallastEngine
import BallastStore
import Foundation

/// Reads a store's journal back as JSON lines (``EventJSONLine``), the form `ballast ingest` reads: to audit a store,
/// or to re-create it from its events with another version.
public enum EngineExport {
    /// Writes every journal record of `store`, in order, as one line each through `write`; a parameter change is read
    /// over the parameters before it, as the engine read it.
    /// - Returns: the genesis document the store started from (named in its latest snapshot) and the number of records.
    /// - Throws: ``DurableEngineError/emptyStore`` for a store without a snapshot; store and codec errors; what `write` throws.
    public static func run(store: any EventStore, documents: EngineDocuments,
                           write: (String) throws -> Void) async throws -> (genesis: String, records: Int) {
        guard let snapshot = try await store.latestSnapshot() else { throw DurableEngineError.emptyStore }
        let genesisDocument = try SnapshotCodec.decode(snapshot.payload, documents: documents).genesisDocument
        let genesis = try documents.genesis(genesisDocument)
        var latest = genesis.parameters
        var sequence: UInt64 = 0
        var count = 0
        let encoder = EventJSONLine.encoder()
        while true {
            let records = try await store.records(after: sequence, limit: 4_096)
            if records.isEmpty { return (genesisDocument, count) }
            for record in records {
                let event = try EventCodec.decode(record.payload, catalog: genesis.catalog) { document in
                    latest = try documents.parameters(document, over: latest, catalog: genesis.catalog)
                    return latest
                }
                try write(EventJSONLine.text(event, catalog: genesis.catalog, encoder: encoder))
                sequence = record.sequence
                count += 1
            }
        }
    }
}
