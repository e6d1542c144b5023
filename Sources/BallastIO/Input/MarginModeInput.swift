import BallastCore

/// Reads `margin_mode`: `"cross"` or `"isolated"` (Binance's margin type CROSSED or ISOLATED, in words).
enum MarginModeInput {
    /// Whether `text` names isolated margin for `instrument`: `true` isolated, `false` cross, `nil` when not given.
    /// Without an instrument only the word is checked (an engine event leaves the instrument to the engine).
    /// - Throws: ``InputError`` at `path` for another word, or isolated for an option or spot pair (isolated margin
    ///   applies to futures and perpetuals).
    static func resolve(_ text: String?, instrument: Instrument?, path: JSONPath) throws(InputError) -> Bool? {
        switch text {
        case nil: return nil
        case "cross": return false
        case "isolated":
            if let instrument, !instrument.hasHedgeMode {
                let kind = instrument.isOption ? "options" : "spot pairs"
                throw path.error("\(kind) cannot be isolated: isolated margin applies to futures and perpetuals")
            }
            return true
        case let other?: throw path.error("\"\(other)\" is not cross or isolated")
        }
    }
}
