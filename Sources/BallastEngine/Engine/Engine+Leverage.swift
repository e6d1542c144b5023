import BallastCore

extension Engine {
    /// Applies a leverage change (``LeverageChange``) if every pool whose initial margin it raises still covers it:
    /// the cross pool when a cross position is held in the instrument, and each isolated position held there,
    /// **margin balance ≥ initial margin** after the change. A change that does not raise a pool's IM passes (raising
    /// the leverage lowers it, except where a fee to close at the bankruptcy price grows with it); with no position
    /// held, nothing is margined yet and it passes too. A group member's cross positions are margined in the group's
    /// pool, which takes no chosen leverage (``Account/mergingCross(of:)``), so there the change only matters once the
    /// account leaves the group. Binance refuses a change its margin does not cover the same way, and refuses any
    /// reduction of an isolated position's leverage outright; here an isolated position may be re-levered down when its
    /// margin covers the new IM.
    mutating func changeLeverage(_ change: LeverageChange, time: Timestamp, sequence: UInt64) throws(EventRejection) {
        let a = try settingTarget(account: change.account, instrument: change.instrument, time: time, lacking: "it has no leverage")
        guard change.leverage.isFinite && change.leverage >= 1 else {
            let written = Self.written(change.leverage)
            throw EventRejection(.invalidField, field: "leverage", value: written, message: "leverage must be a number ≥ 1, not \(written)")
        }
        let before = accounts[Int(a)]
        var after = before
        after.setLeverage(change.leverage, of: change.instrument)
        try checkLeverageCover(account: a, before: before, after: after, change: change)
        accounts[Int(a)] = after
        reevaluate(unit(ofAccount: a), sequence: sequence)
    }

    /// Rejects the change if a pool it touches needs more initial margin afterwards than its margin balance.
    private func checkLeverageCover(account a: Int32, before: Account, after: Account, change: LeverageChange) throws(EventRejection) {
        let shortfall: (pool: String, money: MoneyFigures)?
        do throws(MarginError) {
            shortfall = try leverageShortfall(account: a, before: before, after: after, instrument: change.instrument)
        } catch {
            throw Self.rejection(error, field: "account", account: after.id)
        }
        guard let shortfall else { return }
        let leverage = Self.written(change.leverage)
        throw EventRejection(.insufficientMargin, field: "leverage", value: leverage,
                             message: "at \(leverage)x \(shortfall.pool) would need initial margin \(shortfall.money.fixed(shortfall.money.initial)) \(catalog.valuation.symbol) with a margin balance of \(shortfall.money.fixed(shortfall.money.marginBalance)) \(catalog.valuation.symbol)")
    }

    /// The first pool whose initial margin the change raises above its margin balance, if any.
    private func leverageShortfall(account a: Int32, before: Account, after: Account,
                                   instrument: InstrumentID) throws(MarginError) -> (pool: String, money: MoneyFigures)? {
        let symbol = catalog[instrument: instrument].symbol
        func uncovered(_ old: MoneyFigures, _ new: MoneyFigures) -> MoneyFigures? {
            new.initial > old.initial && new.marginBalance < new.initial ? new : nil
        }
        if after.positions.contains(where: { $0.instrument == instrument && !$0.mode.isIsolated }),
           let money = uncovered(try poolMoney(poolAccount(ofAccount: a, replacedBy: before)), try poolMoney(poolAccount(ofAccount: a, replacedBy: after))) {
            return ("the cross pool", money)
        }
        for slot in after.positions.indices where after.positions[slot].instrument == instrument && after.positions[slot].mode.isIsolated {
            let side = after.positions[slot].side
            if let money = uncovered(try isolatedPoolMoney(before, slot: slot), try isolatedPoolMoney(after, slot: slot)) {
                return ("the isolated \(side.label(symbol)) \(side.isLeg ? "leg" : "position")", money)
            }
        }
        return nil
    }
}
