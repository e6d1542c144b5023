/// The prices Ballast accepts: index and mark prices, option strikes, forwards and implied volatilities lie in
/// [10^-18, 10^18].
///
/// Every money figure is an integer of at most 10^36 units; a price inside this range times a position of a venue's
/// size stays far inside it, while a price of 10^30 (a typing slip, a unit mix-up) would only fail later, in a sum
/// that cannot name the field. The engine's price and volatility events and the account file's prices share the range,
/// so a state the engine accepts is a state the calculator accepts.
public enum PriceRange {
    /// The smallest accepted price, 10^-18 (one unit at the finest ledger scale).
    public static let lowest = 1e-18
    /// The largest accepted price, 10^18.
    public static let highest = 1e18

    /// Whether `price` is finite and within [``lowest``, ``highest``] (NaN is not).
    public static func contains(_ price: Double) -> Bool { price >= lowest && price <= highest }

    /// The range as written in messages: "[1e-18, 1e18]".
    public static let written = "[1e-18, 1e18]"

    /// What is wrong with `price`, to follow its value in a message ("must be a positive finite number", "is outside
    /// [1e-18, 1e18]"), or nil when it is in the range.
    public static func problem(_ price: Double) -> String? {
        guard !contains(price) else { return nil }
        return price.isFinite && price > 0 ? "is outside \(written)" : "must be a positive finite number"
    }
}
