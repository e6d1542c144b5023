/// How a position's margin is pooled.
public enum MarginMode: Sendable, Hashable {
    /// Shares the account's cross pool: every cross position and balance backs it.
    case cross
    /// Has its own margin, `margin` integer units of the settlement asset; its loss is bounded by that margin.
    case isolated(margin: Int128)

    /// Whether the mode is isolated.
    public var isIsolated: Bool {
        if case .isolated = self { return true }
        return false
    }

    /// The mode's name as inputs, reports and messages write it: `isolated` or `cross`.
    public var name: String { Self.name(isolated: isIsolated) }

    /// The name of the isolated (`true`) or cross mode.
    public static func name(isolated: Bool) -> String { isolated ? "isolated" : "cross" }
}

/// Which side of an instrument a position holds.
///
/// In one-way mode (``net``) an account has at most one position per instrument, long or short, and a trade against it
/// reduces or flips it. In hedge mode (two-way: Binance's `positionSide` LONG/SHORT, Bybit's and OKX's long/short mode)
/// it holds a long leg and a short leg of the same instrument side by side: each leg is margined as a position of its
/// own (its own tier, IM and MM, no netting between the legs under standard margin), a buy on the short leg closes part
/// of it, and a leg never flips. Under portfolio margin the legs' scenario PnL adds up, so they offset as they would in
/// one position. An instrument is held either one way or in legs, never both.
public enum PositionSide: String, Sendable, Hashable, Comparable, CaseIterable {
    /// One-way mode: the one position in the instrument, of either sign.
    case net
    /// Hedge mode's long leg (size ≥ 0).
    case long
    /// Hedge mode's short leg (size ≤ 0).
    case short

    /// Whether this is a hedge-mode leg.
    public var isLeg: Bool { self != .net }

    /// Whether a size of this sign may be held on this side.
    public func allows(size: Int64) -> Bool {
        switch self {
        case .net: return true
        case .long: return size >= 0
        case .short: return size <= 0
        }
    }

    /// The name of a position on this side of `symbol`: the symbol, with the leg in hedge mode (`BTCUSDT long`).
    public func label(_ symbol: String) -> String { isLeg ? "\(symbol) \(rawValue)" : symbol }

    /// Orders net < long < short, so an account's positions sort the same way on every run.
    public static func < (lhs: PositionSide, rhs: PositionSide) -> Bool { lhs.order < rhs.order }

    private var order: Int {
        switch self {
        case .net: return 0
        case .long: return 1
        case .short: return 2
        }
    }
}

/// A holding of one instrument: in one-way mode the one position per instrument, long or short; in hedge mode one of its
/// two legs (``PositionSide``).
///
/// The size and the cost basis are exact integers, so a trade and its reverse restore the position exactly and
/// realised PnL is exact:
/// - `size`: signed contracts in units of `10^-sizeDecimals` (long > 0);
/// - `cost`: signed entry value in units of 10^-18 of the settlement asset: Σ size·m·price for linear
///   contracts and options (average entry = cost/(size·m)), Σ size·m/price in coin for inverse futures and
///   perpetuals (average entry = size·m/cost, the harmonic mean of fill prices).
///
/// Options are accounted like the other derivatives: the premium sits in the cost basis and the position is marked
/// to market; a long option's initial margin is its mark value, so the premium is unavailable for other trades
/// exactly as if it had been paid out of the balance.
public struct Position: Sendable, Hashable {
    /// The instrument held.
    public var instrument: InstrumentID
    /// Signed size in `10^-sizeDecimals` contracts.
    public var size: Int64
    /// Signed entry value in 10^-18 of the settlement asset.
    public var cost: Int128
    /// The leverage the holder chose, or `nil` for the most the margin schedule allows.
    public var leverage: Double?
    /// One-way (``PositionSide/net``) or a hedge-mode leg.
    public var side: PositionSide
    /// Cross or isolated.
    public var mode: MarginMode

    /// Creates a position.
    public init(instrument: InstrumentID, size: Int64, cost: Int128, leverage: Double? = nil, mode: MarginMode = .cross, side: PositionSide = .net) {
        self.instrument = instrument
        self.size = size
        self.cost = cost
        self.leverage = leverage
        self.side = side
        self.mode = mode
    }
}
