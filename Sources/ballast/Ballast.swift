import ArgumentParser
import BallastIO

/// The `ballast` command-line tool.
@main
struct Ballast: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ballast",
        abstract: "Ballast: a cross-margin risk engine for crypto derivatives.",
        subcommands: [Serve.self, Keys.self, Margin.self, Scenarios.self, Ingest.self, Replay.self]
    )
}
