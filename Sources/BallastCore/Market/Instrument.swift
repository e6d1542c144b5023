/// How an instrument's profit and loss is paid.
public enum Settlement: String, Sendable, Hashable, CaseIterable {
    /// Paid in the quote currency: PnL = q·m·(P − P0) (USDT-, USDC-margined contracts).
    case linear
    /// Paid in the base coin, for a face value in the quote currency: PnL = q·m·(1/P0 − 1/P) coin (coin-margined contracts).
    case inverse
}

/// How a position's entry cost accumulates.
public enum CostForm: String, Sendable, Hashable {
    /// cost = Σ size·m·price, in the settlement currency (linear contracts, all options).
    case product
    /// cost = Σ size·m/price, in coin (inverse futures and perpetuals): the average entry is the harmonic mean.
    case harmonic
}

/// Call or put.
public enum OptionRight: String, Sendable, Hashable, CaseIterable {
    /// The right to buy at the strike.
    case call
    /// The right to sell at the strike.
    case put
}

/// The economic kind of an instrument.
public enum InstrumentKind: Sendable, Hashable {
    /// A spot pair: buying it exchanges quote for base balances; it is never held as a position.
    case spot
    /// A perpetual swap (no expiry, funding).
    case perpetual
    /// A dated future that settles at `expiry`.
    case future(expiry: Timestamp)
    /// A European option on the underlying, exercised at `expiry`.
    case option(right: OptionRight, strike: Double, expiry: Timestamp)

    /// The expiry, if the instrument has one.
    public var expiry: Timestamp? {
        switch self {
        case .spot, .perpetual: return nil
        case .future(let expiry): return expiry
        case .option(_, _, let expiry): return expiry
        }
    }

    /// A short lower-case name: `spot`, `perpetual`, `future`, `option`.
    public var name: String {
        switch self {
        case .spot: return "spot"
        case .perpetual: return "perpetual"
        case .future: return "future"
        case .option: return "option"
        }
    }
}

/// A tradable contract: its kind, its underlying, how it settles, its size conventions.
///
/// Sizes are counted in **contracts**. For a linear instrument a contract is `contractSize` units of the
/// underlying (Binance BTCUSDT: 1 BTC, OKX BTC-USDT-SWAP: 0.01 BTC); for an inverse instrument it is a face value of
/// `contractSize` quote currency (Binance COIN-M BTCUSD: 100 USD; BitMEX XBTUSD: 1 USD). Options are linear
/// (USDC-settled, premium in quote) or inverse (coin-settled, premium in coin per unit of underlying, as Deribit).
public struct Instrument: Sendable, Hashable {
    /// The unique symbol, e.g. `"BTCUSDT"`.
    public var symbol: String
    /// Spot, perpetual, future or option.
    public var kind: InstrumentKind
    /// Linear or inverse.
    public var settlement: Settlement
    /// The base asset whose price drives the instrument (BTC for BTCUSDT).
    public var underlying: AssetID
    /// The asset in which PnL, margin and premium are paid: the quote for linear, the underlying for inverse.
    public var settle: AssetID
    /// The symbol of the quote currency prices are expressed in (USDT, USD, …).
    public var quote: String
    /// The multiplier `m`: underlying units per contract (linear) or quote face value per contract (inverse).
    public var contractSize: FixedPoint
    /// The price increment.
    public var tickSize: FixedPoint
    /// The size increment in contracts; its decimals are the size scale.
    public var lotSize: FixedPoint
    /// Options: the future (or perpetual) on the same underlying whose mark is the option's forward, the price
    /// Black-76 prices it from and its moves start from, as Deribit prices an option off the future of its expiry.
    /// It takes precedence over the snapshot's forward for the option. `nil`: the snapshot's forward if it has one, else
    /// the underlying's index price. Set it with ``Catalog/setForward(of:to:)``.
    public internal(set) var forwardInstrument: InstrumentID? = nil

    /// Creates an instrument.
    public init(symbol: String, kind: InstrumentKind, settlement: Settlement, underlying: AssetID, settle: AssetID,
                quote: String, contractSize: FixedPoint, tickSize: FixedPoint, lotSize: FixedPoint) {
        self.symbol = symbol
        self.kind = kind
        self.settlement = settlement
        self.underlying = underlying
        self.settle = settle
        self.quote = quote
        self.contractSize = contractSize
        self.tickSize = tickSize
        self.lotSize = lotSize
    }

    /// Decimals of a size in contracts: sizes are integers of `10^-sizeDecimals` contracts.
    public var sizeDecimals: Int { lotSize.trimmedScale }

    /// Decimals of every position cost basis (``Position/cost``): 18, so that the costs of all instruments
    /// settling in one asset add up exactly.
    public static let costDecimals = 18

    /// How the cost basis of a position accumulates fills.
    public var costForm: CostForm {
        if settlement == .inverse, !isOption { return .harmonic }
        return .product
    }

    /// The number of decimals of a fill price that the cost basis records exactly (18 − size − multiplier decimals);
    /// finer prices are rounded half-even.
    public var exactPriceDecimals: Int { Instrument.costDecimals - sizeDecimals - contractSize.trimmedScale }

    /// Whether `size` (in units of `10^-sizeDecimals` contracts) is a whole number of lots, as every order, fill and
    /// position at a venue is; `false` for a lot that is not positive (which a ``Catalog`` never holds).
    public func isWholeLots(_ size: Int64) -> Bool {
        guard let lot = lotUnits else { return false }
        return Int128(size) % lot == 0
    }

    /// The lot size in units of `10^-sizeDecimals` contracts, or `nil` if it is not positive there (which a ``Catalog``
    /// never holds).
    public var lotUnits: Int128? {
        guard let lot = lotSize.rescaled(to: sizeDecimals, rounding: .down), lot.units > 0 else { return nil }
        return lot.units
    }

    /// Whether positions in this instrument are options.
    public var isOption: Bool {
        if case .option = kind { return true }
        return false
    }

    /// Whether the instrument can be held in hedge-mode legs (``PositionSide/long`` and ``PositionSide/short``):
    /// futures and perpetuals, as on Binance, Bybit and OKX; never options or spot pairs.
    public var hasHedgeMode: Bool { !isOption && kind != .spot }
}

extension FixedPoint {
    /// The number of decimals once trailing zeros are dropped (`0.0010` has trimmed scale 3).
    public var trimmedScale: Int {
        var u = units
        var s = scale
        while s > 0 && u % 10 == 0 { u /= 10; s -= 1 }
        return s
    }
}
