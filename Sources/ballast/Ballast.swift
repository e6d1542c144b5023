import ArgumentParser
import BallastIO
import Foundation

/// The `ballast` command-line tool.
@main
struct Ballast: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ballast",
        abstract: "Ballast: a cross-margin risk engine for crypto derivatives.",
        subcommands: [Serve.self, Keys.self, Margin.self, Scenarios.self, Ingest.self, Replay.self, Export.self]
    )

    /// Runs the command; a command line the parser refuses (a missing value, an unknown option) exits with status 2
    /// like every other rejected input, instead of the parser's 64, with its message and usage on stderr.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            exit(withError: ExitCode(2))
        }
    }
}
