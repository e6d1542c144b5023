/// A resting order of an account: a signed size of an instrument at its limit price, not yet filled.
///
/// An open order changes no balance or position; it holds back part of the available balance
/// (``OpenOrderMargin``) so that its fill cannot take the account below its initial margin.
public struct OpenOrder: Sendable, Hashable {
    /// The fill the order would make: its signed size at its limit price, with the fee it would pay (Bybit's order
    /// cost includes the fee to open), the leverage it sets and whether it opens an isolated position.
    public var fill: Trade
    /// Whether the order may only reduce the position (it then holds no margin).
    public var reduceOnly: Bool

    /// Creates an order.
    public init(fill: Trade, reduceOnly: Bool = false) {
        self.fill = fill
        self.reduceOnly = reduceOnly
    }

    /// The instrument.
    public var instrument: InstrumentID { fill.instrument }
    /// Signed size in `10^-sizeDecimals` contracts: positive buys, negative sells.
    public var size: Int64 { fill.size }
}
