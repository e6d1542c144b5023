import BallastCore

/// A parameter-change document (`ballast.parameters/1`): the sections of a market document that set parameters, each
/// optional; what it does not name stays as in the previous version.
///
/// ```json
/// {"format": "ballast.parameters/1",
///  "parameters": {"name": "venue-2026-12", "health_bands": "maintenance-line"},
///  "assets": [{"symbol": "ETH", "haircut": {"bound": "value", "tiers": [{"floor": 0, "ratio": 0.9}]}}],
///  "instruments": [{"symbol": "BTCUSDT", "margin": "binance-btcusdt-2021-03-18"}]}
/// ```
struct ParameterChangeInput: Decodable, Sendable {
    struct AssetEntry: Decodable, Sendable {
        var symbol: String
        var haircut: PresetOrInline<HaircutInput>
        enum CodingKeys: String, CodingKey, CaseIterable { case symbol, haircut }
        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            symbol = try c.decode(String.self, forKey: .symbol)
            haircut = try c.decode(PresetOrInline<HaircutInput>.self, forKey: .haircut)
        }
    }

    struct InstrumentEntry: Decodable, Sendable {
        var symbol: String
        var margin: PresetOrInline<MarginScheduleInput>
        enum CodingKeys: String, CodingKey, CaseIterable { case symbol, margin }
        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            symbol = try c.decode(String.self, forKey: .symbol)
            margin = try c.decode(PresetOrInline<MarginScheduleInput>.self, forKey: .margin)
        }
    }

    var parameters: ParametersInput?
    var assets: [AssetEntry]
    var instruments: [InstrumentEntry]
    var optionMargin: [String: PresetOrInline<OptionMarginInput>]?
    var portfolio: PresetOrInline<PortfolioInput>?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case format, description, parameters, assets, instruments, optionMargin = "option_margin", portfolio
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        let format = try c.decodeIfPresent(String.self, forKey: .format) ?? "ballast.parameters/1"
        guard format == "ballast.parameters/1" else {
            throw DecodingError.dataCorruptedError(forKey: .format, in: c, debugDescription: "\"\(format)\" is not ballast.parameters/1")
        }
        parameters = try c.decodeIfPresent(ParametersInput.self, forKey: .parameters)
        assets = try c.decodeIfPresent([AssetEntry].self, forKey: .assets) ?? []
        instruments = try c.decodeIfPresent([InstrumentEntry].self, forKey: .instruments) ?? []
        optionMargin = try c.decodeIfPresent([String: PresetOrInline<OptionMarginInput>].self, forKey: .optionMargin)
        portfolio = try c.decodeIfPresent(PresetOrInline<PortfolioInput>.self, forKey: .portfolio)
    }

    /// The parameters after the change, over `base`.
    func resolve(over base: RiskParameters, catalog: Catalog, presets: PresetLibrary) throws(InputError) -> RiskParameters {
        var sections = ParameterSections(haircuts: [], margins: [], optionMargin: optionMargin, parameters: parameters, portfolio: portfolio)
        for (k, entry) in assets.enumerated() {
            guard let asset = catalog.asset(entry.symbol) else {
                throw JSONPath.root.key("assets").index(k).key("symbol").error("unknown asset \"\(entry.symbol)\"")
            }
            sections.haircuts.append((asset.index, entry.haircut))
            sections.assetPaths[asset.index] = k
        }
        for (k, entry) in instruments.enumerated() {
            guard let instrument = catalog.instrument(entry.symbol) else {
                throw JSONPath.root.key("instruments").index(k).key("symbol").error("unknown instrument \"\(entry.symbol)\"")
            }
            sections.margins.append((instrument.index, entry.margin))
            sections.instrumentPaths[instrument.index] = k
        }
        var parameters = base
        if let provenance = self.parameters?.provenance { parameters.info = provenance.info(defaultName: base.info.name) }
        try sections.apply(to: &parameters, catalog: catalog, presets: presets)
        return parameters
    }
}
