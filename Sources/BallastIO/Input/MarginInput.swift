import BallastCore
import Foundation

/// A validated `ballast margin` input: the catalog, snapshot and parameters (as a ``RiskContext``) and the account.
///
/// Decoding checks everything a margin computation relies on and reports the first problem as an ``InputError``
/// naming the JSON path and the value: unknown or duplicate symbols, prices that are missing, not finite or not
/// positive, sizes and amounts with more decimals than their scale allows, held instruments that are expired or lack
/// parameters.
public struct MarginInput: Sendable {
    /// The reference data, snapshot and parameters.
    public var context: RiskContext
    /// The account.
    public var account: Account
    /// The account's resting orders (`account.open_orders`), in file order.
    public var orders: [OpenOrder] = []

    /// Decodes and validates a document, optionally overriding the account's model and portfolio parameters
    /// (`--model portfolio --preset NAME`).
    /// - Throws: ``InputError``.
    public static func decode(_ data: Data, presets: PresetLibrary = PresetLibrary(), model: MarginModel? = nil,
                              portfolioPreset: String? = nil) throws(InputError) -> MarginInput {
        let input: AccountFileInput = try StrictJSON.decode(data)
        return try MarginInputResolver(input: input, presets: presets, model: model, portfolioPreset: portfolioPreset).resolve()
    }
}

/// Builds core values from a decoded document, checking each field against the rules of the core.
struct MarginInputResolver {
    let input: AccountFileInput
    let presets: PresetLibrary
    let model: MarginModel?
    let portfolioPreset: String?

    func resolve() throws(InputError) -> MarginInput {
        let root = JSONPath.root
        guard input.format == .account, input.account != nil else {
            throw root.key("format").error("\(input.format.rawValue) is a market document: ballast margin needs a ballast.account/1 document with an account")
        }
        var (catalog, snapshot, parameters) = try resolveMarket()
        if let name = portfolioPreset {
            parameters.portfolio = try presets.portfolio(.named(name), path: JSONPath.root.key("--preset"), catalog: catalog)
        }
        var account = try resolveAccount(catalog: catalog, snapshot: snapshot, parameters: parameters)
        if let model { account.model = model }
        if account.model == .portfolio, parameters.portfolio == nil {
            throw root.key("portfolio").error("missing for a portfolio-margined account (give a preset name such as ballast-crypto-default, or --preset)")
        }
        if let portfolio = parameters.portfolio {
            for (id, array) in snapshot.suppliedRiskArrays.sorted(by: { $0.key < $1.key }) where array.losses.count != portfolio.scenarios.count {
                throw root.key("instruments").index(id.index).key("risk_array").key("losses")
                    .error("has \(array.losses.count) losses; the scenario grid has \(portfolio.scenarios.count)")
            }
        }
        let context = RiskContext(catalog: catalog, snapshot: snapshot, parameters: parameters)
        try HeldInstruments.check(account, context: context)
        try ReportableRange.check(account, context: context)
        let orders = try OpenOrderInput.resolve(input.account?.openOrders ?? [], account: account, context: context,
                                                path: JSONPath.root.key("account").key("open_orders"))
        return MarginInput(context: context, account: account, orders: orders)
    }


    /// The catalog, snapshot and parameters of the document (everything but the account).
    func resolveMarket() throws(InputError) -> (Catalog, MarketSnapshot, RiskParameters) {
        let root = JSONPath.root
        var valuation = ValuationCurrency.usd
        if let given = input.valuation {
            guard (0...FixedPoint.maximumScale).contains(given.decimals) else {
                throw root.key("valuation").key("decimals").error("\(given.decimals) must be between 0 and \(FixedPoint.maximumScale)")
            }
            valuation = ValuationCurrency(symbol: given.currency, decimals: given.decimals)
        }
        var catalog = Catalog(valuation: valuation)
        for (i, asset) in input.assets.enumerated() {
            let path = root.key("assets").index(i)
            guard !asset.symbol.isEmpty else { throw path.key("symbol").error("must not be empty") }
            do {
                try catalog.add(Asset(symbol: asset.symbol, decimals: asset.decimals))
            } catch .duplicateAsset(let symbol) {
                throw path.key("symbol").error("duplicate asset symbol \"\(symbol)\"")
            } catch {
                throw path.key("decimals").error("\(asset.decimals) must be between 0 and \(FixedPoint.maximumScale)")
            }
        }
        for (i, instrument) in input.instruments.enumerated() {
            try catalog.add(instrument: instrument, path: root.key("instruments").index(i))
        }
        for (i, instrument) in input.instruments.enumerated() {
            guard let name = instrument.forwardInstrument else { continue }
            let path = root.key("instruments").index(i).key("forward_instrument")
            guard instrument.forward == nil else { throw path.error("\"\(name)\": give forward or forward_instrument, not both") }
            guard let source = catalog.instrument(name) else { throw path.error("no instrument \"\(name)\" is defined") }
            do {
                try catalog.setForward(of: InstrumentID(i), to: source)
            } catch .invalid(_, _, let reason) {
                throw path.error(reason)
            } catch {
                throw path.error("\(error)")
            }
        }

        var snapshot = MarketSnapshot(catalog: catalog, time: input.time.value)
        var parameters = RiskParameters(catalog: catalog, info: input.parameters?.provenance.info(defaultName: "account-file") ?? .inline)
        for (i, asset) in input.assets.enumerated() {
            if let price = asset.indexPrice {
                snapshot.indexPrices[i] = try positive(price, root.key("assets").index(i).key("index_price"))
            }
        }
        for (i, instrument) in input.instruments.enumerated() {
            let path = root.key("instruments").index(i)
            if let mark = instrument.markPrice { snapshot.markPrices[i] = try positive(mark, path.key("mark_price")) }
            if let vol = instrument.impliedVolatility { snapshot.impliedVolatilities[i] = try positive(vol, path.key("implied_volatility")) }
            if let forward = instrument.forward { snapshot.forwards[i] = try positive(forward, path.key("forward")) }
            if let interest = instrument.openInterest {
                guard interest.value >= 0 else { throw path.key("open_interest").error("\(interest.value) must not be negative") }
                snapshot.openInterest[i] = interest.value
            }
            if let array = instrument.riskArray {
                // Per-contract figures beyond 10^20 are no venue's; bounding them keeps every scenario sum finite.
                for (s, loss) in array.losses.enumerated() where !(loss.value.magnitude <= 1e20) {
                    throw path.key("risk_array").key("losses").index(s).error("\(loss.value) is out of range (|loss| ≤ 1e20 per contract)")
                }
                guard array.delta.value.magnitude <= 1e20 else {
                    throw path.key("risk_array").key("delta").error("\(array.delta.value) is out of range (|delta| ≤ 1e20 per contract)")
                }
                snapshot.suppliedRiskArrays[InstrumentID(i)] = SuppliedRiskArray(losses: array.losses.map(\.value), delta: array.delta.value)
            }
        }
        let sections = ParameterSections(
            haircuts: input.assets.enumerated().compactMap { i, asset in asset.haircut.map { (i, $0) } },
            margins: input.instruments.enumerated().compactMap { i, instrument in instrument.margin.map { (i, $0) } },
            optionMargin: input.optionMargin, parameters: input.parameters, portfolio: input.portfolio)
        try sections.apply(to: &parameters, catalog: catalog, presets: presets)
        if let portfolio = parameters.portfolio {
            for (id, array) in snapshot.suppliedRiskArrays.sorted(by: { $0.key < $1.key }) where array.losses.count != portfolio.scenarios.count {
                throw root.key("instruments").index(id.index).key("risk_array").key("losses")
                    .error("has \(array.losses.count) losses; the scenario grid has \(portfolio.scenarios.count)")
            }
        }
        return (catalog, snapshot, parameters)
    }

    private func positive(_ number: RealNumber, _ path: JSONPath) throws(InputError) -> Double {
        try number.price(at: path)
    }

    private func resolveAccount(catalog: Catalog, snapshot: MarketSnapshot, parameters: RiskParameters) throws(InputError) -> Account {
        let path = JSONPath.root.key("account")
        guard let input = input.account else { throw path.error("missing required field") }
        guard !input.id.isEmpty else { throw path.key("id").error("must not be empty") }
        var account = Account(id: input.id)
        switch input.model ?? "standard" {
        case "standard": account.model = .standard
        case "portfolio": account.model = .portfolio
        case let other: throw path.key("model").error("\"\(other)\" is not standard or portfolio")
        }
        for (i, balance) in input.balances.enumerated() {
            let at = path.key("balances").index(i)
            guard let asset = catalog.asset(balance.asset) else { throw at.key("asset").error("unknown asset \"\(balance.asset)\"") }
            guard !account.balances.contains(where: { $0.asset == asset }) else { throw at.key("asset").error("duplicate balance of \"\(balance.asset)\"") }
            let units = try ledgerUnits(balance.amount.value, decimals: catalog[asset: asset].decimals, symbol: balance.asset, at.key("amount"))
            account.setBalance(asset, units: units)
        }
        // Instruments listed with size 0 (a setting that chooses cross at the cap keeps nothing, so the account cannot tell).
        var listedAtZero: Set<InstrumentID> = []
        for (i, entry) in input.positions.enumerated() {
            let at = path.key("positions").index(i)
            guard let id = catalog.instrument(entry.instrument) else { throw at.key("instrument").error("unknown instrument \"\(entry.instrument)\"") }
            let instrument = catalog[instrument: id]
            // A size-0 entry is a setting of the instrument, not a position (no side of its own).
            let size = try sizeUnits(entry.size.value, instrument: instrument, at.key("size"), wholeLots: true)
            if size == 0 {
                try account.readInstrumentSetting(entry, id: id, instrument: instrument, listed: listedAtZero.contains(id), at: at)
                listedAtZero.insert(id)
                continue
            }
            let side = try PositionSideInput.resolve(entry.positionSide, instrument: instrument, path: at.key("position_side"))
            guard account.position(id, side: side) == nil else {
                throw at.key("instrument").error("duplicate position in \"\(entry.instrument)\"" + (side.isLeg ? " (\(side.rawValue) leg)" : ""))
            }
            guard account.admits(side, of: id) else {
                throw at.key("position_side").error("\"\(entry.instrument)\" is held both one way and in hedge-mode legs: give every position in it a position_side, or none")
            }
            guard !listedAtZero.contains(id) else {
                throw at.key("instrument").error("\"\(entry.instrument)\" is also listed with size 0 (its setting): list it once")
            }
            guard side.allows(size: size) else {
                throw at.key("size").error("\(entry.size.value) does not fit the \(side.rawValue) leg (a long leg is positive, a short leg negative)")
            }
            guard let entryPrice = entry.entryPrice?.value else { throw at.key("entry_price").error("missing required field") }
            guard entryPrice.units > 0 else { throw at.key("entry_price").error("\(entryPrice) must be positive") }
            let cost: Int128
            do {
                cost = try TradeExecution.cost(of: size, at: entryPrice, instrument: instrument)
            } catch {
                throw at.error("size × entry price is out of range")
            }
            if let leverage = entry.leverage, !(leverage.value >= 1) {
                throw at.key("leverage").error("\(leverage.value) must be a number ≥ 1")
            }
            var mode = MarginMode.cross
            if try MarginModeInput.resolve(entry.marginMode, instrument: instrument, path: at.key("margin_mode")) == true {
                guard let margin = entry.isolatedMargin else { throw at.key("isolated_margin").error("missing required field for an isolated position") }
                let settle = catalog[asset: instrument.settle]
                let units = try ledgerUnits(margin.value, decimals: settle.decimals, symbol: settle.symbol, at.key("isolated_margin"))
                guard units >= 0 else { throw at.key("isolated_margin").error("\(margin.value) must not be negative") }
                mode = .isolated(margin: units)
            } else if entry.isolatedMargin != nil {
                throw at.key("isolated_margin").error("applies only when margin_mode is isolated")
            }
            if case .spot = instrument.kind { throw at.key("instrument").error("\"\(instrument.symbol)\" is a spot pair: hold its assets as balances") }
            account.setPosition(Position(instrument: id, size: size, cost: cost, leverage: entry.leverage?.value, mode: mode, side: side))
        }
        return account
    }

}

/// What an account's holdings need from a context.
enum HeldInstruments {
    /// What else may stand for a missing mark: nothing for a future or perpetual; for an option, an implied volatility,
    /// unless it expires at the snapshot time, where it is worth its intrinsic value (from its underlying's index
    /// price) and only an option worth 0 (at or out of the money) is left without a mark.
    static func markHint(_ risk: InstrumentRisk, snapshot: Timestamp) -> String {
        guard case .option = risk.form else { return "" }
        guard risk.expiry == snapshot else { return " (or give an implied_volatility)" }
        return risk.underlyingPrice > 0 ? ", which expires worthless at the snapshot time (at or out of the money): settle it instead of margining it"
                                        : ", which expires at the snapshot time (its underlying's index price gives its value)"
    }

    /// Checks that every held instrument has what the account's model needs, naming the field to fix.
    static func check(_ account: Account, context: RiskContext) throws(InputError) {
        for (slot, position) in account.positions.enumerated() {
            let risk = context.instruments[position.instrument.index]
            let instrumentPath = JSONPath.root.key("instruments").index(position.instrument.index)
            let symbol = context.catalog[instrument: position.instrument].symbol
            let needsStandard = account.model == .standard || position.mode.isIsolated
            // Its PnL and margin are valued in its settlement asset (an inverse contract's coin), held or not.
            let unpricedSettlement = context.indexPrices[risk.settle.index].isNaN
                ? MarginError.missingIndexPrice(asset: context.catalog[asset: risk.settle].symbol) : nil
            let problem = context.problem(of: position.instrument) ?? (needsStandard ? context.standardProblem(of: position.instrument) : nil)
                ?? unpricedSettlement
            guard let problem else {
                if account.model == .portfolio, !position.mode.isIsolated, let arrays = context.riskArrays,
                   !arrays.available[position.instrument.index], let missing = arrays.problems[position.instrument.index] {
                    throw instrumentPath.error("no scenario array for held instrument \"\(symbol)\": \(missing)")
                }
                continue
            }
            switch problem {
            case .missingMarkPrice(let missing) where missing != symbol:
                let source = context.catalog.instrument(missing)?.index ?? 0
                throw JSONPath.root.key("instruments").index(source).key("mark_price")
                    .error("missing for instrument \"\(missing)\", the forward of held option \"\(symbol)\"")
            case .missingMarkPrice:
                // A volatility was given, and the option had what else pricing needs (its underlying's index price, a
                // forward), yet it is priced at 0 (Black-76 underflows far from the money): the volatility is what to
                // fix, or a mark to give.
                let forward = context.details[position.instrument.index].pricing.forward
                if case .option = risk.form, risk.expiry != context.snapshot.time,
                   risk.underlyingPrice.isFinite, risk.underlyingPrice > 0, forward.isFinite, forward > 0,
                   let volatility = context.snapshot.impliedVolatilities[position.instrument.index] {
                    throw instrumentPath.key("implied_volatility")
                        .error("\(volatility) prices held option \"\(symbol)\" at 0 (too little volatility for its distance from the money): give a mark_price or a larger implied_volatility")
                }
                throw instrumentPath.key("mark_price").error("missing for held instrument \"\(symbol)\"" + Self.markHint(risk, snapshot: context.snapshot.time))
            case .expired(_, let expiry, let snapshot):
                throw instrumentPath.key("expiry").error("\(expiry) is before the snapshot time \(snapshot): held instrument \"\(symbol)\" has expired")
            case .missingIndexPrice(let asset):
                let index = context.catalog.asset(asset)?.index ?? 0
                throw JSONPath.root.key("assets").index(index).key("index_price").error("missing for asset \"\(asset)\" of held instrument \"\(symbol)\"")
            case .missingMarginSchedule:
                throw instrumentPath.key("margin").error("missing for held instrument \"\(symbol)\"")
            case .missingOptionParameters(let underlying):
                throw JSONPath.root.key("option_margin").error("no option margin parameters for underlying \"\(underlying)\" of held option \"\(symbol)\"")
            default:
                throw JSONPath.root.key("account").key("positions").index(slot).error(problem.description)
            }
        }
        for (i, balance) in account.balances.enumerated() where context.indexPrices[balance.asset.index].isNaN {
            throw JSONPath.root.key("account").key("balances").index(i).key("asset")
                .error("no index price for held asset \"\(context.catalog[asset: balance.asset].symbol)\" (set assets[\(balance.asset.index)].index_price)")
        }
    }
}

/// An exact amount as ledger units of an asset, refusing more decimals than the asset has.
func ledgerUnits(_ value: FixedPoint, decimals: Int, symbol: String, _ path: JSONPath) throws(InputError) -> Int128 {
    guard value.fits(decimals: decimals), let units = value.rescaled(to: decimals, rounding: .towardZero) else {
        throw path.error("\(value.trimmedDescription) has more decimals than \(symbol) allows (\(decimals))")
    }
    return units.units
}

/// An exact size as integer units of an instrument's lot scale, refusing more decimals and out-of-range sizes.
/// With `wholeLots`, also refuses a size that is not a whole number of lots (a position held or a trade placed at a
/// venue always is); an engine event's size is left to the engine, which rejects it as an event.
func sizeUnits(_ value: FixedPoint, instrument: Instrument, _ path: JSONPath, wholeLots: Bool = false) throws(InputError) -> Int64 {
    guard value.fits(decimals: instrument.sizeDecimals), let units = value.rescaled(to: instrument.sizeDecimals, rounding: .towardZero) else {
        throw path.error("\(value.trimmedDescription) has more decimals than \(instrument.symbol) allows (lot size \(instrument.lotSize.trimmedDescription))")
    }
    guard let size = Int64(exactly: units.units), size.magnitude <= Trade.maximumSize.magnitude else { throw path.error("\(value.trimmedDescription) is out of range") }
    if wholeLots, !instrument.isWholeLots(size) {
        throw path.error("\(value.trimmedDescription) is not a whole number of \(instrument.symbol) lots (lot size \(instrument.lotSize.trimmedDescription))")
    }
    return size
}

extension Catalog {
    /// Adds a decoded instrument, translating its fields and reporting problems at `path`.
    mutating func add(instrument input: InstrumentInput, path: JSONPath) throws(InputError) {
        guard !input.symbol.isEmpty else { throw path.key("symbol").error("must not be empty") }
        guard let underlying = asset(input.underlying) else {
            throw path.key("underlying").error("no asset \"\(input.underlying)\" is defined")
        }
        guard let settlement = Settlement(rawValue: input.settlement) else {
            throw path.key("settlement").error("\"\(input.settlement)\" is not linear or inverse")
        }
        let settle: AssetID
        switch settlement {
        case .linear:
            guard let quoteAsset = asset(input.quote) else {
                throw path.key("quote").error("no asset \"\(input.quote)\" is defined: a linear instrument settles in its quote currency")
            }
            settle = quoteAsset
        case .inverse:
            settle = underlying
        }
        let kind: InstrumentKind
        switch input.kind {
        case "spot", "perpetual":
            if input.expiry != nil { throw path.key("expiry").error("a \(input.kind) has no expiry") }
            kind = input.kind == "spot" ? .spot : .perpetual
        case "future":
            guard let expiry = input.expiry else { throw path.key("expiry").error("missing required field for a future") }
            kind = .future(expiry: expiry.value)
        case "option":
            guard let expiry = input.expiry else { throw path.key("expiry").error("missing required field for an option") }
            guard let rightText = input.right, let right = OptionRight(rawValue: rightText) else {
                throw path.key("right").error("\(input.right.map { "\"\($0)\"" } ?? "missing"): an option needs right call or put")
            }
            guard let strikeInput = input.strike else { throw path.key("strike").error("missing: an option needs a positive strike") }
            let strike = try strikeInput.price(at: path.key("strike"))
            kind = .option(right: right, strike: strike, expiry: expiry.value)
        case let other:
            throw path.key("kind").error("\"\(other)\" is not spot, perpetual, future or option")
        }
        for (name, value) in [("contract_size", input.contractSize.value), ("tick_size", input.tickSize.value), ("lot_size", input.lotSize.value)]
            where value.units <= 0 {
            throw path.key(name).error("\(value.trimmedDescription) must be positive")
        }
        do {
            try add(Instrument(symbol: input.symbol, kind: kind, settlement: settlement, underlying: underlying, settle: settle,
                               quote: input.quote, contractSize: input.contractSize.value, tickSize: input.tickSize.value,
                               lotSize: input.lotSize.value))
        } catch .duplicateInstrument(let symbol) {
            throw path.key("symbol").error("duplicate instrument symbol \"\(symbol)\"")
        } catch .invalid(let field, _, let reason) {
            throw path.key(field).error(reason)
        } catch {
            throw path.error("\(error)")
        }
    }
}
