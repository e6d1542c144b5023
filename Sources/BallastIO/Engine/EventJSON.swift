import BallastCore
import BallastEngine
import Foundation

/// The JSON form of engine events, one object per line (`events.jsonl`). Every event has `id`, `seq`, `time` and
/// `type`; the other members depend on the type, and a member that does not belong to the type is an error:
///
/// | type | members |
/// |---|---|
/// | `open_account` | `account`, `model` (standard or portfolio, default standard) |
/// | `deposit`, `withdrawal` | `account`, `asset`, `amount` |
/// | `transfer` | `from`, `to`, `asset`, `amount` |
/// | `fill` | `instrument`, `price`, `size`, `buyer` and/or `seller`: {`account`, `fee`, `leverage`, `isolated`, `position_side`} |
/// | `prices` | `index` {asset: price}, `marks` {instrument: price} |
/// | `volatility` | `volatilities` {option: volatility} |
/// | `funding` | `instrument`, `rate`, `price` |
/// | `settlement` | `instrument`, `price` (the underlying's settlement price) |
/// | `parameters` | `version`, `effective`, `document` (a `ballast.parameters/1` object) |
/// | `group` | `account`, `group` (null to leave), `model` |
/// | `leverage` | `account`, `instrument` (a future or perpetual), `leverage` (≥ 1) |
/// | `margin_mode` | `account`, `instrument` (a future or perpetual), `mode` (cross or isolated) |
///
/// A fill side's `isolated` names the margin mode of the position it goes to; omitted, the account's for the instrument
/// (the held position's, else the last `margin_mode` or closed position's, else cross).
///
/// Amounts, sizes, prices of fills, rates and fees are exact decimals (strings or numbers) checked against their
/// scale; market prices and volatilities are numbers.
public enum EventJSON {
    /// Decodes one event for `engine` (its catalog, and its latest parameters as the base of a parameter change).
    /// - Throws: ``InputError`` naming the member and the value.
    public static func decode(_ line: Data, engine: Engine, documents: EngineDocuments) throws(InputError) -> EngineEvent {
        try decode(line, catalog: engine.catalog, latest: engine.latestParameters, documents: documents)
    }

    /// Decodes one event against a catalog, with `latest` (the engine's latest parameters) as the base of a
    /// parameter change.
    /// - Throws: ``InputError`` naming the member and the value.
    public static func decode(_ line: Data, catalog: Catalog, latest: RiskParameters, documents: EngineDocuments) throws(InputError) -> EngineEvent {
        let input: EventLineInput = try StrictJSON.decode(line)
        return try input.event(catalog: catalog, latest: latest, documents: documents, defaultTime: nil)
    }

    /// Decodes the body of an API submission: one event object or an array of them. Unlike a journal line, `seq` may
    /// be omitted (the event gets sequence 0: the engine assigns the next number when it applies it, see
    /// `DurableEngine.submit(_:assigningSequences:)`) and so may `time` (then `now`). Every event is decoded before
    /// any is applied, so one bad event refuses the whole body.
    /// Returns the events and whether the body was an array (a batch).
    /// - Throws: ``InputError`` naming the member (`[3].size` for the fourth event of an array) and the value.
    public static func decodeSubmission(_ body: Data, catalog: Catalog, latest: RiskParameters, documents: EngineDocuments,
                                        now: Timestamp) throws(InputError) -> (events: [EngineEvent], isBatch: Bool) {
        let isArray = body.first { !$0.isJSONWhitespace } == UInt8(ascii: "[")
        let inputs: [EventLineInput] = isArray ? try StrictJSON.decode(body) : [try StrictJSON.decode(body)]
        var events: [EngineEvent] = []
        events.reserveCapacity(inputs.count)
        for (position, input) in inputs.enumerated() {
            do throws(InputError) {
                events.append(try input.event(catalog: catalog, latest: latest, documents: documents, defaultTime: now))
            } catch {
                guard isArray else { throw error }
                throw InputError(path: "[\(position)]" + (error.path.hasPrefix("[") ? "" : ".") + error.path, message: error.message)
            }
        }
        return (events, isArray)
    }
}

extension UInt8 {
    /// Whether the byte is JSON's insignificant whitespace: space, tab, line feed or carriage return.
    var isJSONWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}

/// The members of any event line.
struct EventLineInput: Decodable, Sendable {
    struct SideInput: Decodable, Sendable {
        var account: String
        var fee: ExactNumber?
        var leverage: RealNumber?
        var isolated: Bool?
        var positionSide: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case account, fee, leverage, isolated
            case positionSide = "position_side"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            account = try c.decode(String.self, forKey: .account)
            fee = try c.decodeIfPresent(ExactNumber.self, forKey: .fee)
            leverage = try c.decodeIfPresent(RealNumber.self, forKey: .leverage)
            isolated = try c.decodeIfPresent(Bool.self, forKey: .isolated)
            positionSide = try c.decodeIfPresent(String.self, forKey: .positionSide)
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, seq, time, type, account, model, asset, amount, from, to, instrument, price, size, buyer, seller
        case index, marks, volatilities, rate, version, effective, document, group, leverage, mode
    }

    /// The members each type may have besides id, seq, time and type.
    static let members: [String: Set<CodingKeys>] = [
        "open_account": [.account, .model],
        "deposit": [.account, .asset, .amount],
        "withdrawal": [.account, .asset, .amount],
        "transfer": [.from, .to, .asset, .amount],
        "fill": [.instrument, .price, .size, .buyer, .seller],
        "prices": [.index, .marks],
        "volatility": [.volatilities],
        "funding": [.instrument, .rate, .price],
        "settlement": [.instrument, .price],
        "parameters": [.version, .effective, .document],
        "group": [.account, .group, .model],
        "leverage": [.account, .instrument, .leverage],
        "margin_mode": [.account, .instrument, .mode],
    ]

    var id: String
    /// `nil` when omitted (allowed in API submissions only).
    var seq: UInt64?
    /// `nil` when omitted (allowed in API submissions only).
    var time: InputTime?
    var type: String
    var account: String?
    var model: String?
    var asset: String?
    var amount: ExactNumber?
    var from: String?
    var to: String?
    var instrument: String?
    var price: ExactNumber?
    var size: ExactNumber?
    var buyer: SideInput?
    var seller: SideInput?
    var index: [String: RealNumber]?
    var marks: [String: RealNumber]?
    var volatilities: [String: RealNumber]?
    var rate: ExactNumber?
    var version: Int?
    var effective: InputTime?
    var document: JSONValue?
    var group: String?
    var leverage: RealNumber?
    var mode: String?
    var present: Set<CodingKeys> = []

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        seq = try c.decodeWholeIfPresent(UInt64.self, forKey: .seq)
        time = try c.decodeIfPresent(InputTime.self, forKey: .time)
        type = try c.decode(String.self, forKey: .type)
        guard let allowed = Self.members[type] else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: c,
                                                   debugDescription: "\"\(type)\" is not an event type (\(Self.members.keys.sorted().joined(separator: ", ")))")
        }
        for key in c.allKeys where ![.id, .seq, .time, .type].contains(key) && !allowed.contains(key) {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\"\(key.stringValue)\" is not a member of a \(type) event")
        }
        present = Set(c.allKeys)
        account = try c.decodeIfPresent(String.self, forKey: .account)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        asset = try c.decodeIfPresent(String.self, forKey: .asset)
        amount = try c.decodeIfPresent(ExactNumber.self, forKey: .amount)
        from = try c.decodeIfPresent(String.self, forKey: .from)
        to = try c.decodeIfPresent(String.self, forKey: .to)
        instrument = try c.decodeIfPresent(String.self, forKey: .instrument)
        price = type == "prices" ? nil : try c.decodeIfPresent(ExactNumber.self, forKey: .price)
        size = try c.decodeIfPresent(ExactNumber.self, forKey: .size)
        buyer = try c.decodeIfPresent(SideInput.self, forKey: .buyer)
        seller = try c.decodeIfPresent(SideInput.self, forKey: .seller)
        index = try c.decodeIfPresent([String: RealNumber].self, forKey: .index)
        marks = try c.decodeIfPresent([String: RealNumber].self, forKey: .marks)
        volatilities = try c.decodeIfPresent([String: RealNumber].self, forKey: .volatilities)
        rate = try c.decodeIfPresent(ExactNumber.self, forKey: .rate)
        version = try c.decodeWholeIfPresent(Int.self, forKey: .version)
        effective = try c.decodeIfPresent(InputTime.self, forKey: .effective)
        document = try c.decodeIfPresent(JSONValue.self, forKey: .document)
        group = try c.decodeIfPresent(String.self, forKey: .group)
        leverage = try c.decodeIfPresent(RealNumber.self, forKey: .leverage)
        mode = try c.decodeIfPresent(String.self, forKey: .mode)
    }

    /// The event, resolving symbols in `catalog` and checking every amount against its scale. With a `defaultTime`
    /// (API submissions), `seq` may be omitted (0: assigned when applied) and `time` defaults to it; without one (a
    /// journal line) both are required.
    func event(catalog: Catalog, latest: RiskParameters, documents: EngineDocuments, defaultTime: Timestamp?) throws(InputError) -> EngineEvent {
        let root = JSONPath.root
        guard let eventTime = time?.value ?? defaultTime else { throw root.key("time").error("missing required member") }
        guard let sequence = seq ?? (defaultTime == nil ? nil : 0) else { throw root.key("seq").error("missing required member") }
        func required<T>(_ value: T?, _ key: CodingKeys) throws(InputError) -> T {
            guard let value else { throw root.key(key.stringValue).error("missing required member of a \(type) event") }
            return value
        }
        func assetID(_ symbol: String, _ path: JSONPath) throws(InputError) -> AssetID {
            guard let id = catalog.asset(symbol) else { throw path.error("unknown asset \"\(symbol)\"") }
            return id
        }
        func instrumentID(_ symbol: String, _ path: JSONPath) throws(InputError) -> InstrumentID {
            guard let id = catalog.instrument(symbol) else { throw path.error("unknown instrument \"\(symbol)\"") }
            return id
        }
        func amountUnits(_ asset: AssetID) throws(InputError) -> Int128 {
            let value = try required(amount, .amount).value
            return try ledgerUnits(value, decimals: catalog[asset: asset].decimals, symbol: catalog[asset: asset].symbol, root.key("amount"))
        }
        func marginModel() throws(InputError) -> MarginModel {
            guard let name = model else { return .standard }
            guard let parsed = MarginModel(rawValue: name) else { throw root.key("model").error("\"\(name)\" is not standard or portfolio") }
            return parsed
        }

        let body: EventBody
        switch type {
        case "open_account":
            body = .openAccount(AccountOpening(account: try required(account, .account), model: try marginModel()))
        case "deposit", "withdrawal":
            let asset = try assetID(try required(asset, .asset), root.key("asset"))
            let movement = FundsMovement(account: try required(account, .account), asset: asset, amount: try amountUnits(asset))
            body = type == "deposit" ? .deposit(movement) : .withdrawal(movement)
        case "transfer":
            let asset = try assetID(try required(asset, .asset), root.key("asset"))
            body = .transfer(Transfer(from: try required(from, .from), to: try required(to, .to), asset: asset, amount: try amountUnits(asset)))
        case "fill":
            let id = try instrumentID(try required(instrument, .instrument), root.key("instrument"))
            let traded = catalog[instrument: id]
            let feeAsset = catalog[asset: traded.settle]
            func side(_ input: SideInput?, _ name: String) throws(InputError) -> Fill.Side? {
                guard let input else { return nil }
                let path = root.key(name)
                let fee = try input.fee.map { (fee: ExactNumber) throws(InputError) in
                    try ledgerUnits(fee.value, decimals: feeAsset.decimals, symbol: feeAsset.symbol, path.key("fee"))
                } ?? 0
                let positionSide = try PositionSideInput.resolve(input.positionSide, instrument: traded, path: path.key("position_side"))
                return Fill.Side(account: input.account, fee: fee, leverage: input.leverage?.value, isolated: input.isolated,
                                 positionSide: positionSide)
            }
            let size = try sizeUnits(try required(size, .size).value, instrument: traded, root.key("size"))
            body = .fill(Fill(instrument: id, price: try required(price, .price).value, size: size, buyer: try side(buyer, "buyer"),
                              seller: try side(seller, "seller")))
        case "prices":
            var update = PriceUpdate()
            for (symbol, price) in (index ?? [:]).sorted(by: { $0.key < $1.key }) {
                update.index.append(IndexQuote(asset: try assetID(symbol, root.key("index").key(symbol)), price: price.value))
            }
            for (symbol, price) in (marks ?? [:]).sorted(by: { $0.key < $1.key }) {
                update.marks.append(MarkQuote(instrument: try instrumentID(symbol, root.key("marks").key(symbol)), price: price.value))
            }
            body = .prices(update)
        case "volatility":
            var entries: [ImpliedVolatility] = []
            for (symbol, volatility) in try required(volatilities, .volatilities).sorted(by: { $0.key < $1.key }) {
                entries.append(ImpliedVolatility(instrument: try instrumentID(symbol, root.key("volatilities").key(symbol)), volatility: volatility.value))
            }
            body = .volatility(VolatilityUpdate(volatilities: entries))
        case "funding":
            let id = try instrumentID(try required(instrument, .instrument), root.key("instrument"))
            body = .funding(FundingPayment(instrument: id, rate: try required(rate, .rate).value, price: try required(price, .price).value))
        case "settlement":
            let id = try instrumentID(try required(instrument, .instrument), root.key("instrument"))
            body = .settlement(ExpirySettlement(instrument: id, price: try required(price, .price).value))
        case "parameters":
            let text = try required(document, .document).canonicalText
            let parameters: RiskParameters
            do throws(InputError) {
                parameters = try documents.decodeParameters(Data(text.utf8), over: latest, catalog: catalog)
            } catch {
                throw InputError(path: error.path == "(document)" ? "document" : "document." + error.path, message: error.message)
            }
            body = .parameters(ParameterChange(version: try required(version, .version), effective: try required(effective, .effective).value,
                                               document: text, parameters: parameters))
        case "leverage":
            let id = try instrumentID(try required(instrument, .instrument), root.key("instrument"))
            body = .leverage(LeverageChange(account: try required(account, .account), instrument: id, leverage: try required(leverage, .leverage).value))
        case "margin_mode":
            let id = try instrumentID(try required(instrument, .instrument), root.key("instrument"))
            let isolated = try MarginModeInput.resolve(try required(mode, .mode), instrument: nil, path: root.key("mode")) ?? false
            body = .marginMode(MarginModeChange(account: try required(account, .account), instrument: id, isolated: isolated))
        default:
            guard present.contains(.group) else { throw root.key("group").error("missing required member (null to leave the group)") }
            body = .group(GroupMembership(account: try required(account, .account), group: group, model: try marginModel()))
        }
        return EngineEvent(id: id, sequence: sequence, time: eventTime, body: body)
    }
}
