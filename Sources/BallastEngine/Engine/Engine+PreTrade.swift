import BallastCore

extension Engine {
    /// Would this order pass, and what would the account's pool look like after it? Checks `trade` (signed size:
    /// positive buys) for `account` against the pool the account is margined in (its own, or its group's merged
    /// pool), by the rule of ``PreTradeCheck/compare(before:after:reducesOnly:openGain:context:workspace:)``: the pool's
    /// initial margin after the trade must be covered by its margin balance (less the trade's open gain where the
    /// parameters do not count it), and a trade that only reduces a position always passes. Nothing changes: the
    /// engine is read, never written.
    ///
    /// The order is validated as a fill would be (instrument open at the engine's time, size a non-zero whole number
    /// of lots, price positive and on the tick grid).
    /// - Throws: ``EventRejection`` naming the field when the order or the account is invalid.
    public func preTradeCheck(_ trade: Trade, account id: String) throws(EventRejection) -> PreTradeCheck {
        try checkInstrument(trade.instrument, field: "instrument")
        let instrument = catalog[instrument: trade.instrument]
        try checkOpen(trade.instrument, time: lastTime)
        guard trade.size != 0, trade.size != .min else {
            throw EventRejection(.invalidField, field: "size", value: "\(trade.size)", message: "size must be a non-zero number of lots")
        }
        try checkLot(abs(trade.size), instrument: instrument)
        try checkTick(trade.price, instrument: instrument)
        let index = try existingAccount(id, field: "account")
        var workspace = MarginWorkspace(assetCount: catalog.assets.count)
        do throws(TradeError) {
            // The trade goes to the account; the check is on the pool it is margined in (its group's, if any).
            return try PreTradeCheck.evaluate(trade, account: accounts[Int(index)], context: context, sharing: sharedPool(ofAccount: index),
                                              workspace: &workspace).0
        } catch .ledgerRange(_, let asset, let isolated) {
            throw Self.outOfLedgerRange(trade, symbol: instrument.symbol, holder: id, asset: asset, isolated: isolated)
        } catch {
            throw Self.rejection(error, field: "order")
        }
    }
}
