import BallastCore

extension Engine {
    mutating func changeGroup(_ membership: GroupMembership, sequence: UInt64) throws(EventRejection) {
        let a = try existingAccount(membership.account, field: "account")
        let current = accountGroup[Int(a)]
        guard let name = membership.group else {
            guard current >= 0 else {
                throw EventRejection(.invalidField, field: "group", value: "", message: "account \(membership.account) is in no group")
            }
            try leave(a, group: current, sequence: sequence)
            return
        }
        try checkIdentifier(name, field: "group")
        guard current < 0 else {
            throw EventRejection(.notApplicable, field: "group", value: name,
                                 message: "account \(membership.account) is already in group \(groups[Int(current)].id): leave it first")
        }
        let g: Int32
        let isNew = groupIndex[name] == nil
        if let existing = groupIndex[name] {
            g = existing
        } else {
            if membership.model == .portfolio, parameters.portfolio == nil {
                throw EventRejection(.invalidField, field: "model", value: "portfolio", message: "model portfolio needs portfolio parameters")
            }
            g = Int32(groups.count)
            var joined = MarginGroup(id: name, model: membership.model)
            joined.members = [a]
            try checkCovered(mergedAccount(joined), field: "group", name: name)
            groups.append(MarginGroup(id: name, model: membership.model))
            groupIndex[name] = g
            groupStatus.append(accountStatus[Int(a)])
            index.reserve(accounts: accounts.count, groups: groups.count)
        }
        var joined = groups[Int(g)]
        joined.members.append(a)
        joined.members.sort()
        try checkCovered(mergedAccount(joined), field: "group", name: name)
        groups[Int(g)] = joined
        accountGroup[Int(a)] = g
        // The account's isolated pools move into the group's status with the states they held (a new group took the
        // whole status above); its own cross status is no longer used.
        if !isNew { groupStatus[Int(g)].isolated += accountStatus[Int(a)].isolated }
        accountStatus[Int(a)] = UnitStatus.initial(decimals: context.valuationDecimals)
        index.remove(.account(a))
        reevaluate(.group(g), sequence: sequence)
    }

    private mutating func leave(_ a: Int32, group g: Int32, sequence: UInt64) throws(EventRejection) {
        var remaining = groups[Int(g)]
        remaining.members.removeAll { $0 == a }
        if !remaining.members.isEmpty {
            try checkCovered(mergedAccount(remaining), field: "group", name: remaining.id)
        }
        var alone = accounts[Int(a)]
        alone.model = accounts[Int(a)].model
        try checkCovered(alone, field: "account", name: alone.id)
        groups[Int(g)] = remaining
        accountGroup[Int(a)] = -1
        // The account's own pool starts afresh (its state from the entry thresholds, not the group's held one); its
        // isolated pools keep theirs.
        accountStatus[Int(a)] = UnitStatus.initial(decimals: context.valuationDecimals)
        accountStatus[Int(a)].isolated = groupStatus[Int(g)].isolated.filter { $0.account == a }
        groupStatus[Int(g)].isolated.removeAll { $0.account == a }
        reevaluate(.group(g), sequence: sequence)
        reevaluate(.account(a), sequence: sequence)
    }

    /// Rejects a change that would leave a pool's margin balance below its initial margin.
    private func checkCovered(_ pool: Account, field: String, name: String) throws(EventRejection) {
        let money: MoneyFigures
        do throws(MarginError) {
            money = try poolMoney(pool)
        } catch {
            throw Self.rejection(error, field: field, account: name)
        }
        guard money.marginBalance >= money.initial else {
            throw EventRejection(.insufficientMargin, field: field, value: name,
                                 message: "\(name) would have margin balance \(money.fixed(money.marginBalance)) below its initial margin \(money.fixed(money.initial))")
        }
    }
}
