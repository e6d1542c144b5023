import ArgumentParser
import BallastCore
import BallastIO
import Foundation

/// `ballast margin FILE`: the margin report of an account, a what-if, or the largest order that passes.
struct Margin: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Margin report of an account file (standard cross and isolated margin).",
        discussion: """
            Reads an account, its market snapshot and its risk parameters from FILE (or stdin when FILE is - or
            omitted) and prints equity, collateral, initial and maintenance margin, liquidation and bankruptcy
            prices and the health state. Exit status 2 means the input was rejected; the reason is on stderr.

            Examples:
              ballast margin Examples/usdc-perp-trader.json
              ballast margin Examples/usdc-perp-trader.json --format json
              ballast margin Examples/usdc-perp-trader.json --what-if Examples/usdc-perp-trader.what-if.json
              ballast margin Examples/usdc-perp-trader.json --trade BTC-PERP --size -0.5
              ballast margin Examples/usdc-perp-trader.json --max-size BTC-PERP --side buy
              ballast margin account.json --max-size BTCUSDT --side sell --position-side long
              ballast margin account.json --max-size ETHUSDT --side buy --leverage 10 --margin-mode isolated
              ballast margin Examples/hedged-options-book.json --model portfolio --preset deribit-pm-2024
            """
    )

    @Argument(help: "The account file (JSON); - or omitted reads stdin.")
    var file: String?

    @Option(help: "Output format: table or json.")
    var format: String = "table"

    @Option(name: .customLong("what-if"), help: "A JSON file of hypothetical trades to apply in order.")
    var whatIf: String?

    @Option(help: "Instrument of a single hypothetical trade (with --size).")
    var trade: String?

    @Option(parsing: .unconditional, help: "Signed size of the --trade in contracts (negative sells), e.g. --size -0.5.")
    var size: String?

    @Option(name: .customLong("max-size"), help: "Print the largest order in this instrument that passes the pre-trade check.")
    var maxSize: String?

    @Option(help: "Side of --max-size: buy or sell.")
    var side: String?

    @Option(name: .customLong("position-side"),
            help: ArgumentHelp("Hedge-mode leg of --trade or --max-size: long, short or both (one-way). Default: one-way for --trade; "
                + "for --max-size, the leg its side opens where the account holds legs."))
    var positionSide: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Leverage of --trade or --max-size (at least 1). Default: the account's for the instrument "
                + "(its position's, else the size-0 entry's, else the schedule's cap)."))
    var leverage: String?

    @Option(name: .customLong("margin-mode"),
            help: ArgumentHelp("Margin mode of --trade or --max-size: cross or isolated. Default: the account's for the instrument "
                + "(its position's, else the size-0 entry's, else cross)."))
    var marginMode: String?

    @Option(parsing: .unconditional, help: "Price of --trade or --max-size (default: the mark price).")
    var price: String?

    @Option(help: "A directory of extra presets (DIR/margin/NAME.json, …), searched before the shipped ones.")
    var presets: String?

    @Option(help: "Margin model: standard or portfolio (default: the account's).")
    var model: String?

    @Option(help: "Portfolio-margin preset (e.g. ballast-crypto-default, deribit-pm-2024, span-16), instead of the file's.")
    var preset: String?

    func run() throws {
        try write(command().run())
    }

    private func command() -> MarginCommandResult {
        guard let format = MarginCommand.Format(rawValue: format) else { return .bad("--format: \"\(format)\" is not table or json") }
        let accountData: Data
        do {
            accountData = try readInput(file)
        } catch {
            return .bad(error.description)
        }
        var whatIfData: Data?
        if let whatIf {
            do { whatIfData = try readInput(whatIf) } catch { return .bad(error.description) }
        }
        var inline: (instrument: String, size: String, price: String?)?
        if let trade {
            guard let size else { return .bad("--trade needs --size (negative to sell)") }
            inline = (trade, size, price)
        } else if size != nil {
            return .bad("--size needs --trade")
        }
        var maxSizeRequest: (instrument: String, side: MaxOrderSize.Side, price: String?)?
        if let maxSize {
            guard whatIf == nil, trade == nil else { return .bad("--max-size searches the account as it is: it cannot be combined with --what-if or --trade") }
            guard let sideText = side else { return .bad("--max-size needs --side buy or --side sell") }
            guard let parsed = MaxOrderSize.Side(rawValue: sideText) else { return .bad("--side: \"\(sideText)\" is not buy or sell") }
            maxSizeRequest = (maxSize, parsed, price)
        } else if side != nil {
            return .bad("--side needs --max-size")
        } else if price != nil, trade == nil {
            return .bad("--price needs --trade or --max-size")
        }
        for (option, given) in [("--position-side", positionSide), ("--leverage", leverage), ("--margin-mode", marginMode)]
        where given != nil && trade == nil && maxSize == nil {
            return .bad("\(option) needs --trade or --max-size")
        }
        var marginModel: MarginModel?
        if let model {
            guard let parsed = MarginModel(rawValue: model) else { return .bad("--model: \"\(model)\" is not standard or portfolio") }
            marginModel = parsed
        }
        return .command(MarginCommand(accountData: accountData, whatIfData: whatIfData, inlineTrade: inline, maxSize: maxSizeRequest, positionSide: positionSide,
                                      leverage: leverage, marginMode: marginMode, format: format, presets: PresetLibrary(directory: presets), model: marginModel, portfolioPreset: preset))
    }

}

/// Writes a command's output and exits with its status.
func write(_ output: CommandOutput) throws {
    FileHandle.standardOutput.write(Data(output.stdout.utf8))
    FileHandle.standardError.write(Data(output.stderr.utf8))
    if output.exitCode != 0 { throw ExitCode(output.exitCode) }
}

/// Reads a file, or stdin for `-` or no path.
func readInput(_ path: String?) throws(FileError) -> Data {
    if path == nil || path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
    guard let path, let data = FileManager.default.contents(atPath: path) else { throw FileError(path: path ?? "-") }
    return data
}

/// A file that could not be read.
struct FileError: Error, CustomStringConvertible {
    var path: String
    var description: String { "cannot read \(path)" }
}

/// A command to run or a usage problem found before running it.
enum MarginCommandResult {
    case command(MarginCommand)
    case bad(String)

    func run() -> CommandOutput {
        switch self {
        case .command(let command): return command.run()
        case .bad(let message): return CommandOutput(stderr: "error: \(message)\n", exitCode: 2)
        }
    }
}
