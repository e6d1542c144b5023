import BallastCore

extension Engine {
    /// Applies a margin mode change (``MarginModeChange``): the account's next position in the instrument opens in the
    /// mode when its fill names none. Refused while the account holds a position there in the other mode (a position
    /// keeps the mode it opened in), as Binance refuses a change of margin type with a position open; a change to the
    /// mode the held positions already have changes nothing and passes. Margin is unchanged either way: nothing is
    /// margined in a mode before a position opens.
    mutating func changeMarginMode(_ change: MarginModeChange, time: Timestamp) throws(EventRejection) {
        let a = try settingTarget(account: change.account, instrument: change.instrument, time: time,
                                  lacking: "only those can be isolated, so it has no margin mode to choose")
        let symbol = catalog.instruments[change.instrument.index].symbol
        let mode = MarginMode.name(isolated: change.isolated)
        if let held = accounts[Int(a)].positions(of: change.instrument).first(where: { $0.mode.isIsolated != change.isolated }) {
            throw EventRejection(.notApplicable, field: "mode", value: mode,
                                 message: "\(change.account) holds \(held.side.label(symbol)) in \(held.mode.name) margin: the margin mode changes only with no position open")
        }
        // With a position held in the same mode there is nothing to change.
        _ = accounts[Int(a)].setMarginMode(isolated: change.isolated, of: change.instrument)
    }
}
