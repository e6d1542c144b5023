import BallastCore

/// What a pool belongs to: an account, or a margin group sharing one pool.
public enum MarginSubject: Sendable, Hashable, CustomStringConvertible {
    /// An account on its own.
    case account(String)
    /// A margin group.
    case group(String)

    /// `account alice` or `group desk-1`.
    public var description: String {
        switch self {
        case .account(let id): return "account \(id)"
        case .group(let id): return "group \(id)"
        }
    }
}

/// A change of a pool's health state, emitted by the engine after the event that caused it.
public struct Signal: Sendable, Hashable, CustomStringConvertible {
    /// What the change means to a venue.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Entered the warning band: ask for collateral.
        case marginCall = "margin_call"
        /// Entered the reduce-only band: accept only orders that reduce risk.
        case reduceOnly = "reduce_only"
        /// Entered the liquidation band: liquidate.
        case liquidation
        /// Equity fell to or below zero: bad debt.
        case bankrupt
        /// Moved to a better state.
        case recovered
    }

    /// The sequence number of the event that caused the change.
    public var sequence: UInt64
    /// The pool's owner.
    public var subject: MarginSubject
    /// The isolated position's instrument, or `nil` for the cross pool.
    public var isolated: InstrumentID?
    /// The isolated position's side: its hedge-mode leg, or ``PositionSide/net`` (also for the cross pool).
    public var isolatedSide: PositionSide
    /// The state before.
    public var from: HealthState
    /// The state after.
    public var to: HealthState
    /// The pool's money figures after the event.
    public var figures: MoneyFigures

    /// Creates a signal.
    public init(sequence: UInt64, subject: MarginSubject, isolated: InstrumentID?, isolatedSide: PositionSide = .net, from: HealthState,
                to: HealthState, figures: MoneyFigures) {
        self.sequence = sequence
        self.subject = subject
        self.isolated = isolated
        self.isolatedSide = isolatedSide
        self.from = from
        self.to = to
        self.figures = figures
    }

    /// The pool's name: `cross`, or the isolated position's symbol with its leg in hedge mode (`BTCUSDT long`).
    public func pool(in catalog: Catalog) -> String {
        isolated.map { isolatedSide.label(catalog[instrument: $0].symbol) } ?? "cross"
    }

    /// The change's meaning: the band entered when the state worsens, ``Kind/recovered`` when it improves.
    public var kind: Kind {
        guard to > from else { return .recovered }
        switch to {
        case .healthy, .warning: return .marginCall
        case .reduceOnly: return .reduceOnly
        case .liquidation: return .liquidation
        case .bankrupt: return .bankrupt
        }
    }

    /// `#42 account alice cross: healthy → warning (margin_call)`.
    public var description: String {
        let pool = isolated.map { "isolated \(isolatedSide.label("\($0)"))" } ?? "cross"
        return "#\(sequence) \(subject) \(pool): \(from.rawValue) → \(to.rawValue) (\(kind.rawValue))"
    }
}
