import ArgumentParser
import BallastEngine
import BallastIO
import BallastStore
import Foundation

/// `ballast export STORE`: writes a store's journal as JSON lines, the form `ballast ingest` reads.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a store's journal as JSON lines (the events ingest reads), to audit it or re-create the store.",
        discussion: """
            Every acknowledged event, in sequence order, one JSON object per line on stdout. With --genesis, the
            genesis document the store started from is written to that file, so that the two re-create the store:

              ballast export /tmp/ballast-data --genesis genesis.json > events.jsonl
              ballast ingest events.jsonl --genesis genesis.json --data /tmp/ballast-copy
            """
    )

    @Argument(help: "The data directory (or the .sqlite file) of the store.")
    var store: String = "ballast-data"

    @Option(help: "A PostgreSQL URL to read instead of SQLite.")
    var postgres: String?

    @Option(help: "Write the store's genesis document to this file.")
    var genesis: String?

    func run() async throws {
        let location = postgres.map { StoreLocation.postgres(url: $0) } ?? StoreLocation.data(store)
        if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
            return try fail("no store at \(path)", code: 2)
        }
        let output = FileHandle.standardOutput
        // Lines go out in blocks of about 1 MB, not one write each.
        var pending = Data()
        let exported: (genesis: String, records: Int)
        do {
            let opened = try await location.open()
            exported = try await EngineExport.run(store: opened, documents: EngineDocuments()) { line in
                pending.append(contentsOf: line.utf8)
                pending.append(0x0A)
                if pending.count >= 1 << 20 {
                    output.write(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
            output.write(pending)
            try await opened.close()
        } catch {
            return try fail("\(location): \(error)", code: 1)
        }
        if let genesis {
            guard FileManager.default.createFile(atPath: genesis, contents: Data(exported.genesis.utf8)) else {
                return try fail("cannot write \(genesis)", code: 1)
            }
        }
        FileHandle.standardError.write(Data("exported \(exported.records) events\n".utf8))
    }
}
