import BallastCore
import BallastEngine

/// What the report of one account's pool needs, taken from the engine's state in one short read: the pool's account
/// (the account, or its group's merged account) and the risk context, both copy-on-write, so the report itself can be
/// computed away from the engine's single writer, by as many readers as there are cores.
public struct PoolSnapshot: Sendable {
    /// The account asked about.
    public var account: String
    /// Its margin group, if any.
    public var group: String?
    /// The pool: the account, or its group's merged account.
    public var pool: Account
    /// The account itself (for a group member, its own holdings, to which a hypothetical trade goes).
    public var member: Account
    /// The other members of its group, merged (`nil` for an account on its own).
    public var sharing: SharedPool?
    /// The pool's states as the engine holds them: the previous states of a report made now, which decide a state
    /// under hysteresis (``HealthBands/exitBuffer``).
    public var held: UnitStatus
    /// The market and parameters.
    public var context: RiskContext
    /// The engine's last sequence number when the snapshot was taken (a report of it is valid until the next event).
    public var sequence: UInt64
    /// The engine's time then.
    public var time: Timestamp

    /// The snapshot of `account`'s pool.
    /// - Throws: ``QueryError`` not found.
    public init(_ engine: Engine, account: String) throws(QueryError) {
        guard let index = engine.accountIndex(of: account) else {
            throw QueryError(.notFound, field: "account", message: "no account \"\(account)\"")
        }
        let groupIndex = engine.accountGroup[Int(index)]
        self.account = account
        group = groupIndex >= 0 ? engine.groups[Int(groupIndex)].id : nil
        pool = engine.poolAccount(of: engine.unit(ofAccount: index))
        member = engine.accounts[Int(index)]
        sharing = engine.sharedPool(ofAccount: index)
        held = engine.status(of: engine.unit(ofAccount: index))
        context = engine.context
        sequence = engine.lastSequence
        time = engine.lastTime
    }

    /// The pool's margin report, its states decided from the engine's held ones as the engine decides them (the
    /// same states unless the bands have an exit buffer).
    /// - Throws: ``QueryError`` when the pool cannot be margined (a missing price, an instrument awaiting settlement).
    func marginReport() throws(QueryError) -> MarginReport {
        var report: MarginReport
        do {
            report = try MarginReport(account: pool, context: context)
        } catch {
            throw QueryError(.unprocessable, field: "account", message: "\(account) cannot be margined: \(error.description)")
        }
        settleStates(of: &report, after: nil)
        return report
    }

    /// Decides a what-if's states as the engine would under hysteresis: before from the engine's held states, the cross
    /// pool's trade by trade (each from the one before it, as fills would move it), and the isolated pools after from
    /// their states before.
    func settleStates(of whatIf: inout WhatIf) {
        settleStates(of: &whatIf.before, after: nil)
        var cross = whatIf.before.cross.state
        for step in whatIf.steps.dropLast() { cross = context.healthThresholds.state(of: step.check.after, previous: cross) }
        settleStates(of: &whatIf.after, after: whatIf.before, crossPrevious: cross)
    }


    /// Decides `report`'s states from previous ones, as the engine does under hysteresis: from the engine's held states,
    /// or, for the report after a what-if, from the report before it (`previous`), the cross pool from `crossPrevious`
    /// when given.
    func settleStates(of report: inout MarginReport, after previous: MarginReport?, crossPrevious: HealthState? = nil) {
        let thresholds = context.healthThresholds
        report.cross.state = thresholds.state(of: report.cross.figures, previous: crossPrevious ?? previous?.cross.state ?? held.cross.state)
        for i in report.positions.indices {
            guard let isolated = report.positions[i].isolated else { continue }
            let (symbol, side) = (report.positions[i].instrument, report.positions[i].side)
            let before: HealthState
            if let previous {
                before = previous.positions.first { $0.instrument == symbol && $0.side == side }?.isolated?.state ?? .healthy
            } else {
                let id = context.catalog.instrument(symbol)
                before = held.isolated.first { $0.instrument == id && $0.side == side }?.pool.state ?? .healthy
            }
            report.positions[i].isolated?.state = thresholds.state(of: isolated.figures, previous: before)
        }
    }
}
