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
}

/// A holding of one instrument (one-way mode: one position per instrument, long or short).
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
    /// Cross or isolated.
    public var mode: MarginMode

    /// Creates a position.
    public init(instrument: InstrumentID, size: Int64, cost: Int128, leverage: Double? = nil, mode: MarginMode = .cross) {
        self.instrument = instrument
        self.size = size
        self.cost = cost
        self.leverage = leverage
        self.mode = mode
    }
}
