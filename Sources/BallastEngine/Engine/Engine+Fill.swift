import BallastCore

extension Engine {
    /// One side of a fill resolved: the account (`nil`: external), its trade and the plan of its effect.
    private struct PlannedSide {
        var account: Int32?
        var trade: Trade
        var plan: TradePlan
    }

    mutating func fill(_ fill: Fill, time: Timestamp, sequence: UInt64) throws(EventRejection) {
        try checkInstrument(fill.instrument, field: "instrument")
        let instrument = catalog[instrument: fill.instrument]
        try checkOpen(fill.instrument, time: time)
        guard fill.size > 0 else {
            let value = FixedPoint(units: Int128(fill.size), scale: instrument.sizeDecimals).description
            throw EventRejection(.invalidField, field: "size", value: value, message: "size must be positive, not \(value) (the buyer buys it)")
        }
        try checkLot(fill.size, instrument: instrument)
        try checkTick(fill.price, instrument: instrument)
        guard fill.buyer != nil || fill.seller != nil else {
            throw EventRejection(.invalidField, field: "buyer", value: "", message: "a fill needs a buyer or a seller (or both)")
        }
        if let buyer = fill.buyer, let seller = fill.seller, buyer.account == seller.account {
            throw EventRejection(.invalidField, field: "seller.account", value: seller.account,
                                 message: "buyer and seller are the same account \(seller.account) (self-trade)")
        }
        // Both sides' own fields are checked before either trade is planned: a field that is invalid whatever the state
        // is named before anything the state refuses.
        let buyer = try resolve(fill.buyer, size: fill.size, fill: fill, instrument: instrument, field: "buyer")
        let seller = try resolve(fill.seller, size: -fill.size, fill: fill, instrument: instrument, field: "seller")
        let buy = try plan(buyer, instrument: instrument, field: "buyer")
        let sell = try plan(seller, instrument: instrument, field: "seller")
        let settle = instrument.settle.index
        // The fees' total is the fees' to answer for: the field is the side that pays one (the buyer's if both do).
        guard let fees = LedgerRange.adding(buy.trade.fee + sell.trade.fee, to: ledger[settle].fees,
                                            bound: LedgerRange.bound(decimals: catalog.assets[settle].decimals)) else {
            let buyerPays = buy.trade.fee != 0 || sell.trade.fee == 0
            let asset = catalog.assets[settle]
            throw Self.outOfLedgerRange(field: buyerPays ? "buyer.fee" : "seller.fee",
                                        shown: FixedPoint(units: buyerPays ? buy.trade.fee : sell.trade.fee, scale: asset.decimals).description,
                                        figure: "the \(asset.symbol) fees", asset: asset.symbol)
        }
        // An isolated position's loss beyond its margin is not its holder's: the insurance fund pays the counterparty,
        // within the ledger's range like every total (at the fill's price, which set the loss).
        let (shortfall, shortfallOverflow) = buy.plan.effect.isolatedShortfall.addingReportingOverflow(sell.plan.effect.isolatedShortfall)
        let fund = try Self.insuranceFund(ledger[settle].insuranceFund, paying: shortfallOverflow ? nil : shortfall, asset: catalog.assets[settle],
                                          price: fill.price.description)

        // Both sides are valid: commit.
        commit(buy)
        commit(sell)
        ledger[settle].fees = fees
        ledger[settle].insuranceFund = fund
        ledger[settle].book(residue: buy.plan.effect.roundingResidue + sell.plan.effect.roundingResidue, unit: context.balanceToCostScale[settle])
        if case .spot = instrument.kind {
            // The buyer gets the base rounded down and pays the quote rounded up; the seller the reverse. What neither
            // receives is the venue's: the insurance fund.
            let base = buy.plan.baseCredit.map(\.units) ?? 0
            let counterBase = sell.plan.baseCredit.map(\.units) ?? 0
            ledger[instrument.underlying.index].insuranceFund -= base + counterBase
            ledger[settle].insuranceFund -= (buy.plan.credit.units + buy.trade.fee) + (sell.plan.credit.units + sell.trade.fee)
        }
        let buyerUnit = buy.account.map { unit(ofAccount: $0) }
        let sellerUnit = sell.account.map { unit(ofAccount: $0) }
        if let buyerUnit { reevaluate(buyerUnit, sequence: sequence) }
        if let sellerUnit, sellerUnit != buyerUnit { reevaluate(sellerUnit, sequence: sequence) }
    }

    private mutating func commit(_ side: PlannedSide) {
        if let a = side.account { side.plan.commit(to: &accounts[Int(a)]) } else { side.plan.commit(to: &external) }
    }

    // This and the checks below are inlined: called out of line from a mutating method such as `fill`, a non-mutating
    // method received a copy of the whole engine (about 2 KB copied per call).

    /// One side's account (`nil`: the external account's half when `side` is nil) and trade, its fields checked.
    @inline(__always)
    private func resolve(_ side: Fill.Side?, size: Int64, fill: Fill, instrument: borrowing Instrument,
                         field: String) throws(EventRejection) -> (account: Int32?, trade: Trade) {
        var trade = Trade(instrument: fill.instrument, size: size, price: fill.price)
        var index: Int32?
        if let side {
            index = try existingAccount(side.account, field: "\(field).account")
            guard side.fee >= 0 else {
                let value = FixedPoint(units: side.fee, scale: catalog[asset: instrument.settle].decimals).description
                throw EventRejection(.invalidField, field: "\(field).fee", value: value, message: "\(field).fee must not be negative, not \(value)")
            }
            if let leverage = side.leverage, !(leverage.isFinite && leverage >= 1) {
                throw EventRejection(.invalidField, field: "\(field).leverage", value: "\(leverage)", message: "\(field).leverage must be a number ≥ 1")
            }
            trade.fee = side.fee
            trade.leverage = side.leverage
            trade.isolated = side.isolated
            trade.side = side.positionSide
        }
        return (index, trade)
    }

    /// Plans one resolved side.
    @inline(__always)
    private func plan(_ side: (account: Int32?, trade: Trade), instrument: borrowing Instrument, field: String) throws(EventRejection) -> PlannedSide {
        let (index, trade) = side
        let account = index.map { accounts[Int($0)] } ?? external
        do throws(TradeError) {
            return PlannedSide(account: index, trade: trade, plan: try TradeExecution.plan(trade, account: account, context: context))
        } catch {
            // An instrument without hedge mode (an option, a spot pair) takes neither a leg nor isolated margin: such a
            // field is invalid whatever the account holds.
            let kind: EventRejection.Code = instrument.hasHedgeMode ? .notApplicable : .invalidField
            switch error {
            case .positionSide:
                // The leg the fill named, as the event names it ("both": one-way).
                let named = trade.side == .net ? "both" : trade.side.rawValue
                throw EventRejection(kind, field: "\(field).position_side", value: named, message: "\(field).position_side: \(error.description)")
            case .marginMode:
                // Only a named mode can differ from the position's.
                throw EventRejection(kind, field: "\(field).isolated", value: "\(trade.isolated == true)", message: "\(field).isolated: \(error.description)")
            case .ledgerRange(_, let asset, let isolated):
                throw Self.outOfLedgerRange(trade, symbol: instrument.symbol, holder: index.map { accounts[Int($0)].id } ?? "the external account",
                                            asset: asset, isolated: isolated)
            default: break
            }
            throw Self.rejection(error, field: field)
        }
    }

    /// Rejects fills and settlements of an instrument that has been settled, and fills after its expiry.
    @inline(__always)
    func checkOpen(_ instrument: InstrumentID, time: Timestamp) throws(EventRejection) {
        guard !settled[instrument.index] else {
            let symbol = catalog.instruments[instrument.index].symbol
            throw EventRejection(.instrumentClosed, field: "instrument", value: symbol, message: "\(symbol) has been settled")
        }
        if let expiry = catalog.instruments[instrument.index].kind.expiry, time >= expiry {
            let symbol = catalog.instruments[instrument.index].symbol
            throw EventRejection(.instrumentClosed, field: "instrument", value: symbol, message: "\(symbol) expired at \(expiry)")
        }
    }

    /// Rejects a size that is not a whole number of lots.
    @inline(__always)
    func checkLot(_ size: Int64, instrument: Instrument) throws(EventRejection) {
        guard instrument.isWholeLots(size) else {
            let value = FixedPoint(units: Int128(size), scale: instrument.sizeDecimals).description
            throw EventRejection(.invalidField, field: "size", value: value, message: "size \(value) is not a multiple of the lot size \(instrument.lotSize)")
        }
    }

    /// Rejects a price that is not positive or not on the tick grid.
    @inline(__always)
    func checkTick(_ price: FixedPoint, instrument: Instrument) throws(EventRejection) {
        let scale = max(price.scale, instrument.tickSize.scale)
        guard price.units > 0, let p = price.rescaled(to: scale, rounding: .down), let tick = instrument.tickSize.rescaled(to: scale, rounding: .down),
              tick.units > 0, p.units % tick.units == 0 else {
            throw EventRejection(.invalidField, field: "price", value: price.description,
                                 message: "price \(price) must be positive and a multiple of the tick size \(instrument.tickSize)")
        }
    }
}
