import BallastCore
import BallastEngine
import BallastIO
import BallastStore
import Foundation
import Testing

/// An ingest that meets an unreadable line stops there, and the lines before it, read whole, are applied and durable
/// even when they share a batch with it (`ballast ingest --help`: "what came before it stays applied").
@Suite("Ingest stops at an unreadable line")
struct IngestStopTests {
    @Test("the events of the batch before an unreadable line are applied and acknowledged")
    func earlierLinesKept() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let genesis = String(decoding: try Data(contentsOf: EngineExampleTests.folder.appendingPathComponent("market.json")), as: UTF8.self)
        let events = directory.appendingPathComponent("events.jsonl")
        try Data("""
            {"id": "o1", "seq": 1, "time": "2025-11-01T00:00:00Z", "type": "open_account", "account": "a"}
            {"id": "d1", "seq": 2, "time": "2025-11-01T00:00:01Z", "type": "deposit", "account": "a", "asset": "USDC", "amount": "10"}
            {"id": "d2", "seq": 3, "time": "2025-11-01T00:00:02Z", "type": "deposit", "account": "a", "asset": "DOGE", "amount": "10"}
            {"id": "d3", "seq": 4, "time": "2025-11-01T00:00:03Z", "type": "deposit", "account": "a", "asset": "USDC", "amount": "10"}

            """.utf8).write(to: events)
        let documents = EngineDocuments()
        let location = StoreLocation.data(directory.appendingPathComponent("data").path)
        let engine = try await DurableEngine.open(store: try await location.open(), documents: documents, genesis: genesis)
        var reader = LineReader(handle: try FileHandle(forReadingFrom: events))
        var acknowledged: [UInt64] = []
        var stop: IngestError?
        do {
            _ = try await EventIngest.run(&reader, into: engine, documents: documents, batchSize: 100, source: "events.jsonl") { line in
                if case .acknowledged(let sequence) = line { acknowledged.append(sequence) }
            }
        } catch {
            stop = error
        }
        guard case .input(_, let line, let input) = stop else { throw MissingStop() }
        #expect(line == 3 && input.path == "asset")
        try await engine.close()
        #expect(acknowledged == [2])
        let store = try await location.open()
        let replayed = try await EngineReplay.rebuild(store: store, documents: documents, fromGenesis: true)
        try await store.close()
        #expect(replayed.lastSequence == 2)
        #expect(replayed.accountIndex(of: "a").map { replayed.accounts[Int($0)].balance(AssetID(0)) } == 10_000_000)
    }
}

/// The ingest did not stop at its unreadable line.
struct MissingStop: Error {}
