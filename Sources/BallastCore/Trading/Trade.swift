/// A fill, real or hypothetical: a signed size of an instrument at an exact price, with a fee.
public struct Trade: Sendable, Hashable {
    /// The largest |size| an order may have, in `10^-sizeDecimals` contracts: 2^60 − 1, the bound of every size read
    /// from input and of ``MaxOrderSize``.
    public static let maximumSize: Int64 = (1 << 60) - 1

    /// The largest |size| of an instrument with `sizeDecimals` size decimals that is also readable as a decimal:
    /// min(``maximumSize``, ``FixedPoint/maximumMagnitude`` · 10^sizeDecimals). Only whole-contract instruments
    /// (`sizeDecimals` 0) are bound by the second term (10^18 < 2^60 − 1), so a size ``MaxOrderSize`` reports can always
    /// be given back as input.
    public static func maximumSize(sizeDecimals: Int) -> Int64 {
        let readable = FixedPoint.maximumMagnitude * PowersOfTen.int128(min(max(sizeDecimals, 0), FixedPoint.maximumScale))
        return Int64(min(Int128(maximumSize), readable))
    }

    /// The instrument traded.
    public var instrument: InstrumentID
    /// Signed size in `10^-sizeDecimals` contracts: positive buys, negative sells.
    public var size: Int64
    /// The exact fill price.
    public var price: FixedPoint
    /// The fee, in ledger units of the settlement asset (the quote asset for spot), charged to the cross balance.
    public var fee: Int128
    /// The leverage to set on the position, if any.
    public var leverage: Double?
    /// Whether the position this trade goes to is isolated (its initial margin moves from the cross balance into it):
    /// `nil` takes the account's mode for the instrument (``Account/isolatedToOpen(_:)``); given, it must match the
    /// mode of a position already held on that side.
    public var isolated: Bool?
    /// The position the trade goes to: the one-way position, or a hedge-mode leg (a buy on the short leg closes
    /// part of it).
    public var side: PositionSide

    /// Creates a trade.
    public init(instrument: InstrumentID, size: Int64, price: FixedPoint, fee: Int128 = 0, leverage: Double? = nil, isolated: Bool? = nil,
                side: PositionSide = .net) {
        self.instrument = instrument
        self.size = size
        self.price = price
        self.fee = fee
        self.leverage = leverage
        self.isolated = isolated
        self.side = side
    }

    /// Whether the trade only closes part of its hedge-mode leg (a sell on the long leg, a buy on the short one).
    public var closesLeg: Bool { side.isLeg && !side.allows(size: size) }
}

/// What a trade did to the ledger.
public struct TradeEffect: Sendable, Hashable {
    /// Realised PnL of the closed part, in the settlement asset's ledger units (rounded down): the whole PnL, credited
    /// to the cross balance, except that an isolated position's loss beyond the margin it releases is not charged
    /// (``isolatedShortfall`` is credited back).
    public var realisedPnL: Int128
    /// Value below one ledger unit that could not be credited when a position closed completely, at 10^-18 of the
    /// settlement asset (0 unless a fill price had more decimals than the ledger can hold).
    public var roundingResidue: Int128
    /// Margin moved from the cross balance into the isolated position (negative: released back).
    public var isolatedTransfer: Int128
    /// Whether the trade only reduced an existing position.
    public var reducesOnly: Bool
    /// The realised loss of an isolated position beyond the margin released with the closed part, in ledger units, judged
    /// at the trade's price (0 unless it closes past the position's bankruptcy price, or the pool's margin is negative):
    /// not charged to the account, whose loss an isolated position bounds by its margin. The venue's: the engine books
    /// it to the insurance fund. ``realisedPnL`` is the whole PnL; the fee is charged either way.
    public var isolatedShortfall: Int128 = 0

    /// Creates an effect.
    public init(realisedPnL: Int128, roundingResidue: Int128, isolatedTransfer: Int128, reducesOnly: Bool, isolatedShortfall: Int128 = 0) {
        self.realisedPnL = realisedPnL
        self.roundingResidue = roundingResidue
        self.isolatedTransfer = isolatedTransfer
        self.reducesOnly = reducesOnly
        self.isolatedShortfall = isolatedShortfall
    }
}

/// Why a trade cannot be applied.
public enum TradeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The size is zero.
    case zeroSize(instrument: String)
    /// The price is not positive.
    case nonPositivePrice(instrument: String, price: String)
    /// The fee is negative.
    case negativeFee(instrument: String)
    /// A figure overflowed (absurd sizes or prices).
    case overflow(instrument: String)
    /// Margin could not be computed.
    case margin(MarginError)
    /// The trade does not fit how the account holds the instrument: a one-way trade where it holds hedge-mode legs or
    /// the reverse, or a close larger than its leg (a leg never flips).
    case positionSide(instrument: String, reason: String)
    /// The trade names a margin mode other than that of the position it goes to (a held position keeps its mode).
    case marginMode(instrument: String, reason: String)
    /// The trade would take a balance of `asset`, or its position's isolated margin (in `asset`), beyond
    /// ``LedgerRange`` (±10^20 of the asset).
    case ledgerRange(instrument: String, asset: String, isolated: Bool)

    /// A sentence naming the instrument and the problem.
    public var description: String {
        switch self {
        case .zeroSize(let s): return "trade of \(s) has size 0"
        case .nonPositivePrice(let s, let price): return "trade of \(s) has a non-positive price \(price)"
        case .negativeFee(let s): return "trade of \(s) has a negative fee"
        case .overflow(let s): return "trade of \(s) overflows the ledger's range"
        case .margin(let error): return error.description
        case .positionSide(let s, let reason), .marginMode(let s, let reason): return "trade of \(s) \(reason)"
        case .ledgerRange(let s, let asset, let isolated):
            return "trade of \(s) would take \(isolated ? "the isolated margin of its position" : "the \(asset) balance") beyond \(LedgerRange.written(asset))"
        }
    }
}
