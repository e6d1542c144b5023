import BallastCore

/// Opens an account with its margin model.
public struct AccountOpening: Sendable, Hashable {
    /// The new account's identifier.
    public var account: String
    /// Standard or portfolio margin for its cross pool.
    public var model: MarginModel

    /// Creates an opening.
    public init(account: String, model: MarginModel = .standard) {
        self.account = account
        self.model = model
    }
}

/// An amount of an asset into or out of an account.
public struct FundsMovement: Sendable, Hashable {
    /// The account.
    public var account: String
    /// The asset.
    public var asset: AssetID
    /// The amount in the asset's ledger units (positive).
    public var amount: Int128

    /// Creates a movement.
    public init(account: String, asset: AssetID, amount: Int128) {
        self.account = account
        self.asset = asset
        self.amount = amount
    }
}

/// An amount of an asset from one account to another.
public struct Transfer: Sendable, Hashable {
    /// The sender.
    public var from: String
    /// The receiver.
    public var to: String
    /// The asset.
    public var asset: AssetID
    /// The amount in the asset's ledger units (positive).
    public var amount: Int128

    /// Creates a transfer.
    public init(from: String, to: String, asset: AssetID, amount: Int128) {
        self.from = from
        self.to = to
        self.asset = asset
        self.amount = amount
    }
}

/// A trade of `size` contracts at `price`: the buyer buys and the seller sells. A missing side is the outside world
/// (another venue, for a desk that mirrors its fills): its half of the trade goes to the engine's external account,
/// so money stays conserved.
public struct Fill: Sendable, Hashable {
    /// One side of a fill.
    public struct Side: Sendable, Hashable {
        /// The account.
        public var account: String
        /// The fee it pays, in ledger units of the settlement asset (the quote asset for spot).
        public var fee: Int128
        /// The leverage to set on its position, if any.
        public var leverage: Double?
        /// Whether the position the fill goes to is isolated: `nil` takes the account's margin mode for the instrument
        /// (``Account/isolatedToOpen(_:)``); given, it must match the mode of a position held on that side.
        public var isolated: Bool?
        /// The position the fill goes to: the one-way position (``PositionSide/net``), or a hedge-mode leg, which a
        /// fill of the other direction closes part of and which never flips (futures and perpetuals only).
        public var positionSide: PositionSide

        /// Creates a side.
        public init(account: String, fee: Int128 = 0, leverage: Double? = nil, isolated: Bool? = nil, positionSide: PositionSide = .net) {
            self.account = account
            self.fee = fee
            self.leverage = leverage
            self.isolated = isolated
            self.positionSide = positionSide
        }
    }

    /// The instrument.
    public var instrument: InstrumentID
    /// The exact price.
    public var price: FixedPoint
    /// The size in 10^-sizeDecimals contracts (positive).
    public var size: Int64
    /// The buying side (`nil`: outside).
    public var buyer: Side?
    /// The selling side (`nil`: outside).
    public var seller: Side?

    /// Creates a fill.
    public init(instrument: InstrumentID, price: FixedPoint, size: Int64, buyer: Side?, seller: Side?) {
        self.instrument = instrument
        self.price = price
        self.size = size
        self.buyer = buyer
        self.seller = seller
    }
}

/// An asset's new index price.
public struct IndexQuote: Sendable, Hashable {
    /// The asset.
    public var asset: AssetID
    /// The price in the valuation currency.
    public var price: Double

    /// Creates an index price.
    public init(asset: AssetID, price: Double) {
        self.asset = asset
        self.price = price
    }
}

/// An instrument's new mark price.
public struct MarkQuote: Sendable, Hashable {
    /// The instrument.
    public var instrument: InstrumentID
    /// The mark in its quote currency (options: per unit of underlying, in coin for coin-settled options).
    public var price: Double

    /// Creates a mark price.
    public init(instrument: InstrumentID, price: Double) {
        self.instrument = instrument
        self.price = price
    }
}

/// New prices. Prices not named keep their values.
public struct PriceUpdate: Sendable, Hashable {
    /// Index prices.
    public var index: [IndexQuote]
    /// Mark prices.
    public var marks: [MarkQuote]

    /// Creates an update.
    public init(index: [IndexQuote] = [], marks: [MarkQuote] = []) {
        self.index = index
        self.marks = marks
    }
}

/// An option's new implied volatility.
public struct ImpliedVolatility: Sendable, Hashable {
    /// The option.
    public var instrument: InstrumentID
    /// The annualised volatility.
    public var volatility: Double

    /// Creates an implied volatility.
    public init(instrument: InstrumentID, volatility: Double) {
        self.instrument = instrument
        self.volatility = volatility
    }
}

/// New implied volatilities. Options not named keep theirs.
public struct VolatilityUpdate: Sendable, Hashable {
    /// The volatilities.
    public var volatilities: [ImpliedVolatility]

    /// Creates an update.
    public init(volatilities: [ImpliedVolatility]) {
        self.volatilities = volatilities
    }
}

/// A funding payment of a perpetual: every position pays **size·m·price·rate** (linear) or **size·m/price·rate** (inverse,
/// in coin) of its settlement asset; longs pay shorts when the rate is positive. Payers are charged rounded up and
/// receivers credited rounded down; the difference goes to the insurance fund.
public struct FundingPayment: Sendable, Hashable {
    /// The perpetual.
    public var instrument: InstrumentID
    /// The funding rate of the interval (e.g. 0.0001 for 0.01 %).
    public var rate: FixedPoint
    /// The price the payment is computed at (the mark, or the index, by venue).
    public var price: FixedPoint

    /// Creates a payment.
    public init(instrument: InstrumentID, rate: FixedPoint, price: FixedPoint) {
        self.instrument = instrument
        self.rate = rate
        self.price = price
    }
}

/// The expiry of a future or an option at the underlying's settlement price (the delivery price): futures close at
/// that price, options at their intrinsic value (in coin for coin-settled options).
public struct ExpirySettlement: Sendable, Hashable {
    /// The instrument.
    public var instrument: InstrumentID
    /// The underlying's settlement price.
    public var price: FixedPoint

    /// Creates a settlement.
    public init(instrument: InstrumentID, price: FixedPoint) {
        self.instrument = instrument
        self.price = price
    }
}

/// A new version of the risk parameters, effective from `effective` (immediately if that is not after the event).
public struct ParameterChange: Sendable {
    /// The version number: above every earlier version.
    public var version: Int
    /// When the parameters take effect.
    public var effective: Timestamp
    /// The parameter document the parameters were read from, kept verbatim for the journal and audits.
    public var document: String
    /// The parameters.
    public var parameters: RiskParameters

    /// Creates a change.
    public init(version: Int, effective: Timestamp, document: String, parameters: RiskParameters) {
        self.version = version
        self.effective = effective
        self.document = document
        self.parameters = parameters
    }
}

/// An account joins the group `group` (creating it, with margin model `model`, if it is new) or, with `group` nil,
/// leaves its group.
public struct GroupMembership: Sendable, Hashable {
    /// The account.
    public var account: String
    /// The group, or `nil` to leave.
    public var group: String?
    /// The margin model of a new group.
    public var model: MarginModel

    /// Creates a membership change.
    public init(account: String, group: String?, model: MarginModel = .standard) {
        self.account = account
        self.group = group
        self.model = model
    }
}

/// An account chooses its leverage in a future or perpetual, as a venue's leverage setting does (Binance's change of
/// initial leverage): every position it holds there takes it, or, with none held, the next one opens at it.
public struct LeverageChange: Sendable, Hashable {
    /// The account.
    public var account: String
    /// The instrument (a future or perpetual).
    public var instrument: InstrumentID
    /// The leverage (≥ 1; above the schedule's cap, the cap applies).
    public var leverage: Double

    /// Creates a leverage change.
    public init(account: String, instrument: InstrumentID, leverage: Double) {
        self.account = account
        self.instrument = instrument
        self.leverage = leverage
    }
}

/// An account chooses the margin mode of a future or perpetual for its next position there, as a venue's margin type
/// setting does (Binance's change of margin type, refused while a position is open): a fill that names no mode opens
/// the position in it.
public struct MarginModeChange: Sendable, Hashable {
    /// The account.
    public var account: String
    /// The instrument (a future or perpetual).
    public var instrument: InstrumentID
    /// Whether the next position opens isolated (`false`: cross).
    public var isolated: Bool

    /// Creates a margin mode change.
    public init(account: String, instrument: InstrumentID, isolated: Bool) {
        self.account = account
        self.instrument = instrument
        self.isolated = isolated
    }
}
