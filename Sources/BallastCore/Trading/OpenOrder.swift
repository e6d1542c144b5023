/// A resting order of an account: a signed size of an instrument at its limit price, not yet filled.
///
/// An open order changes no balance or position; it holds back part of the available balance
/// (``OpenOrderMargin``) so that its fill cannot take the account below its initial margin.
public struct OpenOrder: Sendable, Hashable {
    /// The instrument.
    public var instrument: InstrumentID
    /// Signed size in `10^-sizeDecimals` contracts: positive buys, negative sells.
    public var size: Int64
    /// The limit price: the price the order would fill at.
    public var price: FixedPoint
    /// Whether the order may only reduce the position (it then holds no margin).
    public var reduceOnly: Bool
    /// The leverage set on the position when the order fills, if any.
    public var leverage: Double?
    /// Whether a position the order opens is isolated.
    public var isolated: Bool

    /// Creates an order.
    public init(instrument: InstrumentID, size: Int64, price: FixedPoint, reduceOnly: Bool = false, leverage: Double? = nil,
                isolated: Bool = false) {
        self.instrument = instrument
        self.size = size
        self.price = price
        self.reduceOnly = reduceOnly
        self.leverage = leverage
        self.isolated = isolated
    }

    /// The order's fill: its size at its limit price, with no fee.
    public var fill: Trade { Trade(instrument: instrument, size: size, price: price, leverage: leverage, isolated: isolated) }
}
