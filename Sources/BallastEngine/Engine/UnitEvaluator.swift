import BallastCore

/// Evaluates margin units with reusable scratch space: the pools' states and figures, and the price tolerances the
/// risk index needs. The margin maths is BallastCore's (the same functions the CLI and the reports use).
struct UnitEvaluator: Sendable {
    private var workspace: MarginWorkspace
    private var sensitivity = PoolSensitivity()
    private var tolerance: StateTolerance
    /// The tolerances of the pools evaluated since ``begin()``.
    private(set) var tolerances: [PriceTolerance] = []

    /// An evaluator for a catalog of `assetCount` assets.
    init(assetCount: Int) {
        workspace = MarginWorkspace(assetCount: assetCount)
        tolerance = StateTolerance(assetCount: assetCount)
    }

    /// Starts a unit: forgets the tolerances of the last one.
    mutating func begin() {
        tolerances.removeAll(keepingCapacity: true)
    }

    /// The cross pool of `accounts[index]`, read where it lies (a standard pool copies nothing out of the array); as
    /// ``cross(_:previous:context:slopes:)``.
    mutating func cross(_ accounts: borrowing [Account], at index: Int, previous: PoolStatus, context: RiskContext,
                        slopes: MaintenanceSlopes) -> (PoolStatus, MarginError?) {
        guard case .standard = accounts[index].model else { return cross(accounts[index], previous: previous, context: context, slopes: slopes) }
        sensitivity.reset()
        do throws(MarginError) {
            let pool = try AccountMargin.crossPool(accounts, at: index, context: context, workspace: &workspace, observer: &sensitivity)
            return (try standardStatus(pool, previous: previous, context: context, slopes: slopes), nil)
        } catch {
            Self.exposures(of: accounts[index], context: context, crossOnly: true, into: &tolerances)
            return (previous, error)
        }
    }

    /// The cross pool of `account` (a single account, or a group's merged account), under its model. On failure the
    /// pool keeps `previous` and the error is returned; its tolerances are then −1 (re-evaluate on any change).
    mutating func cross(_ account: Account, previous: PoolStatus, context: RiskContext, slopes: MaintenanceSlopes) -> (PoolStatus, MarginError?) {
        let decimals = context.valuationDecimals
        do throws(MarginError) {
            switch account.model {
            case .standard:
                sensitivity.reset()
                let pool = try AccountMargin.crossPool(account, context: context, workspace: &workspace, observer: &sensitivity)
                return (try standardStatus(pool, previous: previous, context: context, slopes: slopes), nil)
            case .portfolio:
                let pool = try AccountMargin.pool(account, context: context, workspace: &workspace)
                let money = try pool.money(decimals: decimals)
                let state = context.healthThresholds.state(of: money, previous: previous.state)
                Self.exposures(of: account, context: context, crossOnly: true, into: &tolerances)
                return (PoolStatus(state: state, figures: money), nil)
            }
        } catch {
            Self.exposures(of: account, context: context, crossOnly: true, into: &tolerances)
            return (previous, error)
        }
    }

    /// A standard cross pool's status from its figures (observed by ``sensitivity``), its tolerances appended.
    /// - Throws: ``MarginError/outOfRange(figure:)`` for a figure beyond money's range.
    private mutating func standardStatus(_ pool: PoolFigures, previous: PoolStatus, context: RiskContext,
                                         slopes: MaintenanceSlopes) throws(MarginError) -> PoolStatus {
        let money = try pool.money(decimals: context.valuationDecimals)
        let state = context.healthThresholds.state(of: money, previous: previous.state)
        tolerance.cross(sensitivity: sensitivity, money: money, state: state, context: context, slopes: slopes, into: &tolerances)
        return PoolStatus(state: state, figures: money)
    }

    /// The isolated pools of `account` (engine index `index`), appended to `output`; `previous` holds their last
    /// statuses. Returns the first failure, if any (that pool keeps its previous status).
    mutating func isolated(_ account: Account, index: Int32, previous: [IsolatedStatus], context: RiskContext, slopes: MaintenanceSlopes,
                           into output: inout [IsolatedStatus]) -> MarginError? {
        var failure: MarginError?
        let decimals = context.valuationDecimals
        for slot in account.positions.indices where account.positions[slot].mode.isIsolated {
            let position = account.positions[slot]
            let before = previous.held(account: index, instrument: position.instrument, side: position.side)?.pool
                ?? PoolStatus(state: .healthy, figures: .zero(decimals: decimals))
            do throws(MarginError) {
                let (pool, figures) = try AccountMargin.isolatedPool(account, slot: slot, context: context)
                let money = try pool.money(decimals: decimals)
                let state = context.healthThresholds.state(of: money, previous: before.state)
                tolerance.isolated(position: position, figures: figures, pool: pool, money: money, state: state, context: context, slopes: slopes,
                                   into: &tolerances)
                output.append(IsolatedStatus(account: index, instrument: position.instrument, side: position.side, pool: PoolStatus(state: state, figures: money)))
            } catch {
                let risk = context.instruments[position.instrument.index]
                tolerances.append(PriceTolerance(group: risk.underlying, move: -1))
                tolerances.append(PriceTolerance(group: risk.settle, move: -1))
                output.append(IsolatedStatus(account: index, instrument: position.instrument, side: position.side, pool: before))
                failure = failure ?? error
            }
        }
        return failure
    }

    /// Tolerance −1 in every group the account's pools depend on: its balances' assets and its positions' underlyings
    /// and settlement assets.
    static func exposures(of account: Account, context: RiskContext, crossOnly: Bool, into output: inout [PriceTolerance]) {
        for balance in account.balances { output.append(PriceTolerance(group: balance.asset, move: -1)) }
        for position in account.positions where !crossOnly || !position.mode.isIsolated {
            let risk = context.instruments[position.instrument.index]
            output.append(PriceTolerance(group: risk.underlying, move: -1))
            output.append(PriceTolerance(group: risk.settle, move: -1))
        }
    }
}
