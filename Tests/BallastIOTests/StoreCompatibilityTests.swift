import BallastCore
@testable import BallastEngine
import BallastIO
import Foundation
import Testing

/// A store written by an earlier version (commit 6b2d420: snapshot format 3, fill sides with a Boolean mode) reads
/// into the state the current version reaches from the same events (`Fixtures/store-format3`, see its README).
@Suite("Store compatibility: a format 3 snapshot and its journal")
struct StoreCompatibilityTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/store-format3")

    struct Fixture {
        var genesis: EngineGenesis
        var lines: [Data]
        var snapshot: (sequence: UInt64, bytes: [UInt8])
        var journal: [(sequence: UInt64, bytes: [UInt8])]
    }

    static func bytes(_ hex: Substring) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = try #require(hex.index(index, offsetBy: 2, limitedBy: hex.endIndex))
            bytes.append(try #require(UInt8(hex[index..<next], radix: 16)))
            index = next
        }
        return bytes
    }

    static func fixture() throws -> Fixture {
        let documents = EngineDocuments()
        let genesis = try documents.decodeGenesis(try Data(contentsOf: folder.appendingPathComponent("genesis.json")))
        let events = String(decoding: try Data(contentsOf: folder.appendingPathComponent("events.jsonl")), as: UTF8.self)
        let lines = events.split(separator: "\n").map { Data($0.utf8) }
        var snapshot: (UInt64, [UInt8])?
        var journal: [(UInt64, [UInt8])] = []
        for line in String(decoding: try Data(contentsOf: folder.appendingPathComponent("store.hex")), as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            let sequence = try #require(UInt64(fields[1]))
            if fields[0] == "snapshot" { snapshot = (sequence, try bytes(fields[2])) } else { journal.append((sequence, try bytes(fields[2]))) }
        }
        return Fixture(genesis: genesis, lines: lines, snapshot: try #require(snapshot), journal: journal)
    }

    @Test("the events encode to the journal bytes the earlier version wrote, and its records decode to them")
    func journal() throws {
        let fixture = try Self.fixture()
        #expect(fixture.journal.count == 13 && fixture.lines.count == 13)
        for (line, record) in zip(fixture.lines, fixture.journal) {
            let event = try EventJSON.decode(line, catalog: fixture.genesis.catalog, latest: fixture.genesis.parameters, documents: EngineDocuments())
            #expect(EventCodec.encode(event) == record.bytes, "\(event.id)")
            let decoded = try EventCodec.decode(record.bytes, catalog: fixture.genesis.catalog) { _ in fixture.genesis.parameters }
            #expect(decoded.id == event.id && decoded.sequence == event.sequence && EventCodec.encode(decoded) == record.bytes, "\(event.id)")
        }
    }

    /// By the events: alice closed 0.1 BTC-PERP at 10x (cross) and keeps 10x; carol chose 20x without a position.
    @Test("the format 3 snapshot and the journal after it reach the state of the events")
    func snapshot() throws {
        let fixture = try Self.fixture()
        #expect(fixture.snapshot.bytes.count > 13 && fixture.snapshot.bytes[13] == 3)
        var restored = try SnapshotCodec.decode(fixture.snapshot.bytes, documents: EngineDocuments())
        let btc = try #require(fixture.genesis.catalog.instrument("BTC-PERP"))
        let alice = try #require(restored.accounts.first { $0.id == "alice" })
        let carol = try #require(restored.accounts.first { $0.id == "carol" })
        #expect(alice.instrumentSettings == [InstrumentSetting(instrument: btc, leverage: 10)])
        #expect(carol.instrumentSettings == [InstrumentSetting(instrument: btc, leverage: 20)])

        var fresh = Engine(genesis: fixture.genesis)
        for (index, line) in fixture.lines.enumerated() {
            let event = try EventJSON.decode(line, catalog: fresh.catalog, latest: fresh.latestParameters, documents: EngineDocuments())
            guard case .applied = fresh.apply(event) else { throw InputError(path: "(test)", message: "\(event.id) not applied") }
            if UInt64(index + 1) == fixture.snapshot.sequence { #expect(fresh.stateHash == restored.stateHash, "at the snapshot") }
        }
        for record in fixture.journal where record.sequence > fixture.snapshot.sequence {
            let event = try EventCodec.decode(record.bytes, catalog: restored.catalog) { _ in restored.latestParameters }
            guard case .applied = restored.apply(event) else { throw InputError(path: "(test)", message: "\(event.id) not applied") }
        }
        #expect(restored.accounts == fresh.accounts)
        #expect(restored.stateHash == fresh.stateHash)
    }
}
