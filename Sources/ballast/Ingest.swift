import ArgumentParser
import BallastEngine
import BallastIO
import BallastStore
import Foundation

/// `ballast ingest EVENTS`: applies a file of JSON events to a durable engine and prints the signals.
struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply a file of events (JSON lines) to the engine's store and print the signals.",
        discussion: """
            Events are applied in order, in batches; a batch is acknowledged once the journal holds it (one
            transaction). Rejected events change nothing and are printed with their reason. The store keeps the
            state: running ingest again on another file continues from where the last run stopped, and an event id
            seen before is acknowledged without being applied again. A new store needs --genesis (a
            ballast.market/1 document: assets, instruments, first prices, risk parameters).

            Exit status: 0 when every line was read (rejections included), 2 for an unreadable line or file (what
            came before it stays applied), 1 when the store fails.

            Example:
              ballast ingest Examples/engine/events.jsonl --genesis Examples/engine/market.json --data /tmp/ballast-data
            """
    )

    @Argument(help: "The events file (JSON lines); - or omitted reads stdin.")
    var events: String?

    @Option(help: "The data directory of the SQLite store (created if missing).")
    var data: String = "ballast-data"

    @Option(help: "A PostgreSQL URL (postgres://user:password@host:port/database) to use instead of SQLite.")
    var postgres: String?

    @Option(help: "The genesis document (ballast.market/1) for a new store.")
    var genesis: String?

    @Option(help: "Events per batch (one journal transaction each).")
    var batch: Int = 4_096

    @Option(help: "Take a snapshot after this many applied events (0: never).")
    var snapshotEvery: Int = 100_000

    @Option(help: "Output format: text or json (one JSON object per line).")
    var format: String = "text"

    @Flag(help: "Print a line each time a batch is durable (acknowledged through #sequence).")
    var acks = false

    func run() async throws {
        guard format == "text" || format == "json" else { return try fail("--format: \"\(format)\" is not text or json", code: 2) }
        guard (1...1_000_000).contains(batch) else { return try fail("--batch: \(batch) must be in 1...1000000", code: 2) }
        guard snapshotEvery >= 0 else { return try fail("--snapshot-every: \(snapshotEvery) must not be negative", code: 2) }
        let documents = EngineDocuments()
        var genesisText: String?
        if let genesis {
            guard let data = FileManager.default.contents(atPath: genesis) else { return try fail("cannot read \(genesis)", code: 2) }
            do throws(InputError) {
                _ = try documents.decodeGenesis(data)
            } catch {
                return try fail("\(genesis): \(error.description)", code: 2)
            }
            genesisText = String(decoding: data, as: UTF8.self)
        }
        let handle: FileHandle
        if let events, events != "-" {
            guard let file = FileHandle(forReadingAtPath: events) else { return try fail("cannot read \(events)", code: 2) }
            handle = file
        } else {
            handle = FileHandle.standardInput
        }
        let location = postgres.map { StoreLocation.postgres(url: $0) } ?? StoreLocation.data(data)
        let engine: DurableEngine
        do {
            engine = try await DurableEngine.open(store: try await location.open(), documents: documents, genesis: genesisText,
                                                  snapshotInterval: snapshotEvery == 0 ? nil : snapshotEvery)
        } catch {
            return try fail("\(location): \(error)", code: 1)
        }
        let lines = EngineLines(catalog: await engine.read { $0.catalog }, json: format == "json")
        var reader = LineReader(handle: handle)
        var pending = ""
        let printAcks = acks
        let result: Result<IngestSummary, IngestError>
        do throws(IngestError) {
            result = .success(try await EventIngest.run(&reader, into: engine, documents: documents, batchSize: batch,
                                                        source: events ?? "-") { line in
                if case .acknowledged = line {
                    if printAcks { pending += lines.render(line) }
                    FileHandle.standardOutput.write(Data(pending.utf8))
                    pending = ""
                } else {
                    pending += lines.render(line)
                }
            })
        } catch {
            result = .failure(error)
        }
        try? await engine.close()
        switch result {
        case .success(let summary):
            FileHandle.standardOutput.write(Data((pending + lines.render(summary)).utf8))
        case .failure(let error):
            FileHandle.standardOutput.write(Data(pending.utf8))
            if case .engine = error { return try fail(error.description, code: 1) }
            return try fail(error.description, code: 2)
        }
    }
}

/// Prints `error: message` on stderr and exits with `code` (through ``write(_:)``, as every command does).
func fail(_ message: String, code: Int32) throws {
    try write(CommandOutput(stderr: "error: \(message)\n", exitCode: code))
}
