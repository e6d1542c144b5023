import ArgumentParser
import BallastEngine
import BallastIO
import BallastStore
import Foundation

/// `ballast replay STORE`: rebuilds the engine from its store and prints the summary and the state hash.
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the engine state from a store and print its summary and state hash.",
        discussion: """
            By default the state is the latest snapshot plus the journal after it (what a restart does). With
            --from-genesis every journal record is applied again from the genesis document, which checks the
            journal on its own: the state hash must be the same either way.

            With --account, prints that account's margin report at the stored state instead (for a member of a
            margin group, the group's pool with the member's isolated positions).

            Example:
              ballast replay /tmp/ballast-data
              ballast replay /tmp/ballast-data --from-genesis --format json
              ballast replay /tmp/ballast-data --account alice
            """
    )

    @Argument(help: "The data directory (or the .sqlite file) of the store.")
    var store: String = "ballast-data"

    @Option(help: "A PostgreSQL URL to read instead of SQLite.")
    var postgres: String?

    @Flag(help: "Apply the whole journal from the genesis document, ignoring snapshots.")
    var fromGenesis = false

    @Option(help: "Output format: text or json.")
    var format: String = "text"

    @Option(help: "Print this account's margin report instead of the summary.")
    var account: String?

    func run() async throws {
        guard format == "text" || format == "json" else { return try fail("--format: \"\(format)\" is not text or json", code: 2) }
        let location = postgres.map { StoreLocation.postgres(url: $0) } ?? StoreLocation.data(store)
        if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
            return try fail("no store at \(path)", code: 2)
        }
        let documents = EngineDocuments()
        let clock = ContinuousClock()
        let start = clock.now
        let engine: Engine
        do {
            let opened = try await location.open()
            engine = try await EngineReplay.rebuild(store: opened, documents: documents, fromGenesis: fromGenesis)
            try await opened.close()
        } catch {
            return try fail("\(location): \(error)", code: 1)
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if let account {
            do throws(InputError) {
                FileHandle.standardOutput.write(Data(try EngineAccountReport.render(engine, account: account, json: format == "json").utf8))
            } catch {
                return try fail(error.description, code: 2)
            }
        } else {
            let summary = EngineStateSummary(engine)
            FileHandle.standardOutput.write(Data((format == "json" ? summary.json : summary.text).utf8))
        }
        FileHandle.standardError.write(Data(String(format: "rebuilt in %.3f s\n", seconds).utf8))
    }
}
