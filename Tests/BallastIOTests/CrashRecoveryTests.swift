import BallastCore
import BallastEngine
import BallastIO
import BallastStore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Kills `ballast ingest` with SIGKILL in the middle of a stream and proves, from the store it leaves, that every
/// acknowledged event survived and that the state is exactly the stream's prefix up to the last durable event
/// (nothing half-applied); then a second ingest of the whole file finishes the stream with the same state hash as
/// an engine that never crashed.
@Suite("Crash recovery of ballast ingest")
struct CrashRecoveryTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Examples/engine").standardized
    static let genesis = examples.appendingPathComponent("market.json")

    /// The `ballast` executable built beside this test bundle.
    static var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("ballast")
    }

    /// A seeded stream over the example venue (BTC-PERP, ETH-PERP): 40 accounts opened and funded, then fills,
    /// price moves, deposits and withdrawals (some refused), as JSON lines.
    static func eventLines(count: Int) -> [String] {
        var rng = SeededGenerator(seed: 0xC4A5_4)
        func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        var lines: [String] = []
        var seq = 0
        var second = 0
        func add(_ body: String) {
            seq += 1
            second += 1
            let time = Timestamp(millisecondsSinceEpoch: 1_761_224_400_000 + Int64(second) * 1_000)
            lines.append("{\"id\": \"e\(seq)\", \"seq\": \(seq), \"time\": \"\(time)\", \(body)}")
        }
        let accounts = (0..<40).map { "a\($0)" }
        for account in accounts {
            add("\"type\": \"open_account\", \"account\": \"\(account)\"")
            add("\"type\": \"deposit\", \"account\": \"\(account)\", \"asset\": \"USDC\", \"amount\": \"\(5_000 + below(45_000)).\(below(100))\"")
        }
        var btc = 1_090_000  // in ticks of 0.1
        var eth = 385_000  // in ticks of 0.01
        while seq < count {
            let roll = below(100)
            let a = accounts[below(accounts.count)]
            var b = accounts[below(accounts.count)]
            if a == b { b = accounts[(accounts.firstIndex(of: a)! + 1) % accounts.count] }
            switch roll {
            case ..<45:
                if below(2) == 0 {
                    add("\"type\": \"fill\", \"instrument\": \"BTC-PERP\", \"price\": \"\(btc / 10).\(btc % 10)\", \"size\": \"0.\(String(format: "%03d", 1 + below(300)))\", \"buyer\": {\"account\": \"\(a)\", \"fee\": \"0.5\"}, \"seller\": {\"account\": \"\(b)\"}")
                } else {
                    add("\"type\": \"fill\", \"instrument\": \"ETH-PERP\", \"price\": \"\(eth / 100).\(String(format: "%02d", eth % 100))\", \"size\": \"\(1 + below(5)).\(String(format: "%02d", below(100)))\", \"buyer\": {\"account\": \"\(a)\"}, \"seller\": {\"account\": \"\(b)\", \"fee\": \"0.25\"}")
                }
            case ..<80:
                btc = max(500_000, btc + below(20_001) - 10_000)
                eth = max(150_000, eth + below(1_001) - 500)
                add("\"type\": \"prices\", \"index\": {\"BTC\": \(Double(btc) / 10), \"ETH\": \(Double(eth) / 100)}, \"marks\": {\"BTC-PERP\": \(Double(btc) / 10), \"ETH-PERP\": \(Double(eth) / 100)}")
            case ..<90:
                add("\"type\": \"deposit\", \"account\": \"\(a)\", \"asset\": \"USDC\", \"amount\": \"\(1 + below(5_000))\"")
            default:
                add("\"type\": \"withdrawal\", \"account\": \"\(a)\", \"asset\": \"USDC\", \"amount\": \"\(1 + below(20_000))\"")
            }
        }
        return lines
    }

    /// Runs `ballast` with `arguments`; with `killAfter`, sends SIGKILL once a batch through that sequence is
    /// acknowledged. Returns the highest acknowledged sequence and whether the process ran to its end.
    static func run(_ arguments: [String], killAfter: UInt64?) throws -> (acknowledged: UInt64, finished: Bool) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var acknowledged: UInt64 = 0
        var killed = false
        var pending = ""
        let prefix = "acknowledged through #"
        while true {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            pending += String(decoding: data, as: UTF8.self)
            while let newline = pending.firstIndex(of: "\n") {
                let line = pending[..<newline]
                pending.removeSubrange(...newline)
                if line.hasPrefix(prefix), let sequence = UInt64(line.dropFirst(prefix.count)) {
                    acknowledged = max(acknowledged, sequence)
                    if let killAfter, !killed, sequence >= killAfter {
                        kill(process.processIdentifier, SIGKILL)
                        killed = true
                    }
                }
            }
        }
        process.waitUntilExit()
        return (acknowledged, process.terminationReason == .exit && process.terminationStatus == 0)
    }

    /// The state after applying the file's events with a sequence number up to `last`, in an engine that never crashed.
    static func reference(_ lines: [String], through last: UInt64) throws -> Engine {
        let documents = EngineDocuments()
        var engine = Engine(genesis: try documents.decodeGenesis(try Data(contentsOf: genesis)))
        for line in lines {
            let event = try EventJSON.decode(Data(line.utf8), engine: engine, documents: documents)
            if event.sequence > last { break }
            _ = engine.apply(event)
        }
        return engine
    }

    @Test("SIGKILL mid-stream: every acknowledged event survives, the state is exactly a prefix of the stream, and a rerun completes it")
    func killAndRecover() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build the ballast executable first (swift build)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let lines = Self.eventLines(count: 60_000)
        let events = directory.appendingPathComponent("events.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: events, atomically: true, encoding: .utf8)
        let data = directory.appendingPathComponent("data").path
        let arguments = ["ingest", events.path, "--genesis", Self.genesis.path, "--data", data, "--acks", "--batch", "32", "--snapshot-every", "5000"]

        let first = try Self.run(arguments, killAfter: 8_000)
        #expect(!first.finished, "the ingest ended before the kill; the test needs a longer stream")
        #expect(first.acknowledged >= 8_000)

        let store = try SQLiteEventStore(path: directory.appendingPathComponent("data/journal.sqlite").path)
        let reopened = try await DurableEngine.open(store: store, documents: EngineDocuments())
        let last = await reopened.read { $0.lastSequence }
        let hash = await reopened.read { $0.stateHash }
        try await reopened.close()
        #expect(last >= first.acknowledged, "an acknowledged event was lost: acknowledged \(first.acknowledged), stored \(last)")
        #expect(last < UInt64(lines.count))
        #expect(hash == (try Self.reference(lines, through: last)).stateHash, "the stored state is not the stream's prefix through #\(last)")

        let second = try Self.run(Array(arguments.dropLast(4)), killAfter: nil)
        #expect(second.finished)
        let final = try SQLiteEventStore(path: directory.appendingPathComponent("data/journal.sqlite").path)
        let completed = try await DurableEngine.open(store: final, documents: EngineDocuments())
        #expect(await completed.read { $0.stateHash } == (try Self.reference(lines, through: .max)).stateHash)
        try await completed.close()
    }
}
