import BallastCore
import Foundation

/// `ballast scenarios`: the scenario risk matrix of an account under portfolio margin: every held instrument's array,
/// each holding's scenario PnL and the account vector per underlying.
public struct ScenariosCommand: Sendable {
    /// The account file's JSON.
    public var accountData: Data
    /// A portfolio preset to use instead of the file's.
    public var portfolioPreset: String?
    /// Output format.
    public var format: MarginCommand.Format
    /// Where presets are looked up.
    public var presets: PresetLibrary

    /// Creates a command.
    public init(accountData: Data, portfolioPreset: String? = nil, format: MarginCommand.Format = .table, presets: PresetLibrary = PresetLibrary()) {
        self.accountData = accountData
        self.portfolioPreset = portfolioPreset
        self.format = format
        self.presets = presets
    }

    /// Runs the command; bad input gives status 2 and a message naming the path.
    public func run() -> CommandOutput {
        do throws(InputError) {
            let input = try MarginInput.decode(accountData, presets: presets, model: .portfolio, portfolioPreset: portfolioPreset)
            let context = input.context
            guard let portfolio = context.parameters.portfolio, let arrays = context.riskArrays else {
                throw InputError(path: "portfolio", message: "no portfolio parameters: add \"portfolio\" to the file or pass --preset")
            }
            let explanation: PortfolioExplanation
            do {
                explanation = try PortfolioExplanation(account: input.account, context: context, arrays: arrays, parameters: portfolio)
            } catch {
                throw InputError(path: "(document)", message: error.description)
            }
            // The bound the margin report has: figures that cannot be money (not finite, or beyond 10^36) are refused
            // rather than printed as inf or nan.
            do throws(MarginError) {
                _ = try explanation.figures.pool.money(decimals: context.valuationDecimals)
                guard explanation.figures.risk.isFinite, explanation.aggregation.total.isFinite else { throw .outOfRange(figure: "scenario risk") }
            } catch {
                throw InputError(path: "(document)", message: error.description)
            }
            let catalog = context.catalog
            if format == .json {
                let document = PortfolioOutput.MatrixDocument(
                    account: input.account.id, scenarios: explanation.scenarioLabels,
                    instruments: input.account.heldInstruments.map { id in
                        PortfolioOutput.MatrixDocument.InstrumentArray(instrument: catalog[instrument: id].symbol,
                                                                       pnlPerContract: NumberFormat.json(Array(arrays.row(id))),
                                                                       deltaPerContract: NumberFormat.json(arrays.delta[id.index]))
                    },
                    explanation: PortfolioOutput.Document(explanation, catalog: catalog))
                return CommandOutput(stdout: try json(document))
            }
            return CommandOutput(stdout: PortfolioOutput.matrixText(explanation, arrays: arrays, account: input.account, catalog: catalog,
                                                                    currency: catalog.valuation.symbol))
        } catch {
            return .badInput(error.description)
        }
    }
}
