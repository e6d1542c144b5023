import BallastCore
import BallastEngine
@testable import BallastIO
import BallastStore
import Foundation
import Testing

/// `ballast export`: a store's journal written back as the JSON lines `ballast ingest` reads.
@Suite("Export: the journal as JSON lines")
struct EventExportTests {
    static let market = """
        {"format": "ballast.market/1", "time": "2026-01-01T00:00:00Z",
         "assets": [{"symbol": "USDC", "decimals": 6, "index_price": 1}, {"symbol": "BTC", "decimals": 8, "index_price": 60000}],
         "instruments": [{"symbol": "BTC-PERP", "kind": "perpetual", "underlying": "BTC", "quote": "USDC", "tick_size": "0.1", "lot_size": "0.001",
                          "mark_price": 60000, "margin": "hyperliquid-btc-mainnet"},
                         {"symbol": "BTC-C", "kind": "option", "right": "call", "strike": 70000, "expiry": "2026-06-26T08:00:00Z",
                          "underlying": "BTC", "quote": "USDC", "tick_size": "0.1", "lot_size": "0.01", "mark_price": 1500}]}
        """

    /// One line of every kind (and every member a kind may have), as a user would write them.
    static let lines = [
        #"{"id": "o1", "seq": 1, "time": "2026-01-01T00:00:00Z", "type": "open_account", "account": "a", "model": "portfolio"}"#,
        #"{"id": "d1", "seq": 2, "time": "2026-01-01T00:00:00.250Z", "type": "deposit", "account": "a", "asset": "USDC", "amount": "1000.5"}"#,
        #"{"id": "w1", "seq": 3, "time": "2026-01-01T00:00:01Z", "type": "withdrawal", "account": "a", "asset": "BTC", "amount": "0.00000001"}"#,
        #"{"id": "t1", "seq": 4, "time": "2026-01-01T00:00:01Z", "type": "transfer", "from": "a", "to": "b", "asset": "USDC", "amount": "2"}"#,
        #"{"id": "f1", "seq": 5, "time": "2026-01-01T00:00:02Z", "type": "fill", "instrument": "BTC-PERP", "price": "60000.50", "size": "0.125", "buyer": {"account": "a", "fee": "1.25", "leverage": 12.5, "isolated": true, "position_side": "long"}, "seller": {"account": "b", "isolated": false}}"#,
        #"{"id": "f2", "seq": 6, "time": "2026-01-01T00:00:02Z", "type": "fill", "instrument": "BTC-C", "price": "1500", "size": "1", "seller": {"account": "b"}}"#,
        #"{"id": "p1", "seq": 7, "time": "2026-01-01T00:00:03Z", "type": "prices", "index": {"BTC": 61234.56, "USDC": 0.9999}, "marks": {"BTC-PERP": 61240.1, "BTC-C": 0.1}}"#,
        #"{"id": "v1", "seq": 8, "time": "2026-01-01T00:00:03Z", "type": "volatility", "volatilities": {"BTC-C": 0.55}}"#,
        #"{"id": "u1", "seq": 9, "time": "2026-01-01T00:00:04Z", "type": "funding", "instrument": "BTC-PERP", "rate": "-0.000375", "price": "61000"}"#,
        #"{"id": "s1", "seq": 10, "time": "2026-07-01T00:00:00Z", "type": "settlement", "instrument": "BTC-C", "price": "72000.25"}"#,
        #"{"id": "r1", "seq": 11, "time": "2026-07-01T00:00:00Z", "type": "parameters", "version": 2, "effective": "2026-07-01T01:00:00Z", "document": {"format": "ballast.parameters/1", "parameters": {"name": "v2", "health_bands": "maintenance-line"}}}"#,
        #"{"id": "g1", "seq": 12, "time": "2026-07-01T00:00:00Z", "type": "group", "account": "a", "group": "desk", "model": "portfolio"}"#,
        #"{"id": "g2", "seq": 13, "time": "2026-07-01T00:00:00Z", "type": "group", "account": "a", "group": null}"#,
        #"{"id": "l1", "seq": 14, "time": "2026-07-01T00:00:00Z", "type": "leverage", "account": "a", "instrument": "BTC-PERP", "leverage": 7.5}"#,
        #"{"id": "m1", "seq": 15, "time": "2026-07-01T00:00:00Z", "type": "margin_mode", "account": "a", "instrument": "BTC-PERP", "mode": "isolated"}"#,
    ]

    @Test("every kind of event reads back from its exported line to the same journal bytes")
    func everyKind() throws {
        let documents = EngineDocuments()
        let genesis = try documents.decodeGenesis(Data(Self.market.utf8))
        var latest = genesis.parameters
        var kinds: Set<String> = []
        for line in Self.lines {
            let event = try EventJSON.decode(Data(line.utf8), catalog: genesis.catalog, latest: latest, documents: documents)
            let exported = EventJSONLine.text(event, catalog: genesis.catalog)
            let again = try EventJSON.decode(Data(exported.utf8), catalog: genesis.catalog, latest: latest, documents: documents)
            #expect(EventCodec.encode(again) == EventCodec.encode(event), "\(exported)")
            // A second export is the same text: the form is canonical.
            #expect(EventJSONLine.text(again, catalog: genesis.catalog) == exported)
            if case .parameters(let change) = event.body { latest = change.parameters }
            kinds.insert(event.body.kind)
        }
        #expect(kinds.count == 13, "\(kinds.sorted())")
        let leave = try EventJSON.decode(Data(Self.lines[12].utf8), catalog: genesis.catalog, latest: latest, documents: documents)
        #expect(EventJSONLine.text(leave, catalog: genesis.catalog).contains(#""group":null"#))
    }

    /// The README's engine example through a store: the export re-creates a store with the same state hash, and every
    /// line reads to the bytes of its journal record.
    @Test("an exported store ingests into a new store with the same state hash")
    func roundTrip() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let documents = EngineDocuments()
        let folder = EngineExampleTests.folder
        let genesis = String(decoding: try Data(contentsOf: folder.appendingPathComponent("market.json")), as: UTF8.self)
        func ingest(_ lines: Data, into directory: URL, genesis: String) async throws -> StateHash {
            let engine = try await DurableEngine.open(store: try await StoreLocation.data(directory.path).open(), documents: documents, genesis: genesis)
            let file = base.appendingPathComponent("\(UUID().uuidString).jsonl")
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
            try lines.write(to: file)
            var reader = LineReader(handle: try FileHandle(forReadingFrom: file))
            let summary = try await EventIngest.run(&reader, into: engine, documents: documents, batchSize: 4, source: "events.jsonl") { _ in }
            try await engine.close()
            return summary.stateHash
        }
        let original = try await ingest(try Data(contentsOf: folder.appendingPathComponent("events.jsonl")), into: base.appendingPathComponent("a"),
                                         genesis: genesis)
        let store = try await StoreLocation.data(base.appendingPathComponent("a").path).open()
        var lines: [String] = []
        let exported = try await EngineExport.run(store: store, documents: documents) { lines.append($0) }
        let records = try await store.records(after: 0, limit: 100)
        try await store.close()
        #expect(exported.genesis == genesis && exported.records == 16 && records.count == 16)
        let catalog = try documents.genesis(genesis).catalog
        var latest = try documents.genesis(genesis).parameters
        for (line, record) in zip(lines, records) {
            let event = try EventJSON.decode(Data(line.utf8), catalog: catalog, latest: latest, documents: documents)
            #expect(EventCodec.encode(event) == record.payload, "\(line)")
            if case .parameters(let change) = event.body { latest = change.parameters }
        }
        let copy = try await ingest(Data(lines.joined(separator: "\n").utf8), into: base.appendingPathComponent("b"), genesis: exported.genesis)
        #expect(copy == original)
    }
}
