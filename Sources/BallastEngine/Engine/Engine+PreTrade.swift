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
        let account = accounts[Int(index)]
        let after: Account
        let effect: TradeEffect
        do throws(TradeError) {
            (after, effect) = try TradeExecution.apply(trade, to: account, context: context)
        } catch {
            throw Self.rejection(error, field: "order")
        }
        let poolBefore = poolAccount(of: unit(ofAccount: index))
        let poolAfter = poolAccount(ofAccount: index, replacedBy: after)
        var workspace = MarginWorkspace(assetCount: catalog.assets.count)
        do throws(TradeError) {
            let gain = PreTradeCheck.openGain(trade, holding: account.position(trade.instrument, side: trade.side), context: context)
            return try PreTradeCheck.compare(before: poolBefore, after: poolAfter, reducesOnly: effect.reducesOnly, openGain: gain,
                                             context: context, workspace: &workspace)
        } catch {
            throw Self.rejection(error, field: "order")
        }
    }
}
