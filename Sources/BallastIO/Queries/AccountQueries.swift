import BallastCore
import BallastEngine
import Foundation

/// Read-only questions about one account of an engine, answered as JSON documents: the margin report, a what-if of
/// hypothetical trades, the largest order that passes. Each answers for the pool the account is margined in: its own,
/// or for a member of a margin group, the group's merged pool (reports show the member's own isolated positions beside
/// it). The engine is never changed.
public enum AccountQueries {
    /// The margin report (`ballast.report/1`, as `ballast margin --format json` prints it) of `account`'s pool at the
    /// engine's current market and parameters; standard or portfolio by the account's model, with its explanation.
    /// - Throws: ``QueryError`` (not found, or the pool cannot be margined).
    public static func report(_ engine: Engine, account: String) throws(QueryError) -> Data {
        try report(PoolSnapshot(engine, account: account))
    }

    /// The margin report of a snapshot's pool (computed from the snapshot alone, away from the engine).
    /// - Throws: ``QueryError`` when the pool cannot be margined.
    public static func report(_ snapshot: PoolSnapshot) throws(QueryError) -> Data {
        encode(ReportDocument(try snapshot.marginReport(), catalog: snapshot.context.catalog))
    }

    /// The figures and state of `account`'s pool, as streams and the dashboard show them (`ballast.account-status/1`).
    /// - Throws: ``QueryError`` (not found, or the pool cannot be margined).
    public static func status(_ engine: Engine, account: String) throws(QueryError) -> Data {
        try status(PoolSnapshot(engine, account: account))
    }

    /// The status of a snapshot's pool (computed from the snapshot alone, away from the engine).
    /// - Throws: ``QueryError`` when the pool cannot be margined.
    public static func status(_ snapshot: PoolSnapshot) throws(QueryError) -> Data {
        encode(AccountStatusDocument(snapshot, report: try snapshot.marginReport()))
    }

    /// The report before and after hypothetical trades applied in order to a snapshot's pool, with the change in
    /// every figure and the pre-trade check of each trade (`ballast.what-if/1`). `body` is the `--what-if` document:
    /// `{"trades": [{"instrument", "size", "price"?, "fee"?, "leverage"?, "margin_mode"?, "position_side"?}],
    /// "open_orders"?: [...]}`, where the open orders are the account's resting orders (the engine does not keep them),
    /// whose margin the checks hold back. For a member of a margin group the trades go to the member's own account and
    /// the checks and reports are of the group's pool (the reports with the member's isolated positions).
    /// - Throws: ``QueryError`` naming the member at fault.
    public static func whatIf(_ snapshot: PoolSnapshot, body: Data) throws(QueryError) -> Data {
        let pool = snapshot.pool
        let context = snapshot.context
        let trades: [Trade]
        let orders: [OpenOrder]
        do throws(InputError) {
            (trades, orders) = try TradesInput.decode(body, account: pool, context: context)
        } catch {
            throw QueryError(error)
        }
        guard !trades.isEmpty else { throw QueryError(.invalid, field: "trades", message: "at least one trade is needed") }
        var whatIf: WhatIf
        do {
            whatIf = try WhatIf(account: snapshot.member, orders: orders, trades: trades, context: context, sharing: snapshot.sharing)
        } catch {
            throw QueryError(.unprocessable, field: error.trade.map { "trades[\($0)]" } ?? "trades", message: error.error.description)
        }
        do {
            try snapshot.addIsolatedPositions(to: &whatIf)
        } catch {
            throw QueryError(.unprocessable, field: "trades", message: error.description)
        }
        // The states as the engine holds them before, and as it would decide them trade by trade after.
        snapshot.settleStates(of: &whatIf)
        return encode(WhatIfOutput.document(whatIf, catalog: context.catalog))
    }

    /// The largest order of `instrument` on `side` that passes the pre-trade check for a snapshot's pool
    /// (`ballast.max-size/1`), at `price` (default: the mark), with `leverage` and isolated as given (`isolated` omitted:
    /// the account's margin mode for the instrument), on the hedge-mode leg `positionSide` names (`long`, `short`, or
    /// `both` for one-way; default: the leg the side opens where the pool holds legs, one-way otherwise).
    /// - Throws: ``QueryError`` naming the parameter at fault.
    public static func maxSize(_ snapshot: PoolSnapshot, instrument symbol: String?, side sideText: String?,
                               price priceText: String?, leverage: String?, isolated: Bool?,
                               positionSide positionSideText: String? = nil) throws(QueryError) -> Data {
        let context = snapshot.context
        guard let symbol else { throw QueryError(.invalid, field: "instrument", message: "missing required parameter") }
        guard let id = context.catalog.instrument(symbol) else {
            throw QueryError(.invalid, field: "instrument", message: "unknown instrument \"\(symbol)\"")
        }
        guard let sideText, let side = MaxOrderSize.Side(rawValue: sideText) else {
            throw QueryError(.invalid, field: "side", message: "\"\(sideText ?? "")\" is not buy or sell")
        }
        let price: FixedPoint
        if let priceText {
            guard let parsed = FixedPoint(parsing: priceText), parsed.units > 0 else {
                throw QueryError(.invalid, field: "price", message: "\"\(priceText)\" is not a positive decimal price")
            }
            price = parsed
        } else {
            do throws(InputError) {
                price = try MarkPrice.exact(id, context: context, path: JSONPath.root.key("price"))
            } catch {
                throw QueryError(.unprocessable, field: error.path, message: error.message)
            }
        }
        var leverageValue: Double?
        if let leverage {
            guard let value = RealNumber.parse(leverage), value >= 1 else {
                throw QueryError(.invalid, field: "leverage", message: "\"\(leverage)\" is not a leverage of at least 1")
            }
            leverageValue = value
        }
        var positionSide: PositionSide?
        if let positionSideText {
            do throws(InputError) {
                positionSide = try PositionSideInput.resolve(positionSideText, instrument: context.catalog[instrument: id], path: JSONPath.root)
            } catch {
                throw QueryError(.invalid, field: "position_side", message: error.message)
            }
        }
        let result: MaxOrderSize.Result
        do {
            result = try MaxOrderSize.search(account: snapshot.member, instrument: id, side: side, price: price, context: context,
                                             leverage: leverageValue, isolated: isolated, positionSide: positionSide, sharing: snapshot.sharing)
        } catch {
            // A margin problem is the account's (another holding expired without its settlement, a missing price or
            // parameter set), unless it names the queried instrument itself.
            // A mode other than that of the position the order goes to is the `isolated` parameter's.
            var field = "instrument"
            switch error {
            case .margin(let margin) where margin.instrument != context.catalog[instrument: id].symbol: field = "account"
            case .marginMode: field = "isolated"
            default: break
            }
            throw QueryError(.unprocessable, field: field, message: error.description)
        }
        return encode(WhatIfOutput.maxSize(result, instrument: id, side: side, price: price, catalog: context.catalog).document)
    }

    /// One-line JSON (sorted snake_case keys) of a document.
    static func encode<T: Encodable>(_ value: T) -> Data { APIJSON.encode(value) }
}
