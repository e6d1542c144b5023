import BallastCore

/// Reads `position_side`: `"long"` or `"short"` for a hedge-mode leg, `"both"` or nothing for one-way mode (Binance's
/// `positionSide` LONG, SHORT, BOTH, in lower case).
enum PositionSideInput {
    /// The side named by `text` for a position, trade or order in `instrument`.
    /// - Throws: ``InputError`` at `path` for another word, or for a leg of an option or spot pair (hedge mode is for
    ///   futures and perpetuals).
    static func resolve(_ text: String?, instrument: Instrument, path: JSONPath) throws(InputError) -> PositionSide {
        switch text {
        case nil, "both": return .net
        case "long", "short":
            guard instrument.hasHedgeMode else {
                throw path.error("\"\(text ?? "")\" applies to futures and perpetuals; \(instrument.symbol) has no hedge mode")
            }
            return text == "long" ? .long : .short
        case let other?:
            throw path.error("\"\(other)\" is not long, short or both")
        }
    }
}
