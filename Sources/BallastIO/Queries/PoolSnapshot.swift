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
    /// The account's index in the engine (the `account` of its ``IsolatedStatus`` records).
    public var memberIndex: Int32
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
        memberIndex = index
        sharing = engine.sharedPool(ofAccount: index)
        held = engine.status(of: engine.unit(ofAccount: index))
        context = engine.context
        sequence = engine.lastSequence
        time = engine.lastTime
    }

    /// The pool's margin report (for a group member, the group's pool with the member's own isolated positions beside
    /// it), its states decided from the engine's held ones as the engine decides them (the same states unless the bands
    /// have an exit buffer).
    /// - Throws: ``QueryError`` when the pool cannot be margined (a missing price, an instrument awaiting settlement).
    func marginReport() throws(QueryError) -> MarginReport {
        var report: MarginReport
        do {
            report = try MarginReport(account: pool, context: context)
            if sharing != nil {
                try addIsolatedPositions(of: member, to: &report)
                report.instrumentSettings = member.instrumentSettings
            }
        } catch {
            throw QueryError(.unprocessable, field: "account", message: "\(account) cannot be margined: \(error.description)")
        }
        settleStates(of: &report, cross: held.cross.state, isolated: heldIsolatedState)
        return report
    }

    /// Decides a what-if's states as the engine would under hysteresis, each pool's trade by trade (each state from the
    /// one before it, as fills would move it): before from the engine's held states; after, the cross pool from its
    /// state before the last trade, and an isolated pool from its state before the last trade on its position (its
    /// state before the trades if none, healthy if a trade opened it or reopened it after a close).
    func settleStates(of whatIf: inout WhatIf) {
        settleStates(of: &whatIf.before, cross: held.cross.state, isolated: heldIsolatedState)
        let thresholds = context.healthThresholds
        var cross = whatIf.before.cross.state
        for step in whatIf.steps.dropLast() { cross = thresholds.state(of: step.check.after, previous: cross) }
        // Per isolated pool touched: its state now and its state before the last trade on it.
        var current: [PoolKey: HealthState] = [:]
        var beforeLast: [PoolKey: HealthState] = [:]
        for line in whatIf.before.positions {
            if let isolated = line.isolated { current[PoolKey(instrument: line.instrument, side: line.side)] = isolated.state }
        }
        for step in whatIf.steps {
            let key = PoolKey(instrument: context.catalog[instrument: step.trade.instrument].symbol, side: step.trade.side)
            let previous = current[key] ?? .healthy
            beforeLast[key] = previous
            current[key] = step.isolatedAfter.map { thresholds.state(of: $0, previous: previous) }
        }
        let before = whatIf.before
        settleStates(of: &whatIf.after, cross: cross) { symbol, side in
            let key = PoolKey(instrument: symbol, side: side)
            return beforeLast[key] ?? before.positions.first { $0.instrument == symbol && $0.side == side && $0.isolated != nil }?.isolated?.state
                ?? .healthy
        }
    }

    /// For a member of a margin group, adds its isolated positions to a what-if's reports of the group's pool: those it
    /// holds before the trades to the report before, those it holds after them to the report after.
    func addIsolatedPositions(to whatIf: inout WhatIf) throws(MarginError) {
        guard sharing != nil else { return }
        try addIsolatedPositions(of: member, to: &whatIf.before)
        try addIsolatedPositions(of: whatIf.accountAfter, to: &whatIf.after)
    }

    /// Adds a group member's isolated positions (those of `holder`, the member's account) to a report of its group's
    /// pool, which merges cross holdings only: their lines, each with its own pool, in catalog order, and their pools to
    /// the total.
    private func addIsolatedPositions(of holder: Account, to report: inout MarginReport) throws(MarginError) {
        var isolated = Account(id: holder.id)
        for position in holder.positions where position.mode.isIsolated { isolated.setPosition(position) }
        guard !isolated.positions.isEmpty else { return }
        let lines = try MarginReport(account: isolated, context: context)
        let order = { (line: MarginReport.PositionLine) in context.catalog.instrument(line.instrument)?.index ?? 0 }
        report.positions = (report.positions + lines.positions).enumerated()
            .sorted { (order($0.element), $0.offset) < (order($1.element), $1.offset) }.map(\.element)
        for line in lines.positions {
            if let pool = line.isolated?.figures { report.total.addIsolated(pool) }
        }
    }

    /// An isolated pool: its instrument's symbol and the position's side.
    private struct PoolKey: Hashable {
        var instrument: String
        var side: PositionSide
    }

    /// The state the engine holds for the isolated pool of `symbol` on `side` (healthy if it holds none).
    private func heldIsolatedState(_ symbol: String, _ side: PositionSide) -> HealthState {
        let id = context.catalog.instrument(symbol)
        guard let id else { return .healthy }
        return held.isolated.held(account: memberIndex, instrument: id, side: side)?.pool.state ?? .healthy
    }

    /// Decides `report`'s states under hysteresis from previous ones: the cross pool's from `cross`, each isolated
    /// pool's from `isolated(symbol, side)`.
    private func settleStates(of report: inout MarginReport, cross: HealthState, isolated previous: (String, PositionSide) -> HealthState) {
        let thresholds = context.healthThresholds
        report.cross.state = thresholds.state(of: report.cross.figures, previous: cross)
        for i in report.positions.indices {
            guard let isolated = report.positions[i].isolated else { continue }
            let state = previous(report.positions[i].instrument, report.positions[i].side)
            report.positions[i].isolated?.state = thresholds.state(of: isolated.figures, previous: state)
        }
    }
}
