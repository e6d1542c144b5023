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

    /// One fill side, its fee at the settlement asset's scale.
    struct Side: Encodable {
        var side: Fill.Side
        var feeDecimals: Int

        func encode(to encoder: any Encoder) throws {
            // The reader's member names, so that the two agree.
            var c = encoder.container(keyedBy: EventLineInput.SideInput.CodingKeys.self)
            try c.encode(side.account, forKey: .account)
            try c.encode(FixedPoint(units: side.fee, scale: feeDecimals).description, forKey: .fee)
            try c.encodeIfPresent(side.leverage, forKey: .leverage)
            try c.encodeIfPresent(side.isolated, forKey: .isolated)
            if side.positionSide != .net { try c.encode(side.positionSide.rawValue, forKey: .positionSide) }
        }
    }

    /// A line: the members its kind has (a group event's `group` even when null, which leaves the group).
    struct Line: Encodable {
        var event: EngineEvent
        var catalog: Catalog

        init(_ event: EngineEvent, catalog: Catalog) {
            self.event = event
            self.catalog = catalog
        }

        func encode(to encoder: any Encoder) throws {
            // The reader's member names, so that the two agree.
            var c = encoder.container(keyedBy: EventLineInput.CodingKeys.self)
            try c.encode(event.id, forKey: .id)
            try c.encode(event.sequence, forKey: .seq)
            try c.encode(event.time.description, forKey: .time)
            try c.encode(event.body.kind, forKey: .type)
            func symbol(_ asset: AssetID) -> String { catalog[asset: asset].symbol }
            func symbol(_ instrument: InstrumentID) -> String { catalog[instrument: instrument].symbol }
            func amount(_ units: Int128, of asset: AssetID) throws {
                try c.encode(symbol(asset), forKey: .asset)
                try c.encode(FixedPoint(units: units, scale: catalog[asset: asset].decimals).description, forKey: .amount)
            }
            switch event.body {
            case .openAccount(let opening):
                try c.encode(opening.account, forKey: .account)
                try c.encode(opening.model.rawValue, forKey: .model)
            case .deposit(let movement), .withdrawal(let movement):
                try c.encode(movement.account, forKey: .account)
                try amount(movement.amount, of: movement.asset)
            case .transfer(let transfer):
                try c.encode(transfer.from, forKey: .from)
                try c.encode(transfer.to, forKey: .to)
                try amount(transfer.amount, of: transfer.asset)
            case .fill(let fill):
                let traded = catalog[instrument: fill.instrument]
                let feeDecimals = catalog[asset: traded.settle].decimals
                try c.encode(traded.symbol, forKey: .instrument)
                try c.encode(fill.price.description, forKey: .price)
                try c.encode(FixedPoint(units: Int128(fill.size), scale: traded.sizeDecimals).description, forKey: .size)
                try c.encodeIfPresent(fill.buyer.map { Side(side: $0, feeDecimals: feeDecimals) }, forKey: .buyer)
                try c.encodeIfPresent(fill.seller.map { Side(side: $0, feeDecimals: feeDecimals) }, forKey: .seller)
            case .prices(let update):
                try c.encode(Dictionary(update.index.map { (symbol($0.asset), $0.price) }) { _, last in last }, forKey: .index)
                try c.encode(Dictionary(update.marks.map { (symbol($0.instrument), $0.price) }) { _, last in last }, forKey: .marks)
            case .volatility(let update):
                try c.encode(Dictionary(update.volatilities.map { (symbol($0.instrument), $0.volatility) }) { _, last in last }, forKey: .volatilities)
            case .funding(let payment):
                try c.encode(symbol(payment.instrument), forKey: .instrument)
                try c.encode(payment.rate.description, forKey: .rate)
                try c.encode(payment.price.description, forKey: .price)
            case .settlement(let settlement):
                try c.encode(symbol(settlement.instrument), forKey: .instrument)
                try c.encode(settlement.price.description, forKey: .price)
            case .parameters(let change):
                try c.encode(change.version, forKey: .version)
                try c.encode(change.effective.description, forKey: .effective)
                let document = (try? JSONDecoder().decode(JSONValue.self, from: Data(change.document.utf8))) ?? .string(change.document)
                try c.encode(document, forKey: .document)
            case .group(let membership):
                try c.encode(membership.account, forKey: .account)
                try c.encode(membership.group, forKey: .group)
                try c.encode(membership.model.rawValue, forKey: .model)
            case .leverage(let change):
                try c.encode(change.account, forKey: .account)
                try c.encode(symbol(change.instrument), forKey: .instrument)
                try c.encode(change.leverage, forKey: .leverage)
            case .marginMode(let change):
                try c.encode(change.account, forKey: .account)
                try c.encode(symbol(change.instrument), forKey: .instrument)
                try c.encode(MarginMode.name(isolated: change.isolated), forKey: .mode)
            }
        }
    }
}
