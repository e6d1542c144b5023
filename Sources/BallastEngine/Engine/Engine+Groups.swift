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
        var joined: MarginGroup
        let isNew = groupIndex[name] == nil
        if let existing = groupIndex[name] {
            g = existing
            joined = groups[Int(g)]
        } else {
            if membership.model == .portfolio, parameters.portfolio == nil {
                throw EventRejection(.invalidField, field: "model", value: "portfolio", message: "model portfolio needs portfolio parameters")
            }
            g = Int32(groups.count)
            joined = MarginGroup(id: name, model: membership.model)
        }
        joined.members.append(a)
        joined.members.sort()
        try checkCovered(mergedAccount(joined), field: "group", name: name)
        if isNew {
            // A new group's pool starts healthy (its state from the entry thresholds), as an account's does.
            groups.append(joined)
            groupIndex[name] = g
            groupStatus.append(UnitStatus.initial(decimals: context.valuationDecimals))
            index.reserve(accounts: accounts.count, groups: groups.count)
        } else {
            groups[Int(g)] = joined
        }
        accountGroup[Int(a)] = g
        // The account's own cross pool ends (signalled if it was not healthy); its isolated pools move into the group's
        // status with the states they held.
        groupStatus[Int(g)].isolated += endOwnPool(of: a, sequence: sequence)
        index.remove(.account(a))
        reevaluate(.group(g), sequence: sequence)
    }

    private mutating func leave(_ a: Int32, group g: Int32, sequence: UInt64) throws(EventRejection) {
        var remaining = groups[Int(g)]
        remaining.members.removeAll { $0 == a }
        if !remaining.members.isEmpty {
            // The leaver's collateral leaves the pool as a withdrawal would: the remaining pool must meet the
            // withdrawal rule, not only its initial margin.
            try checkWithdrawalCover(mergedAccount(remaining), field: "group", value: remaining.id, account: remaining.id,
                                     leaving: "without \(accounts[Int(a)].id) group \(remaining.id)")
        }
        let alone = accounts[Int(a)]
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
