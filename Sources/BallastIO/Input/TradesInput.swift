import BallastCore
import Foundation

/// The `--what-if` document: hypothetical trades applied in order.
///
/// `{"trades": [{"instrument": "BTCUSDT", "size": "-0.5", "price": "31000", "fee": "1.25", "leverage": 20,
/// "margin_mode": "isolated"}], "open_orders": [...]}`; `price` defaults to the mark, `fee` to 0; a bare array of trades
/// is accepted too. `open_orders` (as in an account file) rest on the book while the trades fill: an exchange passes
/// the account's resting orders, which the engine does not keep, so that the check holds their margin back.
struct TradesInput: Decodable, Sendable {
    var trades: [TradeInput]
    var openOrders: [OpenOrderInput] = []

    enum CodingKeys: String, CodingKey, CaseIterable { case trades, openOrders = "open_orders" }

    init(from decoder: any Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var trades: [TradeInput] = []
            while !array.isAtEnd { trades.append(try array.decode(TradeInput.self)) }
            self.trades = trades
        } else {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            trades = try c.decode([TradeInput].self, forKey: .trades)
            openOrders = try c.decodeIfPresent([OpenOrderInput].self, forKey: .openOrders) ?? []
        }
    }

    struct TradeInput: Decodable, Sendable {
        var instrument: String
        var size: ExactNumber
        var price: ExactNumber?
        var fee: ExactNumber?
        var leverage: RealNumber?
        var marginMode: String?
        var positionSide: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case instrument, size, price, fee, leverage, marginMode = "margin_mode", positionSide = "position_side"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            instrument = try c.decode(String.self, forKey: .instrument)
            size = try c.decode(ExactNumber.self, forKey: .size)
            price = try c.decodeIfPresent(ExactNumber.self, forKey: .price)
            fee = try c.decodeIfPresent(ExactNumber.self, forKey: .fee)
            leverage = try c.decodeIfPresent(RealNumber.self, forKey: .leverage)
            marginMode = try c.decodeIfPresent(String.self, forKey: .marginMode)
            positionSide = try c.decodeIfPresent(String.self, forKey: .positionSide)
        }
    }

    /// Decodes and resolves trades, and the open orders of `account`, against a context; the orders are checked together
    /// with the account's `resting` ones (``OpenOrderInput/resolve(_:account:context:path:resting:)``). Every path of
    /// an error starts with `prefix` (the CLI's `what-if`, naming the file beside the account file; none for a request
    /// body, which is the document itself).
    static func decode(_ data: Data, prefix: String? = nil, account: Account, context: RiskContext, resting: [OpenOrder] = []) throws(InputError)
        -> (trades: [Trade], orders: [OpenOrder]) {
        let input: TradesInput = try StrictJSON.decode(data, prefix: prefix)
        let root = JSONPath.root(prefix: prefix)
        var trades: [Trade] = []
        for (i, entry) in input.trades.enumerated() {
            trades.append(try tradeTerms(instrument: entry.instrument, size: entry.size, price: entry.price, fee: entry.fee, leverage: entry.leverage,
                                         marginMode: entry.marginMode, positionSide: entry.positionSide, context: context,
                                         path: root.key("trades").index(i)))
        }
        let orders = try OpenOrderInput.resolve(input.openOrders, account: account, context: context, path: root.key("open_orders"),
                                                resting: resting)
        return (trades, orders)
    }
}

/// A what-if trade or the fill of a resting order from its fields, checked: a known instrument, a non-zero size within its
/// lot scale, a positive price (the mark rounded to 8 decimals when none is given), a non-negative fee within the
/// settlement asset's decimals, a leverage of at least 1, `margin_mode` cross or isolated (not for an option), and
/// `position_side` long, short or both (``PositionSideInput``).
func tradeTerms(instrument symbol: String, size: ExactNumber, price: ExactNumber?, fee: ExactNumber?, leverage: RealNumber?, marginMode: String?,
                positionSide: String?, context: RiskContext, path: JSONPath) throws(InputError) -> Trade {
    let catalog = context.catalog
    guard let id = catalog.instrument(symbol) else { throw path.key("instrument").error("unknown instrument \"\(symbol)\"") }
    let instrument = catalog[instrument: id]
    let units = try sizeUnits(size.value, instrument: instrument, path.key("size"), wholeLots: true)
    guard units != 0 else { throw path.key("size").error("must not be zero") }
    let exactPrice: FixedPoint
    if let given = price?.value {
        guard given.units > 0 else { throw path.key("price").error("\(given) must be positive") }
        exactPrice = given
    } else {
        exactPrice = try MarkPrice.exact(id, context: context, path: path.key("price"))
    }
    let feeAsset = catalog[asset: instrument.settle]
    let feeUnits = try fee.map { (fee: ExactNumber) throws(InputError) -> Int128 in
        try ledgerUnits(fee.value, decimals: feeAsset.decimals, symbol: feeAsset.symbol, path.key("fee"))
    } ?? 0
    guard feeUnits >= 0 else { throw path.key("fee").error("\(fee?.value.trimmedDescription ?? "\(feeUnits)") must not be negative") }
    if let leverage, !(leverage.value >= 1) { throw path.key("leverage").error("\(leverage.value) must be a number ≥ 1") }
    let isolated = try MarginModeInput.resolve(marginMode, instrument: instrument, path: path.key("margin_mode"))
    let side = try PositionSideInput.resolve(positionSide, instrument: instrument, path: path.key("position_side"))
    return Trade(instrument: id, size: units, price: exactPrice, fee: feeUnits, leverage: leverage?.value, isolated: isolated, side: side)
}

/// The mark price of an instrument as an exact decimal, for trades that give no price.
enum MarkPrice {
    /// The mark rounded half-even to at most 8 decimals (the precision venues publish marks at), never more than the
    /// cost basis records exactly: the quoted mark, or for an option without a quote the model mark the report shows
    /// (from its implied volatility or the surface).
    static func exact(_ id: InstrumentID, context: RiskContext, path: JSONPath) throws(InputError) -> FixedPoint {
        let instrument = context.catalog[instrument: id]
        let risk = context.instruments[id.index]
        guard let mark = context.snapshot.markPrices[id.index] ?? (risk.modelMark && risk.mark.isFinite && risk.mark > 0 ? risk.mark : nil) else {
            throw path.error("no price given and no mark price for \"\(instrument.symbol)\"")
        }
        let scale = min(8, instrument.exactPriceDecimals)
        guard let exact = FixedPoint(mark, scale: scale, rounding: .halfEven), exact.units > 0 else {
            throw path.error("no price given, and the mark price \(mark) of \"\(instrument.symbol)\" is 0 at \(scale) decimals")
        }
        return exact
    }
}
