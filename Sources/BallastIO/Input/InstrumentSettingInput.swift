import BallastCore

extension Account {
    /// Reads a position entry of size 0, as venues list a symbol's leverage and margin type with no position (Binance's
    /// position risk): the setting of an instrument without a position (``Account/instrumentSettings``). It takes
    /// `instrument`, `size`, and `leverage` and/or `margin_mode`; `listed` says whether an earlier size-0 entry named the
    /// instrument.
    /// - Throws: ``InputError`` naming the field, for neither given, a bad leverage or mode, another field given, or an
    ///   instrument the account holds or listed before.
    mutating func readInstrumentSetting(_ entry: PositionInput, id: InstrumentID, instrument: Instrument, listed: Bool, at: JSONPath) throws(InputError) {
        guard !holds(id), !listed else {
            throw at.key("size").error("0 sets the leverage or margin mode of an instrument without a position, but \"\(entry.instrument)\" is listed again: list it once")
        }
        guard instrument.hasHedgeMode else {
            throw at.key("size").error("must not be zero: only a future or perpetual keeps a leverage or margin mode without a position, and \"\(instrument.symbol)\" is neither")
        }
        guard entry.leverage != nil || entry.marginMode != nil else {
            throw at.key("size").error("0 needs a leverage or a margin_mode (a size-0 entry sets them for an instrument without a position)")
        }
        if let leverage = entry.leverage, !(leverage.value >= 1) { throw at.key("leverage").error("\(leverage.value) must be a number ≥ 1") }
        let isolated = try MarginModeInput.resolve(entry.marginMode, instrument: instrument, path: at.key("margin_mode")) ?? false
        let extra = [("entry_price", entry.entryPrice != nil), ("isolated_margin", entry.isolatedMargin != nil),
                     ("position_side", entry.positionSide != nil)].first { $0.1 }
        if let (key, _) = extra { throw at.key(key).error("does not apply to a size-0 entry (it keeps only a leverage and a margin mode)") }
        _ = keep(InstrumentSetting(instrument: id, leverage: entry.leverage?.value, isolated: isolated))
    }
}
