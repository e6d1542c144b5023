import BallastCore

extension Engine {
    mutating func openAccount(_ opening: AccountOpening, sequence: UInt64) throws(EventRejection) {
        try checkIdentifier(opening.account, field: "account")
        guard accountIndex.find(opening.account, in: accounts) == nil else {
            throw EventRejection(.alreadyExists, field: "account", value: opening.account, message: "account \"\(opening.account)\" already exists")
        }
        if opening.model == .portfolio, parameters.portfolio == nil {
            throw EventRejection(.invalidField, field: "model", value: "portfolio",
                                 message: "model portfolio needs portfolio parameters, and the parameters in force have none")
        }
        let index = Int32(accounts.count)
        accounts.append(Account(id: opening.account, model: opening.model))
        accountIndex.insert(opening.account, at: index)
        accountGroup.append(-1)
        accountStatus.append(.initial(decimals: context.valuationDecimals))
        self.index.reserve(accounts: accounts.count, groups: groups.count)
        reevaluate(.account(index), sequence: sequence)
    }

    mutating func deposit(_ movement: FundsMovement, sequence: UInt64) throws(EventRejection) {
        let a = try existingAccount(movement.account, field: "account")
        try checkAsset(movement.asset, field: "asset")
        try checkPositive(movement.amount, asset: movement.asset, field: "amount")
        let asset = catalog[asset: movement.asset]
        let balance = try Self.ranged(accounts[Int(a)].balance(movement.asset), plus: movement.amount, asset: asset, field: "amount",
                                      figure: "\(movement.account)'s \(asset.symbol) balance")
        let deposits = try Self.ranged(ledger[movement.asset.index].deposits, plus: movement.amount, asset: asset, field: "amount",
                                       figure: "the \(asset.symbol) deposits")
        accounts[Int(a)].setBalance(movement.asset, units: balance)
        ledger[movement.asset.index].deposits = deposits
        reevaluate(unit(ofAccount: a), sequence: sequence)
    }

    mutating func withdraw(_ movement: FundsMovement, sequence: UInt64) throws(EventRejection) {
        let a = try existingAccount(movement.account, field: "account")
        try checkAsset(movement.asset, field: "asset")
        try checkPositive(movement.amount, asset: movement.asset, field: "amount")
        let asset = catalog[asset: movement.asset]
        let withdrawals = try Self.ranged(ledger[movement.asset.index].withdrawals, plus: movement.amount, asset: asset, field: "amount",
                                          figure: "the \(asset.symbol) withdrawals")
        try debit(a, asset: movement.asset, amount: movement.amount)
        ledger[movement.asset.index].withdrawals = withdrawals
        reevaluate(unit(ofAccount: a), sequence: sequence)
    }

    mutating func transfer(_ transfer: Transfer, sequence: UInt64) throws(EventRejection) {
        let from = try existingAccount(transfer.from, field: "from")
        let to = try existingAccount(transfer.to, field: "to")
        guard from != to else {
            throw EventRejection(.invalidField, field: "to", value: transfer.to, message: "a transfer needs two different accounts")
        }
        try checkAsset(transfer.asset, field: "asset")
        try checkPositive(transfer.amount, asset: transfer.asset, field: "amount")
        let (source, target) = (unit(ofAccount: from), unit(ofAccount: to))
        let asset = catalog[asset: transfer.asset]
        let received = try Self.ranged(accounts[Int(to)].balance(transfer.asset), plus: transfer.amount, asset: asset, field: "amount",
                                       figure: "\(transfer.to)'s \(asset.symbol) balance")
        // Between two members of one group the pool keeps the money: only the sender's balance is checked.
        try debit(from, asset: transfer.asset, amount: transfer.amount, poolKeepsIt: source == target)
        accounts[Int(to)].setBalance(transfer.asset, units: received)
        reevaluate(source, sequence: sequence)
        if target != source { reevaluate(target, sequence: sequence) }
    }

    /// Takes `amount` of `asset` out of account `a` if the withdrawal rule allows it (only the balance check when
    /// `poolKeepsIt`: a transfer within the account's group); otherwise changes nothing.
    private mutating func debit(_ a: Int32, asset: AssetID, amount: Int128, poolKeepsIt: Bool = false) throws(EventRejection) {
        var after = accounts[Int(a)]
        after.credit(asset, units: -amount)
        try checkWithdrawal(account: a, after: after, asset: asset, amount: amount, poolKeepsIt: poolKeepsIt)
        accounts[Int(a)] = after
    }

    /// Checks the withdrawal rule for account `a` holding `after` once the amount is taken out: the asset's balance stays
    /// ≥ 0, and, unless `poolKeepsIt`, the account's pool (its group's, if it has one) keeps
    /// **margin balance − unrealised profit ≥ max(IM, fraction × gross notional)** (``EngineSettings``).
    func checkWithdrawal(account a: Int32, after: Account, asset: AssetID, amount: Int128, poolKeepsIt: Bool = false) throws(EventRejection) {
        let decimals = catalog[asset: asset].decimals
        let value = FixedPoint(units: amount, scale: decimals).description
        guard after.balance(asset) >= 0 else {
            let balance = FixedPoint(units: after.balance(asset) + amount, scale: decimals)
            throw EventRejection(.insufficientMargin, field: "amount", value: value,
                                 message: "amount \(value) exceeds the \(catalog[asset: asset].symbol) balance \(balance)")
        }
        guard !poolKeepsIt else { return }
        try checkWithdrawalCover(poolAccount(ofAccount: a, replacedBy: after), field: "amount", value: value, account: after.id,
                                 leaving: "after it the pool")
    }

    /// Checks that `pool` keeps margin balance − unrealised profit ≥ max(IM, fraction × gross notional) once collateral
    /// leaves it (a withdrawal, a transfer out, a member leaving its group); `leaving` names the pool in the message.
    func checkWithdrawalCover(_ pool: Account, field: String, value: String, account: String, leaving: String) throws(EventRejection) {
        let cover: WithdrawalCover
        do throws(MarginError) {
            cover = try WithdrawalCover(pool, context: context, settings: settings)
        } catch {
            throw Self.rejection(error, field: "account", account: account)
        }
        guard cover.available >= cover.required else {
            let money = { (units: Int128) in FixedPoint(units: units, scale: context.valuationDecimals).description }
            throw EventRejection(.insufficientMargin, field: field, value: value,
                                 message: "\(leaving) would have \(money(cover.available)) \(catalog.valuation.symbol) to cover a withdrawal requirement of \(money(cover.required)) (max of initial margin and \(settings.withdrawalNotionalFraction) of notional)")
        }
    }
}

/// What a pool may withdraw against: its margin balance less its unrealised profit (if excluded), and what it must
/// keep: max(initial margin, fraction × gross notional), both as money in the valuation currency.
struct WithdrawalCover {
    /// Margin balance less unrealised profit (rounded down).
    var available: Int128
    /// max(IM, fraction × gross notional) (rounded up).
    var required: Int128

    /// The cover of `account`'s cross pool under its model.
    init(_ account: Account, context: RiskContext, settings: EngineSettings) throws(MarginError) {
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        let money = try AccountMargin.pool(account, context: context, workspace: &workspace).money(decimals: context.valuationDecimals)
        var profit = 0.0
        var notional = 0.0
        for position in account.positions where !position.mode.isIsolated {
            let risk = context.instruments[position.instrument.index]
            let price = context.indexPrices[risk.settle.index]
            let value = try PositionValue(position, in: context)
            profit += max(0, value.unrealisedPnL) * price
            notional += abs(value.contracts) * risk.notionalPerContract * price
        }
        let fraction = settings.withdrawalNotionalFraction.doubleValue
        guard let unrealised = FixedPoint(settings.excludeUnrealisedProfit ? profit : 0, scale: context.valuationDecimals, rounding: .up),
              let floor = FixedPoint(fraction * notional, scale: context.valuationDecimals, rounding: .up)
        else { throw .outOfRange(figure: "withdrawal requirement") }
        available = money.marginBalance - unrealised.units
        required = max(money.initial, floor.units)
    }
}
