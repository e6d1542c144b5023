import BallastCore
import BallastEngine
import Foundation

/// Reads the engine's documents: the genesis (`ballast.market/1`: assets, instruments, first prices and parameters,
/// engine settings) and parameter changes (`ballast.parameters/1`), resolving preset names from a ``PresetLibrary``.
/// Errors name the JSON path and the value (``InputError``).
public struct EngineDocuments: EngineDocumentReader {
    /// The presets names resolve against.
    public var presets: PresetLibrary

    /// A reader using `presets`.
    public init(presets: PresetLibrary = PresetLibrary()) {
        self.presets = presets
    }

    /// Decodes a genesis document.
    /// - Throws: ``InputError``.
    public func genesis(_ document: String) throws -> EngineGenesis {
        try decodeGenesis(Data(document.utf8), text: document)
    }

    /// Decodes a genesis document from its bytes (kept verbatim as the engine's genesis document).
    /// - Throws: ``InputError``.
    public func decodeGenesis(_ data: Data, text: String? = nil) throws(InputError) -> EngineGenesis {
        let input: AccountFileInput = try StrictJSON.decode(data)
        guard input.format == .market else {
            throw JSONPath.root.key("format").error("an engine starts from a ballast.market/1 document, not \(input.format.rawValue)")
        }
        let resolver = MarginInputResolver(input: input, presets: presets, model: nil, portfolioPreset: nil)
        let (catalog, snapshot, parameters) = try resolver.resolveMarket()
        var settings = EngineSettings()
        if let given = input.engine {
            let path = JSONPath.root.key("engine")
            if let fraction = given.withdrawalNotionalFraction?.value {
                guard fraction.units >= 0, fraction <= FixedPoint(units: 1, scale: 0) else {
                    throw path.key("withdrawal_notional_fraction").error("\(fraction) must be in [0, 1]")
                }
                settings.withdrawalNotionalFraction = fraction
            }
            if let exclude = given.excludeUnrealisedProfit { settings.excludeUnrealisedProfit = exclude }
            if let window = given.duplicateWindow {
                guard (1...100_000_000).contains(window) else { throw path.key("duplicate_window").error("\(window) must be in 1...100000000") }
                settings.duplicateWindow = window
            }
        }
        return EngineGenesis(catalog: catalog, snapshot: snapshot, parameters: parameters, settings: settings,
                             document: text ?? String(decoding: data, as: UTF8.self))
    }

    /// Decodes a parameter-change document over `base`.
    /// - Throws: ``InputError``.
    public func parameters(_ document: String, over base: RiskParameters, catalog: Catalog) throws -> RiskParameters {
        try decodeParameters(Data(document.utf8), over: base, catalog: catalog)
    }

    /// Decodes a parameter-change document over `base`, with a typed error.
    public func decodeParameters(_ data: Data, over base: RiskParameters, catalog: Catalog) throws(InputError) -> RiskParameters {
        let input: ParameterChangeInput = try StrictJSON.decode(data)
        return try input.resolve(over: base, catalog: catalog, presets: presets)
    }
}
