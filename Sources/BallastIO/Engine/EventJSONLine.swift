import BallastCore
import BallastEngine
import Foundation

/// The JSON line of an engine event, in the form ``EventJSON`` reads: `ballast export` writes a store's journal so, to
/// audit it or ingest it into a new store. Amounts, sizes, fees, rates and fill prices are exact decimals at their
/// scales, market prices, volatilities and leverages numbers (the shortest text that reads back to the same `Double`),
/// times ISO 8601 UTC, a parameter change's document its stored canonical text. Reading a line back gives an event with
/// the same journal bytes, except that a price or volatility update keeps one quote per symbol (the last), in symbol
/// order, as the reader makes them.
public enum EventJSONLine {
    /// The encoder of the lines (sorted keys, unescaped slashes); one may serve every line of an export.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The event as one line of JSON (no trailing newline), with symbols from `catalog`.
    public static func text(_ event: EngineEvent, catalog: Catalog, encoder: JSONEncoder = encoder()) -> String {
        // Every member is a string, a finite number, a Boolean or an embedded document read from JSON: encoding cannot fail.
        guard let data = try? encoder.encode(Line(event, catalog: catalog)) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// One fill side.
    struct Side: Encodable {
        var account: String
        var fee: String
        var leverage: Double?
        var isolated: Bool?
        var positionSide: String?

        /// The reader's member names, so that the two agree.
        typealias CodingKeys = EventLineInput.SideInput.CodingKeys

        init(_ side: Fill.Side, feeDecimals: Int) {
            account = side.account
            fee = FixedPoint(units: side.fee, scale: feeDecimals).description
            leverage = side.leverage
            isolated = side.isolated
            positionSide = side.positionSide == .net ? nil : side.positionSide.rawValue
        }
    }

    /// The members of a line; `nil` ones are left out, except a group event's `group` (null leaves the group).
    struct Line: Encodable {
        var id: String
        var seq: UInt64
        var time: String
        var type: String
        var account: String?
        var model: String?
        var asset: String?
        var amount: String?
        var from: String?
        var to: String?
        var instrument: String?
        var price: String?
        var size: String?
        var buyer: Side?
        var seller: Side?
        var index: [String: Double]?
        var marks: [String: Double]?
        var volatilities: [String: Double]?
        var rate: String?
        var version: Int?
        var effective: String?
        var document: JSONValue?
        var group: String?
        var leverage: Double?
        var mode: String?

        init(_ event: EngineEvent, catalog: Catalog) {
            id = event.id
            seq = event.sequence
            time = event.time.description
            type = event.body.kind
            func written(_ units: Int128, of asset: AssetID) -> String {
                FixedPoint(units: units, scale: catalog[asset: asset].decimals).description
            }
            switch event.body {
            case .openAccount(let opening):
                account = opening.account
                model = opening.model.rawValue
            case .deposit(let movement), .withdrawal(let movement):
                account = movement.account
                asset = catalog[asset: movement.asset].symbol
                amount = written(movement.amount, of: movement.asset)
            case .transfer(let transfer):
                (from, to) = (transfer.from, transfer.to)
                asset = catalog[asset: transfer.asset].symbol
                amount = written(transfer.amount, of: transfer.asset)
            case .fill(let fill):
                let traded = catalog[instrument: fill.instrument]
                instrument = traded.symbol
                price = fill.price.description
                size = FixedPoint(units: Int128(fill.size), scale: traded.sizeDecimals).description
                let feeDecimals = catalog[asset: traded.settle].decimals
                buyer = fill.buyer.map { Side($0, feeDecimals: feeDecimals) }
                seller = fill.seller.map { Side($0, feeDecimals: feeDecimals) }
            case .prices(let update):
                index = Dictionary(update.index.map { (catalog[asset: $0.asset].symbol, $0.price) }) { _, last in last }
                marks = Dictionary(update.marks.map { (catalog[instrument: $0.instrument].symbol, $0.price) }) { _, last in last }
            case .volatility(let update):
                volatilities = Dictionary(update.volatilities.map { (catalog[instrument: $0.instrument].symbol, $0.volatility) }) { _, last in last }
            case .funding(let payment):
                instrument = catalog[instrument: payment.instrument].symbol
                rate = payment.rate.description
                price = payment.price.description
            case .settlement(let settlement):
                instrument = catalog[instrument: settlement.instrument].symbol
                price = settlement.price.description
            case .parameters(let change):
                version = change.version
                effective = change.effective.description
                document = (try? JSONDecoder().decode(JSONValue.self, from: Data(change.document.utf8))) ?? .string(change.document)
            case .group(let membership):
                account = membership.account
                group = membership.group
                model = membership.model.rawValue
            case .leverage(let change):
                account = change.account
                instrument = catalog[instrument: change.instrument].symbol
                leverage = change.leverage
            case .marginMode(let change):
                account = change.account
                instrument = catalog[instrument: change.instrument].symbol
                mode = MarginMode.name(isolated: change.isolated)
            }
        }

        func encode(to encoder: any Encoder) throws {
            // The reader's member names, so that the two agree.
            var c = encoder.container(keyedBy: EventLineInput.CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(seq, forKey: .seq)
            try c.encode(time, forKey: .time)
            try c.encode(type, forKey: .type)
            try c.encodeIfPresent(account, forKey: .account)
            try c.encodeIfPresent(model, forKey: .model)
            try c.encodeIfPresent(asset, forKey: .asset)
            try c.encodeIfPresent(amount, forKey: .amount)
            try c.encodeIfPresent(from, forKey: .from)
            try c.encodeIfPresent(to, forKey: .to)
            try c.encodeIfPresent(instrument, forKey: .instrument)
            try c.encodeIfPresent(price, forKey: .price)
            try c.encodeIfPresent(size, forKey: .size)
            try c.encodeIfPresent(buyer, forKey: .buyer)
            try c.encodeIfPresent(seller, forKey: .seller)
            try c.encodeIfPresent(index, forKey: .index)
            try c.encodeIfPresent(marks, forKey: .marks)
            try c.encodeIfPresent(volatilities, forKey: .volatilities)
            try c.encodeIfPresent(rate, forKey: .rate)
            try c.encodeIfPresent(version, forKey: .version)
            try c.encodeIfPresent(effective, forKey: .effective)
            try c.encodeIfPresent(document, forKey: .document)
            if type == "group" { try c.encode(group, forKey: .group) }
            try c.encodeIfPresent(leverage, forKey: .leverage)
            try c.encodeIfPresent(mode, forKey: .mode)
        }
    }
}
