/// The direction in which a value that falls between two representable amounts is rounded.
///
/// Ballast never rounds by accident: every conversion to money names its direction.
/// The rule (after dYdX `BigMulPpm(…, roundUp)` and Drift's `safe_math`):
/// requirements (initial and maintenance margin, add-ons, fees owed, liabilities) round ``up``;
/// credits (collateral value, equity, available balance, offsets) round ``down``.
public enum Rounding: String, Sendable, Hashable, Codable, CaseIterable {
    /// Toward +∞ (ceiling). Used for requirements: the venue is never under-margined by rounding.
    case up
    /// Toward −∞ (floor). Used for credits: the trader is never over-credited by rounding.
    case down
    /// Toward zero (truncation).
    case towardZero
    /// To the nearest representable value, ties to even. Used only for display-only figures such as notional.
    case halfEven
}
