import BallastCore

extension Engine {
    /// Evaluates a unit again, emits a signal for every pool whose state changed, stores its status and registers its
    /// tolerances in the risk index.
    mutating func reevaluate(_ unit: MarginUnit, sequence: UInt64) {
        evaluations += 1
        let old = status(of: unit)
        // The evaluator is moved out for the call, so the engine's other properties are read in place rather than
        // copied (an inout access to one stored property of `self` overlapping reads of the others makes the compiler
        // copy them: the risk context alone is about 1 KB). Taken, not swapped with a placeholder, which had to be made
        // and destroyed at every evaluation.
        var evaluator = self.evaluator.take() ?? UnitEvaluator(assetCount: catalog.assets.count)
        evaluator.begin()
        let new = Self.evaluate(unit, previous: old, accounts: accounts, groups: groups, context: context, slopes: slopes, evaluator: &evaluator)
        emitSignals(unit, old: old, new: new, sequence: sequence)
        setStatus(new, of: unit)
        registerTolerances(unit, evaluator.tolerances)
        self.evaluator = consume evaluator
    }

    /// A fresh evaluation of a unit at the current market, without storing it: exact figures even for a unit the
    /// risk index did not need to re-evaluate (whose stored state is exact but whose stored figures may be older).
    public func freshStatus(of unit: MarginUnit) -> UnitStatus {
        var evaluator = UnitEvaluator(assetCount: catalog.assets.count)
        return freshStatus(of: unit, evaluator: &evaluator)
    }

    /// ``freshStatus(of:)`` of several units, with one evaluator's scratch space for all of them.
    public func freshStatuses(of units: [MarginUnit]) -> [UnitStatus] {
        var evaluator = UnitEvaluator(assetCount: catalog.assets.count)
        return units.map { freshStatus(of: $0, evaluator: &evaluator) }
    }

    /// ``freshStatus(of:)`` with the scratch space of `evaluator`.
    private func freshStatus(of unit: MarginUnit, evaluator: inout UnitEvaluator) -> UnitStatus {
        Self.evaluate(unit, previous: status(of: unit), accounts: accounts, groups: groups, context: context, slopes: slopes, evaluator: &evaluator)
    }

    /// The status of `unit`: its cross pool (a group's merged account) and its isolated pools; a pool that fails to
    /// evaluate keeps its `previous` status and the unit records the problem.
    private static func evaluate(_ unit: MarginUnit, previous old: UnitStatus, accounts: [Account], groups: [MarginGroup], context: RiskContext,
                                 slopes: MaintenanceSlopes, evaluator: inout UnitEvaluator) -> UnitStatus {
        var new = UnitStatus(cross: old.cross, isolated: [], problem: nil)
        func isolatedPools(of member: Int32) {
            guard accounts[Int(member)].positions.contains(where: { $0.mode.isIsolated }) else { return }
            let failure = evaluator.isolated(accounts[Int(member)], index: member, previous: old.isolated, context: context, slopes: slopes,
                                             into: &new.isolated)
            new.problem = new.problem ?? failure
        }
        if let a = unit.account {
            (new.cross, new.problem) = evaluator.cross(accounts, at: Int(a), previous: old.cross, context: context, slopes: slopes)
            isolatedPools(of: a)
        } else {
            let group = groups[Int(unit.group ?? 0)]
            guard !group.members.isEmpty else { return UnitStatus.initial(decimals: context.valuationDecimals) }
            (new.cross, new.problem) = evaluator.cross(mergedAccount(group, accounts: accounts), previous: old.cross,
                                                       context: context, slopes: slopes)
            for member in group.members { isolatedPools(of: member) }
        }
        return new
    }

    /// Evaluates every unit (after a parameter change or on restore).
    mutating func reevaluateAll(sequence: UInt64) {
        for a in accounts.indices where accountGroup[a] < 0 { reevaluate(.account(Int32(a)), sequence: sequence) }
        for g in groups.indices { reevaluate(.group(Int32(g)), sequence: sequence) }
    }

    /// Evaluates every unit that holds a position in `instrument` (or, for groups, whose members do).
    mutating func reevaluateHolders(of instrument: InstrumentID, sequence: UInt64) {
        var units = Set<MarginUnit>()
        for a in accounts.indices where accounts[a].holds(instrument) { units.insert(unit(ofAccount: Int32(a))) }
        for unit in units.sorted() { reevaluate(unit, sequence: sequence) }
    }

    mutating func setStatus(_ status: UnitStatus, of unit: MarginUnit) {
        if let a = unit.account { accountStatus[Int(a)] = status } else { groupStatus[Int(unit.group ?? 0)] = status }
    }

    /// Registers the tolerances of an evaluation of `unit`, one per group (the smallest).
    private mutating func registerTolerances(_ unit: MarginUnit, _ tolerances: [PriceTolerance]) {
        toleranceScratch.removeAll(keepingCapacity: true)
        for tolerance in tolerances {
            if let i = toleranceScratch.firstIndex(where: { $0.group == tolerance.group }) {
                toleranceScratch[i].move = min(toleranceScratch[i].move, tolerance.move)
            } else {
                toleranceScratch.append(tolerance)
            }
        }
        index.register(unit, tolerances: toleranceScratch, prices: prices)
    }

    /// A signal for the cross pool and for each isolated pool whose state changed. An isolated pool that is gone (its
    /// position closed) ends healthy with zero figures, so the last signal of every pool is its state.
    private mutating func emitSignals(_ unit: MarginUnit, old: UnitStatus, new: UnitStatus, sequence: UInt64) {
        if new.cross.state != old.cross.state {
            pendingSignals.append(Signal(sequence: sequence, subject: subject(of: unit), isolated: nil, from: old.cross.state,
                                         to: new.cross.state, figures: new.cross.figures))
        }
        for pool in new.isolated {
            let before = old.isolated.held(account: pool.account, instrument: pool.instrument, side: pool.side)?.pool.state ?? .healthy
            if pool.pool.state != before {
                pendingSignals.append(Signal(sequence: sequence, subject: .account(accounts[Int(pool.account)].id), isolated: pool.instrument, isolatedSide: pool.side,
                                             from: before, to: pool.pool.state, figures: pool.pool.figures))
            }
        }
        for pool in old.isolated where pool.pool.state != .healthy
            && new.isolated.held(account: pool.account, instrument: pool.instrument, side: pool.side) == nil {
            pendingSignals.append(Signal(sequence: sequence, subject: .account(accounts[Int(pool.account)].id), isolated: pool.instrument, isolatedSide: pool.side,
                                         from: pool.pool.state, to: .healthy, figures: .zero(decimals: context.valuationDecimals)))
        }
    }

    /// Ends the cross pool of account `a`, which joins a group whose pool takes its place: a signal to healthy with
    /// zero figures when it held a worse state, and a fresh status (its isolated pools, with their states, are
    /// returned for the group to keep).
    mutating func endOwnPool(of a: Int32, sequence: UInt64) -> [IsolatedStatus] {
        let own = accountStatus[Int(a)]
        if own.cross.state != .healthy {
            pendingSignals.append(Signal(sequence: sequence, subject: .account(accounts[Int(a)].id), isolated: nil, from: own.cross.state,
                                         to: .healthy, figures: .zero(decimals: context.valuationDecimals)))
        }
        accountStatus[Int(a)] = UnitStatus.initial(decimals: context.valuationDecimals)
        return own.isolated
    }
}
