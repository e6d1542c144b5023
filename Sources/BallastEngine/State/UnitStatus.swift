import BallastCore

/// A pool's state and money figures at its last evaluation.
public struct PoolStatus: Sendable, Hashable {
    /// The health state.
    public var state: HealthState
    /// The money figures (valuation currency). For a pool the index did not re-evaluate after a price move, the state
    /// is still exact (the move was within its tolerance) but the figures are those of its last evaluation.
    public var figures: MoneyFigures

    /// Creates a status.
    public init(state: HealthState, figures: MoneyFigures) {
        self.state = state
        self.figures = figures
    }
}

/// An isolated position's pool status.
public struct IsolatedStatus: Sendable, Hashable {
    /// The account holding the position (engine index).
    public var account: Int32
    /// The position's instrument.
    public var instrument: InstrumentID
    /// The position's side (its hedge-mode leg, or ``PositionSide/net``).
    public var side: PositionSide
    /// Its pool.
    public var pool: PoolStatus
}

/// The status of a margin unit (an account or a group): its cross pool, its isolated pools, and the problem that
/// kept it from being evaluated, if any (then the states are those of the last successful evaluation).
public struct UnitStatus: Sendable, Hashable {
    /// The cross pool.
    public var cross: PoolStatus
    /// The isolated pools, by account then instrument.
    public var isolated: [IsolatedStatus]
    /// Why the last evaluation failed (a missing price, an expired instrument awaiting settlement, …), if it did.
    public var problem: MarginError?

    /// A new unit's status: healthy, zero figures.
    static func initial(decimals: Int) -> UnitStatus {
        UnitStatus(cross: PoolStatus(state: .healthy, figures: .zero(decimals: decimals)),
                   isolated: [], problem: nil)
    }

    /// The worst state among the unit's pools.
    public var worstState: HealthState {
        isolated.reduce(cross.state) { max($0, $1.pool.state) }
    }
}

extension [IsolatedStatus] {
    /// The status of the isolated pool of `account`'s position on `side` of `instrument`, if it has one.
    public func held(account: Int32, instrument: InstrumentID, side: PositionSide) -> IsolatedStatus? {
        first { $0.account == account && $0.instrument == instrument && $0.side == side }
    }
}
