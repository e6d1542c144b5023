import ArgumentParser
import BallastIO

/// `ballast scenarios FILE`: the scenario risk matrix of an account under portfolio margin.
struct Scenarios: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scenario risk matrix of an account under portfolio margin.",
        discussion: """
            Prints, per underlying, every holding's scenario PnL and the account vector (the worst scenario sets the
            scan risk), then each held instrument's array per contract. The portfolio parameters come from the file's
            "portfolio" entry or --preset.

            Example:
              ballast scenarios Examples/hedged-options-book.json --preset deribit-pm-2024
            """
    )

    @Argument(help: "The account file (JSON); - or omitted reads stdin.")
    var file: String?

    @Option(help: "Portfolio-margin preset (ballast-crypto-default, deribit-pm-2024, span-16), instead of the file's.")
    var preset: String?

    @Option(help: "Output format: table or json.")
    var format: String = "table"

    @Option(help: "A directory of extra presets, searched before the shipped ones.")
    var presets: String?

    func run() throws {
        let output: CommandOutput
        if let parsed = MarginCommand.Format(rawValue: format) {
            do {
                output = ScenariosCommand(accountData: try readInput(file), portfolioPreset: preset, format: parsed,
                                          presets: PresetLibrary(directory: presets)).run()
            } catch {
                output = CommandOutput(stderr: "error: \(error.description)\n", exitCode: 2)
            }
        } else {
            output = CommandOutput(stderr: "error: --format: \"\(format)\" is not table or json\n", exitCode: 2)
        }
        try write(output)
    }
}
