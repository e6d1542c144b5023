import BallastCore
import Foundation

/// What a command prints and how it exits; the executable writes it out, tests inspect it.
public struct CommandOutput: Sendable, Equatable {
    /// Standard output.
    public var stdout: String
    /// Standard error.
    public var stderr: String
    /// The exit status: 0 success, 2 bad input (nothing on stdout), 1 any other failure.
    public var exitCode: Int32

    /// Creates an output.
    public init(stdout: String = "", stderr: String = "", exitCode: Int32 = 0) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }

    /// A bad-input failure: the message on stderr, nothing on stdout, status 2.
    static func badInput(_ message: String) -> CommandOutput { CommandOutput(stderr: "error: " + message + "\n", exitCode: 2) }
}

/// `ballast margin`: the margin report of an account file, optionally after hypothetical trades, or the largest
/// order that passes the pre-trade check.
public struct MarginCommand: Sendable {
    /// Output format.
    public enum Format: String, Sendable, CaseIterable {
        /// Aligned text tables.
        case table
        /// The stable JSON document.
        case json
    }

    /// The account file's JSON.
    public var accountData: Data
    /// The what-if trades' JSON, if any.
    public var whatIfData: Data?
    /// A single inline trade (`--trade SYMBOL --size N [--price P]`), if any.
    public var inlineTrade: (instrument: String, size: String, price: String?)?
    /// The instrument and side of a max-size search, if any.
    public var maxSize: (instrument: String, side: MaxOrderSize.Side, price: String?)?
    /// The position side of the inline trade or the max-size search (`--position-side long|short|both`): a hedge-mode
    /// leg, or one-way; `nil`: one-way for a trade, and for max-size the leg its side opens where the account holds legs
    /// or has resting leg orders.
    public var positionSide: String?
    /// The leverage of the inline trade or the max-size search (`--leverage`); `nil`: the account's for the instrument
    /// (its position's, else its setting, else the schedule's cap).
    public var leverage: String?
    /// The margin mode of the inline trade or the max-size search (`--margin-mode cross|isolated`); `nil`: the account's
    /// for the instrument (its position's, else its setting, else cross).
    public var marginMode: String?
    /// The output format.
    public var format: Format
    /// Where presets are looked up.
    public var presets: PresetLibrary
    /// The margin model to use instead of the account's (`--model`).
    public var model: MarginModel?
    /// A portfolio preset to use instead of the file's (`--preset`).
    public var portfolioPreset: String?

    /// Creates a command.
    public init(accountData: Data, whatIfData: Data? = nil, inlineTrade: (instrument: String, size: String, price: String?)? = nil,
                maxSize: (instrument: String, side: MaxOrderSize.Side, price: String?)? = nil, positionSide: String? = nil,
                leverage: String? = nil, marginMode: String? = nil, format: Format = .table,
                presets: PresetLibrary = PresetLibrary(), model: MarginModel? = nil, portfolioPreset: String? = nil) {
        self.positionSide = positionSide
        self.leverage = leverage
        self.marginMode = marginMode
        self.model = model
        self.portfolioPreset = portfolioPreset
        self.accountData = accountData
        self.whatIfData = whatIfData
        self.inlineTrade = inlineTrade
        self.maxSize = maxSize
        self.format = format
        self.presets = presets
    }

    /// Runs the command. Never crashes on bad input: every problem becomes an error message and status 2.
    public func run() -> CommandOutput {
        do {
            return try execute()
        } catch {
            return .badInput(error.description)
        }
    }

    private func execute() throws(InputError) -> CommandOutput {
        let input = try MarginInput.decode(accountData, presets: presets, model: model, portfolioPreset: portfolioPreset)
        let context = input.context
        let catalog = context.catalog
        if let (symbol, side, priceText) = maxSize {
            guard let id = catalog.instrument(symbol) else { throw InputError(path: "--max-size", message: "unknown instrument \"\(symbol)\"") }
            let price = try parsePrice(priceText, instrument: id, context: context, option: "--price")
            let leg = try positionSide.map { (text: String) throws(InputError) in try resolvedSide(text, instrument: id, catalog: catalog) }
            let (chosenLeverage, isolated) = try terms(instrument: id, catalog: catalog)
            let result: MaxOrderSize.Result
            do {
                result = try MaxOrderSize.search(account: input.account, orders: input.orders, instrument: id, side: side, price: price, context: context,
                                                 leverage: chosenLeverage, isolated: isolated, positionSide: leg)
            } catch {
                throw InputError(path: conflict(error) ? "--margin-mode" : "--max-size", message: error.description)
            }
            let (text, document) = WhatIfOutput.maxSize(result, instrument: id, side: side, price: price, catalog: catalog)
            return CommandOutput(stdout: format == .json ? try json(document) : text)
        }
        var trades: [Trade] = []
        var orders = input.orders
        if let whatIfData {
            let (fileTrades, fileOrders) = try TradesInput.decode(whatIfData, prefix: "what-if", account: input.account, context: context, resting: input.orders)
            trades = fileTrades
            orders += fileOrders
        }
        let fileTrades = trades.count
        if let (symbol, sizeText, priceText) = inlineTrade {
            guard let id = catalog.instrument(symbol) else { throw InputError(path: "--trade", message: "unknown instrument \"\(symbol)\"") }
            guard let size = FixedPoint(parsing: sizeText) else { throw InputError(path: "--size", message: "\"\(sizeText)\" is not a decimal number") }
            let units = try sizeUnits(size, instrument: catalog[instrument: id], JSONPath.root.key("--size"), wholeLots: true)
            guard units != 0 else { throw InputError(path: "--size", message: "must not be zero") }
            let (chosenLeverage, isolated) = try terms(instrument: id, catalog: catalog)
            trades.append(Trade(instrument: id, size: units, price: try parsePrice(priceText, instrument: id, context: context, option: "--price"),
                                leverage: chosenLeverage, isolated: isolated, side: try resolvedSide(positionSide, instrument: id, catalog: catalog)))
        }
        if !trades.isEmpty {
            let whatIf: WhatIf
            do {
                whatIf = try WhatIf(account: input.account, orders: orders, trades: trades, context: context)
            } catch {
                // A trade of the file is `what-if trades[i]`; the inline trade (--trade, or its --margin-mode) comes after them.
                let inline = conflict(error.error) ? "--margin-mode" : "--trade"
                let path = error.trade.map { $0 < fileTrades ? "what-if trades[\($0)]" : inline } ?? "what-if"
                throw InputError(path: path, message: error.error.description)
            }
            return CommandOutput(stdout: format == .json ? try json(WhatIfOutput.document(whatIf, catalog: catalog)) : WhatIfOutput.text(whatIf, catalog: catalog))
        }
        let report: MarginReport
        do {
            report = try MarginReport(account: input.account, orders: input.orders, context: context)
        } catch {
            throw InputError(path: "(document)", message: error.description)
        }
        return CommandOutput(stdout: format == .json ? try json(ReportDocument(report, catalog: catalog)) : ReportText.render(report, catalog: catalog))
    }

    private func resolvedSide(_ text: String?, instrument: InstrumentID, catalog: Catalog) throws(InputError) -> PositionSide {
        try PositionSideInput.resolve(text, instrument: catalog[instrument: instrument], path: JSONPath.root.key("--position-side"))
    }

    /// Whether `error` is a conflict between `--margin-mode` and the position the trade goes to.
    private func conflict(_ error: TradeError) -> Bool {
        if case .marginMode = error { return marginMode != nil }
        return false
    }

    /// The leverage and margin mode `--leverage` and `--margin-mode` give for a trade or order in `instrument`, if any.
    private func terms(instrument: InstrumentID, catalog: Catalog) throws(InputError) -> (leverage: Double?, isolated: Bool?) {
        var chosen: Double?
        if let leverage {
            guard let value = RealNumber.parse(leverage), value >= 1 else {
                throw InputError(path: "--leverage", message: "\"\(leverage)\" is not a leverage of at least 1")
            }
            chosen = value
        }
        return (chosen, try MarginModeInput.resolve(marginMode, instrument: catalog[instrument: instrument], path: JSONPath.root.key("--margin-mode")))
    }

    private func parsePrice(_ text: String?, instrument: InstrumentID, context: RiskContext, option: String) throws(InputError) -> FixedPoint {
        guard let text else { return try MarkPrice.exact(instrument, context: context, path: JSONPath.root.key(option)) }
        guard let price = FixedPoint(parsing: text), price.units > 0 else { throw InputError(path: option, message: "\"\(text)\" is not a positive decimal price") }
        return price
    }
}

/// The encoder of every JSON the tool prints: sorted snake_case keys, unescaped slashes, non-finite numbers as
/// strings; indented (`pretty`) or on one line.
func stableJSONEncoder(pretty: Bool) -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
}

/// Encodes a document as stable JSON: sorted snake_case keys, two-space indentation, a final newline.
func json<T: Encodable>(_ value: T) throws(InputError) -> String {
    let encoder = stableJSONEncoder(pretty: true)
    do {
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    } catch {
        throw InputError(path: "(output)", message: "could not encode the report: \(error)")
    }
}
