import BallastCore
import BallastEngine
import BallastIO
import BallastStore
import Foundation
import Testing

/// The engine example of the README (`Examples/engine/`) through the same code `ballast ingest` and `ballast replay`
/// run, with the figures derived by hand.
@Suite("Engine example: ingest and replay")
struct EngineExampleTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Examples/engine").standardized

    @Test("signals, rejection and totals of the example stream; replay from genesis reaches the same hash")
    func example() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-example-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let documents = EngineDocuments()
        let genesis = String(decoding: try Data(contentsOf: Self.folder.appendingPathComponent("market.json")), as: UTF8.self)
        let location = StoreLocation.data(directory.path)
        let engine = try await DurableEngine.open(store: try await location.open(), documents: documents, genesis: genesis)
        let handle = try FileHandle(forReadingFrom: Self.folder.appendingPathComponent("events.jsonl"))
        var reader = LineReader(handle: handle)
        var lines: [IngestLine] = []
        let summary = try await EventIngest.run(&reader, into: engine, documents: documents, batchSize: 5, source: "events.jsonl") { lines.append($0) }
        try await engine.close()

        #expect(summary.read == 18 && summary.applied == 16 && summary.duplicates == 1 && summary.rejected == 1 && summary.signals == 4)
        var signals: [Signal] = []
        var rejections: [(String, EventRejection)] = []
        for line in lines {
            switch line {
            case .signal(let signal): signals.append(signal)
            case .rejected(let event, let rejection): rejections.append((event.id, rejection))
            case .acknowledged: break
            }
        }
        #expect(signals.map(\.kind) == [.marginCall, .reduceOnly, .liquidation, .recovered])
        #expect(signals.map(\.sequence) == [13, 14, 15, 17])
        #expect(signals.allSatisfy { $0.subject == .account("alice") })
        // At BTC 98,200 (event 13): maintenance = 0.8 BTC × 98,200 × 1.25 % (Hyperliquid BTC, 40x: 1 / (2 × 40))
        // = 982 USDC. Margin balance = 10,000 deposited (the second dep-alice is a duplicate) − 30.52 fee
        // − 0.8 × (109,000 − 98,200) unrealised − 0.8 × 104,000 × 0.0001 funding paid = 1,321.16 USDC.
        let call = try #require(signals.first)
        #expect(call.figures.maintenance == 982 * 1_000_000)
        #expect(call.figures.marginBalance == 1_321_160_000)
        #expect(rejections.map(\.0) == ["wd-alice"] && rejections.first?.1.code == .insufficientMargin)

        let store = try await location.open()
        let replayed = try await EngineReplay.rebuild(store: store, documents: documents, fromGenesis: true)
        let restarted = try await EngineReplay.rebuild(store: store, documents: documents, fromGenesis: false)
        try await store.close()
        #expect(replayed.stateHash == summary.stateHash && restarted.stateHash == summary.stateHash)
        #expect(LedgerAudit.imbalances(replayed).isEmpty)
        // The text line names the field and value the JSON line carries (the message itself does not name them).
        let rejectedLine = try #require(lines.first { if case .rejected = $0 { true } else { false } })
        let rendered = EngineLines(catalog: replayed.catalog, json: false).render(rejectedLine)
        #expect(rendered.hasPrefix("#11 rejected wd-alice: insufficient_margin at amount = 5000.000000: after it the pool would have"), "\(rendered)")
        // The README prints this run's summary line: its state hash must be this one (it had gone stale once).
        let readme = String(decoding: try Data(contentsOf: Self.folder.appendingPathComponent("../../README.md").standardized), as: UTF8.self)
        #expect(readme.contains("last sequence 18; state hash \(summary.stateHash)"), "README: state hash \(summary.stateHash)")

        let text = try EngineAccountReport.render(replayed, account: "alice", json: false)
        #expect(text.contains("example-venue v2"))
        #expect(text.contains("1,010.000000"), "maintenance at 101,000: 0.8 × 101,000 × 1.25 % = 1,010")
        #expect(throws: InputError.self) { try EngineAccountReport.render(replayed, account: "nobody", json: false) }
    }
}
