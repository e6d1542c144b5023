import BallastCore

/// The JSON document `ballast margin` reads (`ballast.account/1`): reference data with its prices, parameters, and one
/// account. See the README ("Input format") for a commented example. The engine's genesis document
/// (`ballast.market/1`) is the same without the account, with optional engine settings.
struct AccountFileInput: Decodable, Sendable {
    /// The two document formats.
    enum Format: String, Sendable {
        case account = "ballast.account/1"
        case market = "ballast.market/1"
    }

    var format: Format
    var valuation: ValuationInput?
    var time: InputTime
    var parameters: ParametersInput?
    var assets: [AssetInput]
    var instruments: [InstrumentInput]
    var optionMargin: [String: PresetOrInline<OptionMarginInput>]?
    var portfolio: PresetOrInline<PortfolioInput>?
    var account: AccountInput?
    var engine: EngineSettingsInput?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case format, description, valuation, time, parameters, assets, instruments, optionMargin = "option_margin", portfolio, account, engine
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        let name = try c.decodeIfPresent(String.self, forKey: .format) ?? Format.account.rawValue
        guard let format = Format(rawValue: name) else {
            throw DecodingError.dataCorruptedError(forKey: .format, in: c,
                                                   debugDescription: "\"\(name)\" is not a supported format (expected ballast.account/1 or ballast.market/1)")
        }
        self.format = format
        valuation = try c.decodeIfPresent(ValuationInput.self, forKey: .valuation)
        time = try c.decode(InputTime.self, forKey: .time)
        parameters = try c.decodeIfPresent(ParametersInput.self, forKey: .parameters)
        assets = try c.decode([AssetInput].self, forKey: .assets)
        instruments = try c.decodeIfPresent([InstrumentInput].self, forKey: .instruments) ?? []
        optionMargin = try c.decodeIfPresent([String: PresetOrInline<OptionMarginInput>].self, forKey: .optionMargin)
        portfolio = try c.decodeIfPresent(PresetOrInline<PortfolioInput>.self, forKey: .portfolio)
        switch format {
        case .account:
            account = try c.decode(AccountInput.self, forKey: .account)
            if c.contains(.engine) {
                throw DecodingError.dataCorruptedError(forKey: .engine, in: c, debugDescription: "engine settings belong in a ballast.market/1 document")
            }
        case .market:
            if c.contains(.account) {
                throw DecodingError.dataCorruptedError(forKey: .account, in: c,
                                                       debugDescription: "a ballast.market/1 document has no account: accounts are opened by events")
            }
            engine = try c.decodeIfPresent(EngineSettingsInput.self, forKey: .engine)
        }
    }
}

/// Engine rules in a market document.
struct EngineSettingsInput: Decodable, Sendable {
    var withdrawalNotionalFraction: ExactNumber?
    var excludeUnrealisedProfit: Bool?
    var duplicateWindow: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case withdrawalNotionalFraction = "withdrawal_notional_fraction", excludeUnrealisedProfit = "exclude_unrealised_profit"
        case duplicateWindow = "duplicate_window"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        withdrawalNotionalFraction = try c.decodeIfPresent(ExactNumber.self, forKey: .withdrawalNotionalFraction)
        excludeUnrealisedProfit = try c.decodeIfPresent(Bool.self, forKey: .excludeUnrealisedProfit)
        duplicateWindow = try c.decodeWholeIfPresent(Int.self, forKey: .duplicateWindow)
    }
}

struct ValuationInput: Decodable, Sendable {
    var currency: String
    var decimals: Int
    enum CodingKeys: String, CodingKey, CaseIterable { case currency, decimals }
    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        currency = try c.decode(String.self, forKey: .currency)
        decimals = try c.decodeWhole(Int.self, forKey: .decimals)
    }
}

struct ParametersInput: Decodable, Sendable {
    var provenance: ProvenanceInput
    var healthBands: PresetOrInline<HealthBandsInput>?
    var liquidationPriceScope: String?
    var openGain: String?
    var orderInitialPrice: String?
    var isolatedIncrease: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, version, effective, source, healthBands = "health_bands", liquidationPriceScope = "liquidation_price_scope"
        case openGain = "open_gain", orderInitialPrice = "order_initial_price", isolatedIncrease = "isolated_increase"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        provenance = try ProvenanceInput(c, name: .name, version: .version, effective: .effective, source: .source)
        healthBands = try c.decodeIfPresent(PresetOrInline<HealthBandsInput>.self, forKey: .healthBands)
        liquidationPriceScope = try c.decodeIfPresent(String.self, forKey: .liquidationPriceScope)
        openGain = try c.decodeIfPresent(String.self, forKey: .openGain)
        orderInitialPrice = try c.decodeIfPresent(String.self, forKey: .orderInitialPrice)
        isolatedIncrease = try c.decodeIfPresent(String.self, forKey: .isolatedIncrease)
    }
}

struct AssetInput: Decodable, Sendable {
    var symbol: String
    var decimals: Int
    var indexPrice: RealNumber?
    var haircut: PresetOrInline<HaircutInput>?

    enum CodingKeys: String, CodingKey, CaseIterable { case symbol, decimals, indexPrice = "index_price", haircut }

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        symbol = try c.decode(String.self, forKey: .symbol)
        decimals = try c.decodeWhole(Int.self, forKey: .decimals)
        indexPrice = try c.decodeIfPresent(RealNumber.self, forKey: .indexPrice)
        haircut = try c.decodeIfPresent(PresetOrInline<HaircutInput>.self, forKey: .haircut)
    }
}

struct InstrumentInput: Decodable, Sendable {
    var symbol: String
    var kind: String
    var settlement: String
    var underlying: String
    var quote: String
    var contractSize: ExactNumber
    var tickSize: ExactNumber
    var lotSize: ExactNumber
    var expiry: InputTime?
    var right: String?
    var strike: RealNumber?
    var markPrice: RealNumber?
    var impliedVolatility: RealNumber?
    var forward: RealNumber?
    var forwardInstrument: String?
    var openInterest: RealNumber?
    var margin: PresetOrInline<MarginScheduleInput>?
    var riskArray: RiskArrayInput?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case symbol, kind, settlement, underlying, quote, contractSize = "contract_size", tickSize = "tick_size", lotSize = "lot_size"
        case expiry, right, strike, markPrice = "mark_price", impliedVolatility = "implied_volatility", forward
        case forwardInstrument = "forward_instrument"
        case openInterest = "open_interest", margin, riskArray = "risk_array"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        symbol = try c.decode(String.self, forKey: .symbol)
        kind = try c.decode(String.self, forKey: .kind)
        settlement = try c.decodeIfPresent(String.self, forKey: .settlement) ?? "linear"
        underlying = try c.decode(String.self, forKey: .underlying)
        quote = try c.decode(String.self, forKey: .quote)
        contractSize = try c.decodeIfPresent(ExactNumber.self, forKey: .contractSize) ?? ExactNumber(FixedPoint(units: 1, scale: 0))
        tickSize = try c.decode(ExactNumber.self, forKey: .tickSize)
        lotSize = try c.decode(ExactNumber.self, forKey: .lotSize)
        expiry = try c.decodeIfPresent(InputTime.self, forKey: .expiry)
        right = try c.decodeIfPresent(String.self, forKey: .right)
        strike = try c.decodeIfPresent(RealNumber.self, forKey: .strike)
        markPrice = try c.decodeIfPresent(RealNumber.self, forKey: .markPrice)
        impliedVolatility = try c.decodeIfPresent(RealNumber.self, forKey: .impliedVolatility)
        forward = try c.decodeIfPresent(RealNumber.self, forKey: .forward)
        forwardInstrument = try c.decodeIfPresent(String.self, forKey: .forwardInstrument)
        openInterest = try c.decodeIfPresent(RealNumber.self, forKey: .openInterest)
        margin = try c.decodeIfPresent(PresetOrInline<MarginScheduleInput>.self, forKey: .margin)
        riskArray = try c.decodeIfPresent(RiskArrayInput.self, forKey: .riskArray)
    }
}

/// A published risk array: losses of one long contract per scenario (loss positive, SPAN convention, already
/// weighted) and the composite delta per contract.
struct RiskArrayInput: Decodable, Sendable {
    var losses: [RealNumber]
    var delta: RealNumber
    enum CodingKeys: String, CodingKey, CaseIterable { case losses, delta }
    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        losses = try c.decode([RealNumber].self, forKey: .losses)
        delta = try c.decode(RealNumber.self, forKey: .delta)
    }
}

struct AccountInput: Decodable, Sendable {
    var id: String
    var model: String?
    var balances: [BalanceInput]
    var positions: [PositionInput]
    var openOrders: [OpenOrderInput]

    enum CodingKeys: String, CodingKey, CaseIterable { case id, model, balances, positions, openOrders = "open_orders" }

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        balances = try c.decodeIfPresent([BalanceInput].self, forKey: .balances) ?? []
        positions = try c.decodeIfPresent([PositionInput].self, forKey: .positions) ?? []
        openOrders = try c.decodeIfPresent([OpenOrderInput].self, forKey: .openOrders) ?? []
    }
}

struct BalanceInput: Decodable, Sendable {
    var asset: String
    var amount: ExactNumber
    enum CodingKeys: String, CodingKey, CaseIterable { case asset, amount }
    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        asset = try c.decode(String.self, forKey: .asset)
        amount = try c.decode(ExactNumber.self, forKey: .amount)
    }
}

struct PositionInput: Decodable, Sendable {
    var instrument: String
    var size: ExactNumber
    var entryPrice: ExactNumber?
    var leverage: RealNumber?
    var marginMode: String?
    var isolatedMargin: ExactNumber?
    var positionSide: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case instrument, size, entryPrice = "entry_price", leverage, marginMode = "margin_mode", isolatedMargin = "isolated_margin"
        case positionSide = "position_side"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        instrument = try c.decode(String.self, forKey: .instrument)
        size = try c.decode(ExactNumber.self, forKey: .size)
        entryPrice = try c.decodeIfPresent(ExactNumber.self, forKey: .entryPrice)
        leverage = try c.decodeIfPresent(RealNumber.self, forKey: .leverage)
        marginMode = try c.decodeIfPresent(String.self, forKey: .marginMode)
        isolatedMargin = try c.decodeIfPresent(ExactNumber.self, forKey: .isolatedMargin)
        positionSide = try c.decodeIfPresent(String.self, forKey: .positionSide)
    }
}
