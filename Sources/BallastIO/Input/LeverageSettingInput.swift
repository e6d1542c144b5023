import BallastCore

extension Account {
    /// Reads a position entry of size 0, as venues list a symbol's leverage with no position (Binance's position risk):
    /// the leverage setting of an instrument without a position (``Account/leverageSettings``). It takes only
    /// `instrument`, `size` and `leverage`.
    /// - Throws: ``InputError`` naming the field, for a missing or bad leverage, another field given, or an instrument
    ///   the account holds.
    mutating func readLeverageSetting(_ entry: PositionInput, id: InstrumentID, instrument: Instrument, at: JSONPath) throws(InputError) {
        guard !holds(id), leverageSetting(of: id) == nil else {
            throw at.key("size").error("0 sets the leverage of an instrument without a position, but \"\(entry.instrument)\" is listed again: list it once")
        }
        guard instrument.hasHedgeMode else {
            throw at.key("size").error("must not be zero: only a future or perpetual keeps a leverage without a position, and \"\(instrument.symbol)\" is neither")
        }
        guard let leverage = entry.leverage else {
            throw at.key("size").error("0 needs a leverage (a size-0 entry sets the leverage of an instrument without a position)")
        }
        guard leverage.value >= 1 else { throw at.key("leverage").error("\(leverage.value) must be a number ≥ 1") }
        let extra = [("entry_price", entry.entryPrice != nil), ("margin_mode", entry.marginMode != nil),
                     ("isolated_margin", entry.isolatedMargin != nil), ("position_side", entry.positionSide != nil)].first { $0.1 }
        if let (key, _) = extra { throw at.key(key).error("does not apply to a size-0 entry (it keeps only a leverage)") }
        setLeverage(leverage.value, of: id)
    }
}
