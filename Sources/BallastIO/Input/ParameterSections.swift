import BallastCore

/// The parts of a document that set risk parameters: haircuts by asset, margin schedules by instrument, option margin
/// by underlying, health bands and conventions, portfolio margin. Market documents, account documents and parameter
/// changes all carry them; this applies them over parameters, naming the JSON path of any problem.
struct ParameterSections {
    /// Haircut references by asset index (at `assets[i].haircut`).
    var haircuts: [(Int, PresetOrInline<HaircutInput>)]
    /// Margin schedule references by instrument index (at `instruments[i].margin`).
    var margins: [(Int, PresetOrInline<MarginScheduleInput>)]
    var optionMargin: [String: PresetOrInline<OptionMarginInput>]?
    var parameters: ParametersInput?
    var portfolio: PresetOrInline<PortfolioInput>?
    /// Where each list index points in the document (`assets[k]` may name catalog asset i).
    var assetPaths: [Int: Int] = [:]
    var instrumentPaths: [Int: Int] = [:]

    /// Sets every given section in `parameters`, leaving the rest as they are.
    func apply(to parameters: inout RiskParameters, catalog: Catalog, presets: PresetLibrary) throws(InputError) {
        let root = JSONPath.root
        for (i, reference) in haircuts {
            parameters.collateral[i] = try presets.haircut(reference, path: root.key("assets").index(assetPaths[i] ?? i).key("haircut"))
        }
        for (i, reference) in margins {
            let path = root.key("instruments").index(instrumentPaths[i] ?? i).key("margin")
            switch catalog.instruments[i].kind {
            case .perpetual, .future: break
            case let kind: throw path.error("a margin schedule applies to futures and perpetuals, not to a \(kind.name)")
            }
            parameters.instrumentMargin[i] = try presets.schedule(reference, path: path)
        }
        for (underlying, reference) in (optionMargin ?? [:]).sorted(by: { $0.key < $1.key }) {
            let path = root.key("option_margin").key(underlying)
            guard let asset = catalog.asset(underlying) else { throw path.error("no asset \"\(underlying)\" is defined") }
            parameters.optionMargin[asset.index] = try presets.optionMargin(reference, path: path)
        }
        if let given = self.parameters {
            if let bands = given.healthBands {
                parameters.healthBands = try presets.healthBands(bands, path: root.key("parameters").key("health_bands"))
            }
            if let scope = given.liquidationPriceScope {
                guard let parsed = LiquidationPriceScope(rawValue: scope) else {
                    throw root.key("parameters").key("liquidation_price_scope").error("\"\(scope)\" is not instrument or underlying")
                }
                parameters.conventions.liquidationPriceScope = parsed
            }
            if let gain = given.openGain {
                guard let parsed = OpenGainCredit(rawValue: gain) else {
                    throw root.key("parameters").key("open_gain").error("\"\(gain)\" is not counted or ignored")
                }
                parameters.conventions.openGain = parsed
            }
            if let price = given.orderInitialPrice {
                guard let parsed = OrderInitialPrice(rawValue: price) else {
                    throw root.key("parameters").key("order_initial_price").error("\"\(price)\" is not mark or limit")
                }
                parameters.conventions.orderInitialPrice = parsed
            }
            if let increase = given.isolatedIncrease {
                guard let parsed = IsolatedIncrease(rawValue: increase) else {
                    throw root.key("parameters").key("isolated_increase").error("\"\(increase)\" is not added_initial or top_up")
                }
                parameters.conventions.isolatedIncrease = parsed
            }
        }
        if let portfolio {
            parameters.portfolio = try presets.portfolio(portfolio, path: root.key("portfolio"), catalog: catalog)
        }
    }
}
