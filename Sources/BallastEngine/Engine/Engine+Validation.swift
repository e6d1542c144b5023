import BallastCore

extension Engine {
    // The checks are inlined for the reason given in Engine+Fill.swift: out of line, each call from a mutating method
    // copied the whole engine.

    /// The engine index of an existing account named in field `field`.
    @inline(__always)
    func existingAccount(_ id: String, field: @autoclosure () -> String) throws(EventRejection) -> Int32 {
        guard let index = accountIndex.find(id, in: accounts) else {
            let field = field()
            throw EventRejection(.unknown, field: field, value: id, message: "\(field): no account \"\(id)\"")
        }
        return index
    }

    /// The account and instrument of an account's setting for an instrument (its leverage, its margin mode): an
    /// existing account and a future or perpetual still trading at `time`; `lacking` says what any other instrument
    /// lacks ("it has no leverage").
    @inline(__always)
    func settingTarget(account: String, instrument: InstrumentID, time: Timestamp, lacking: @autoclosure () -> String) throws(EventRejection) -> Int32 {
        let a = try existingAccount(account, field: "account")
        try checkInstrument(instrument, field: "instrument")
        let symbol = catalog.instruments[instrument.index].symbol
        guard catalog.instruments[instrument.index].hasHedgeMode else {
            throw EventRejection(.invalidField, field: "instrument", value: symbol, message: "\(symbol) is not a future or perpetual: \(lacking())")
        }
        try checkOpen(instrument, time: time)
        return a
    }

    /// Checks that an asset id is in the catalog.
    func checkAsset(_ asset: AssetID, field: String) throws(EventRejection) {
        guard catalog.assets.indices.contains(asset.index) else {
            throw EventRejection(.unknown, field: field, value: "\(asset.index)", message: "\(field): no asset with index \(asset.index)")
        }
    }

    /// Checks that an instrument id is in the catalog.
    @inline(__always)
    func checkInstrument(_ instrument: InstrumentID, field: String) throws(EventRejection) {
        guard catalog.instruments.indices.contains(instrument.index) else {
            throw EventRejection(.unknown, field: field, value: "\(instrument.index)", message: "\(field): no instrument with index \(instrument.index)")
        }
    }

    /// Checks that an amount is positive.
    func checkPositive(_ amount: Int128, asset: AssetID, field: String) throws(EventRejection) {
        guard amount > 0 else {
            let value = FixedPoint(units: amount, scale: catalog[asset: asset].decimals).description
            throw EventRejection(.invalidField, field: field, value: value, message: "\(field) must be positive, not \(value)")
        }
    }

    /// `value + change` on the books of `asset`, or the event is refused at `field` (whose value, `change`, the
    /// rejection shows at the asset's scale) when the sum leaves ``LedgerRange``, naming what would leave it as `figure`
    /// ("alice's USDC balance"). Static, and called with closures over locals only: a closure over the engine makes its
    /// caller copy the engine (every array retained).
    @inline(__always)
    static func ranged(_ value: Int128, plus change: Int128, asset: Asset, field: String,
                       figure: @autoclosure () -> String) throws(EventRejection) -> Int128 {
        guard let sum = LedgerRange.adding(change, to: value, bound: LedgerRange.bound(decimals: asset.decimals)) else {
            throw outOfLedgerRange(field: field, shown: FixedPoint(units: change, scale: asset.decimals).description,
                                   figure: figure(), asset: asset.symbol)
        }
        return sum
    }

    /// The insurance fund `fund` of `asset` after it pays `shortfall`, the isolated positions' losses beyond their
    /// margins (``TradeEffect/isolatedShortfall``) that the caller summed (`nil` when the sum overflowed); the event is
    /// refused at its `price` (written as `price()`), which set the losses, when the fund would leave ``LedgerRange``.
    /// Static, as ``ranged(_:plus:asset:field:figure:)``.
    @inline(__always)
    static func insuranceFund(_ fund: Int128, paying shortfall: Int128?, asset: Asset, price: @autoclosure () -> String) throws(EventRejection) -> Int128 {
        guard let shortfall, let after = LedgerRange.adding(0 &- shortfall, to: fund, bound: LedgerRange.bound(decimals: asset.decimals)) else {
            throw outOfLedgerRange(field: "price", shown: price(), figure: "the \(asset.symbol) insurance fund", asset: asset.symbol)
        }
        return after
    }

    /// The rejection of an event whose `field` (of value `shown`) would take `figure` beyond the ledger's range of
    /// the asset `asset` (``LedgerRange``). Out of line: it is built only on the way out.
    @inline(never)
    static func outOfLedgerRange(field: String, shown: String, figure: String, asset: String) -> EventRejection {
        EventRejection(.notApplicable, field: field, value: shown, message: "\(field) \(shown) would take \(figure) beyond \(LedgerRange.written(asset))")
    }

    /// The rejection, at its price, of a fill or an order `trade` (of the instrument `symbol`) that would take
    /// `holder`'s balance of `asset`, or the isolated margin of its position (`isolated`), beyond the ledger's range
    /// (``TradeError/ledgerRange(instrument:asset:isolated:)``). Static: a fill builds it without copying the engine.
    @inline(never)
    static func outOfLedgerRange(_ trade: Trade, symbol: String, holder: String, asset: String, isolated: Bool) -> EventRejection {
        let figure = isolated ? "the isolated margin of \(holder)'s \(symbol) position" : "\(holder)'s \(asset) balance"
        return outOfLedgerRange(field: "price", shown: trade.price.description, figure: figure, asset: asset)
    }

    /// A number as a feed or a user wrote it: the shortest decimal that reads back as it (`0`, not `0.0`; `0.5`), else
    /// Swift's own text (`nan`, `1e+20`).
    static func written(_ value: Double) -> String {
        FixedPoint.shortestDecimal(value, maxScale: 18)?.description ?? "\(value)"
    }

    /// A pool's money figures in the valuation currency.
    func poolMoney(_ pool: Account) throws(MarginError) -> MoneyFigures {
        var workspace = MarginWorkspace(assetCount: catalog.assets.count)
        return try AccountMargin.pool(pool, context: context, workspace: &workspace).money(decimals: context.valuationDecimals)
    }

    /// The money figures of the isolated pool of `account`'s position at `slot`, in the valuation currency.
    func isolatedPoolMoney(_ account: Account, slot: Int) throws(MarginError) -> MoneyFigures {
        try AccountMargin.isolatedPool(account, slot: slot, context: context).0.money(decimals: context.valuationDecimals)
    }

    /// Checks that a price (or a volatility) is a positive finite number within [10^-18, 10^18], the range of the
    /// decimal amounts an event carries. A feed's 1e300 used to be applied and leave every pool holding the asset out
    /// of the range Ballast reports in, keeping its last state with no signal.
    func checkPrice(_ price: Double, field: String) throws(EventRejection) {
        guard let problem = PriceRange.problem(price) else { return }
        let value = Self.written(price)
        throw EventRejection(.invalidField, field: field, value: value, message: "\(field) \(value) \(problem)")
    }

    /// Checks that an id is non-empty and not too long.
    func checkIdentifier(_ id: String, field: String) throws(EventRejection) {
        guard !id.isEmpty, id.utf8.count <= EngineEvent.maximumIDLength, id != Self.externalAccountID else {
            throw EventRejection(.invalidField, field: field, value: String(id.prefix(40)),
                                 message: "\(field) must have 1 to \(EngineEvent.maximumIDLength) bytes and not be \(Self.externalAccountID)")
        }
    }

    /// A rejection for a trade that cannot be applied.
    static func rejection(_ error: TradeError, field: String) -> EventRejection {
        EventRejection(.notApplicable, field: field, value: "", message: "\(field): \(error.description)")
    }

    /// A rejection for an account that cannot be valued.
    static func rejection(_ error: MarginError, field: String, account: String) -> EventRejection {
        EventRejection(.notApplicable, field: field, value: account, message: "account \(account) cannot be valued: \(error.description)")
    }
}
