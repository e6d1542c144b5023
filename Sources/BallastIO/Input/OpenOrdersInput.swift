import BallastCore

/// A resting order: `{"instrument": "BTCUSDT", "size": "-0.5", "price": "61000", "fee": "18.3", "reduce_only": false,
/// "leverage": 10, "margin_mode": "cross", "position_side": "long"}` (signed size, negative sells; the limit price is
/// required; the fee its fill would pay, in the settlement asset, defaults to 0; `position_side` for hedge mode).
struct OpenOrderInput: Decodable, Sendable {
    var instrument: String
    var size: ExactNumber
    var price: ExactNumber
    var fee: ExactNumber?
    var reduceOnly: Bool?
    var leverage: RealNumber?
    var marginMode: String?
    var positionSide: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case instrument, size, price, fee, reduceOnly = "reduce_only", leverage, marginMode = "margin_mode", positionSide = "position_side"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        instrument = try c.decode(String.self, forKey: .instrument)
        size = try c.decode(ExactNumber.self, forKey: .size)
        price = try c.decode(ExactNumber.self, forKey: .price)
        fee = try c.decodeIfPresent(ExactNumber.self, forKey: .fee)
        reduceOnly = try c.decodeIfPresent(Bool.self, forKey: .reduceOnly)
        leverage = try c.decodeIfPresent(RealNumber.self, forKey: .leverage)
        marginMode = try c.decodeIfPresent(String.self, forKey: .marginMode)
        positionSide = try c.decodeIfPresent(String.self, forKey: .positionSide)
    }
}

extension OpenOrderInput {
    /// The orders of `entries` for `account`, each checked alone: the fields as for a what-if trade, a limit price, and a
    /// fill the account's model can margin (an instrument it lacks a price or parameters for is named, with the order).
    /// `resting` are orders already accepted (the account file's, when a what-if file adds more): the new ones are
    /// checked together with them (one-way and legs not mixed, leg closes, every side filled together).
    static func resolve(_ entries: [OpenOrderInput], account: Account, context: RiskContext, path: JSONPath,
                        resting: [OpenOrder] = []) throws(InputError) -> [OpenOrder] {
        var orders: [OpenOrder] = []
        for (i, entry) in entries.enumerated() {
            let at = path.index(i)
            let fill = try tradeTerms(instrument: entry.instrument, size: entry.size, price: entry.price, fee: entry.fee, leverage: entry.leverage,
                                      marginMode: entry.marginMode, positionSide: entry.positionSide, context: context, path: at)
            if let other = (resting + orders).first(where: { $0.instrument == fill.instrument && $0.fill.side.isLeg != fill.side.isLeg }) {
                throw at.key("position_side").error("orders in \"\(entry.instrument)\" mix one-way and hedge-mode legs (\(resting.contains(other) ? "a resting order of the account" : "an order before it") \(other.fill.side.isLeg ? "with" : "without") a position_side)")
            }
            let filled: Account
            do {
                filled = try TradeExecution.apply(fill, to: account, context: context).0
            } catch {
                throw at.error(error.description)
            }
            do {
                try HeldInstruments.check(filled, context: context)
            } catch {
                throw InputError(path: error.path, message: error.message + " (needed by \(at))")
            }
            orders.append(OpenOrder(fill: fill, reduceOnly: entry.reduceOnly ?? false))
        }
        try checkLegCloses(orders, after: resting, account: account, context: context, path: path)
        // Each order fills alone above; the sides fill together (their sizes add up), which must fit too.
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        do {
            _ = try OpenOrderMargin(orders: resting + orders, account: account, context: context, workspace: &workspace)
        } catch {
            throw path.error("filling every order of a side together: \(error)")
        }
        return orders
    }

    /// The orders closing part of a hedge-mode leg may together close it, not more: a leg never flips, so what they add
    /// up to beyond the leg could never fill (a venue shows what is left to close: the leg less its resting closes).
    /// - Throws: ``InputError`` at the size of the first order that takes a leg's closes past it.
    /// The closes of `resting` orders count first.
    private static func checkLegCloses(_ orders: [OpenOrder], after resting: [OpenOrder], account: Account, context: RiskContext,
                                       path: JSONPath) throws(InputError) {
        var closing: [PositionKey: Int64] = [:]
        for order in resting where order.fill.closesLeg {
            let key = PositionKey(instrument: order.instrument, side: order.fill.side)
            // Checked when they were read: together they fit in the leg.
            closing[key, default: 0] &+= order.size
        }
        for (i, order) in orders.enumerated() where order.fill.closesLeg {
            let key = PositionKey(instrument: order.instrument, side: order.fill.side)
            // Sizes are at most 2⁶⁰: a sum that overflows is past any leg.
            let (total, overflow) = closing[key, default: 0].addingReportingOverflow(order.size)
            closing[key] = total
            let held = account.position(order.instrument, side: order.fill.side)?.size ?? 0
            let (after, beyond) = held.addingReportingOverflow(total)
            guard !overflow, !beyond, order.fill.side.allows(size: after) else {
                let info = context.catalog[instrument: order.instrument]
                let sum = FixedPoint(units: Int128(total.magnitude), scale: info.sizeDecimals).trimmedDescription
                let leg = FixedPoint(units: Int128(held.magnitude), scale: info.sizeDecimals).trimmedDescription
                throw path.index(i).key("size").error("the orders closing the \(order.fill.side) leg of \(info.symbol) add up to \(sum), "
                                                      + "more than the leg's \(leg) (a leg closes, it never flips)")
            }
        }
    }

    /// A position's instrument and side, as a dictionary key.
    private struct PositionKey: Hashable {
        var instrument: InstrumentID
        var side: PositionSide
    }
}
