import BallastCore

/// One input of the engine: an identified, sequenced, timed event.
///
/// The engine applies events in sequence order. An event whose id it has already accepted is acknowledged as a
/// duplicate and not applied again; an event whose sequence number is not above the last accepted one, or that is
/// invalid, is rejected with a reason and changes nothing. Sequence numbers may have gaps (a rejected event does not
/// use its number up).
public struct EngineEvent: Sendable {
    /// The producer's identifier of the event, unique across the stream (at most ``maximumIDLength`` bytes of UTF-8).
    public var id: String
    /// The position in the stream: strictly increasing along accepted events.
    public var sequence: UInt64
    /// When the event happened: option expiries are measured from the latest event time, and parameter changes
    /// take effect when it reaches their effective time.
    public var time: Timestamp
    /// What happened.
    public var body: EventBody

    /// The longest event id accepted, in UTF-8 bytes.
    public static let maximumIDLength = 128
    /// The largest sequence number an event may carry: 2^63 − 1, what every store's signed 64-bit column holds.
    public static let maximumSequence = UInt64(Int64.max)
    /// How far above the last accepted sequence an event's may run: 2^48 (about 2.8·10^14, room for a feed numbered
    /// by milliseconds since 1970). Sequences may skip numbers, but one event numbered near ``maximumSequence`` would
    /// leave no room for any later event, and the store would refuse everything after it; with this step, running
    /// the sequence out takes 2^15 events that each jump as far as allowed.
    public static let maximumSequenceStep: UInt64 = 1 << 48
    /// The largest sequence of an engine's first event: 2^62, half the range, so that a feed may number its events
    /// from any clock (microseconds since 1970 are about 1.8·10^15, above one step) and still have 2^62 numbers left.
    public static let maximumFirstSequence: UInt64 = 1 << 62

    /// Creates an event.
    public init(id: String, sequence: UInt64, time: Timestamp, body: EventBody) {
        self.id = id
        self.sequence = sequence
        self.time = time
        self.body = body
    }
}

/// What an event does.
public enum EventBody: Sendable {
    /// Opens an account.
    case openAccount(AccountOpening)
    /// Adds an asset to an account's cross balance.
    case deposit(FundsMovement)
    /// Takes an asset out of an account's cross balance, if the account stays covered (``WithdrawalPolicy``).
    case withdrawal(FundsMovement)
    /// Moves an asset between two accounts; the sender must stay covered as for a withdrawal.
    case transfer(Transfer)
    /// A trade between two accounts, or between an account and the outside world.
    case fill(Fill)
    /// New index and mark prices.
    case prices(PriceUpdate)
    /// New implied volatilities of options (their model marks and the volatility surfaces move).
    case volatility(VolatilityUpdate)
    /// A funding payment of a perpetual between its longs and shorts.
    case funding(FundingPayment)
    /// The expiry of a future or option: every position closes at the settlement value.
    case settlement(ExpirySettlement)
    /// A new version of the risk parameters. Held in a box (`indirect`): the parameters take about 580 bytes inline, and
    /// every event, of whatever kind, would be that large, so each copy of a fill would move them.
    indirect case parameters(ParameterChange)
    /// An account joins a margin group (its members share one collateral pool) or leaves its group.
    case group(GroupMembership)
    /// An account chooses its leverage in a future or perpetual.
    case leverage(LeverageChange)
    /// An account chooses the margin mode of a future or perpetual for its next position there (refused while a
    /// position in the other mode is held).
    case marginMode(MarginModeChange)

    /// The event's kind as a word: the `type` of the JSON form and of rejections.
    public var kind: String {
        switch self {
        case .openAccount: return "open_account"
        case .deposit: return "deposit"
        case .withdrawal: return "withdrawal"
        case .transfer: return "transfer"
        case .fill: return "fill"
        case .prices: return "prices"
        case .volatility: return "volatility"
        case .funding: return "funding"
        case .settlement: return "settlement"
        case .parameters: return "parameters"
        case .group: return "group"
        case .leverage: return "leverage"
        case .marginMode: return "margin_mode"
        }
    }
}
