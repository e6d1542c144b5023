/// Whether a trade may be accepted: after the trade the cross pool's initial margin must be covered by its margin
/// balance (haircut equity, including the trade's immediate PnL against the mark and its fee); a trade that only
/// reduces an existing position always passes (Binance, Deribit: reduce-only orders are accepted in any state).
/// Under ``OpenGainCredit/ignored`` the immediate gain of the contracts a trade opens at a price better than the mark
/// is taken off the margin balance first (Binance: cost = initial margin + open loss).
///
/// With open orders, their ``OpenOrderMargin`` is held back on both sides: the pool passes when IM + order margin after
/// the trade is covered (Binance: available balance = margin balance − IM − open order margin).
///
/// Equivalently, the trade's **cost** = (IM after − IM before) − (margin balance after − margin balance before) + the
/// gain not counted + (order margin after − order margin before) must be at most the available balance before
/// (margin balance − IM − order margin).
public struct PreTradeCheck: Sendable, Hashable {
    /// Whether the trade passes.
    public var passes: Bool
    /// Whether it passes because it only reduces a position.
    public var reducesOnly: Bool
    /// The cross pool before the trade.
    public var before: MoneyFigures
    /// The cross pool after the trade.
    public var after: MoneyFigures
    /// A sentence saying why it passes or fails.
    public var reason: String
    /// The immediate gain against the mark that the check did not count (valuation units at `after.decimals`, rounded
    /// up; 0 unless the convention is ``OpenGainCredit/ignored``).
    public var uncountedGain: Int128 = 0
    /// The margin the account's open orders hold before the trade (valuation units at `after.decimals`; 0 without orders).
    public var ordersBefore: Int128 = 0
    /// The margin the account's open orders hold after it.
    public var ordersAfter: Int128 = 0

    /// What the trade takes from the available balance: ΔIM − Δmargin balance + ``uncountedGain`` + Δorder margin
    /// (valuation units).
    public var cost: Int128 {
        (after.initial - before.initial) - (after.marginBalance - before.marginBalance) + uncountedGain + (ordersAfter - ordersBefore)
    }

    /// Applies `trade` hypothetically to `account` and checks it, with the account's resting `orders` holding their
    /// margin before and after it. For a member of a margin group, `sharing` holds the other members: the trade goes to
    /// the member's own account (its legs, its sizes), and the check and the orders' margin are the group pool's.
    /// - Returns: the check and the account after the trade.
    /// - Throws: ``TradeError`` if the trade cannot be applied or margined.
    /// `ordersBefore`, when given, is the orders' margin on the pool already computed (a search asks many times).
    public static func evaluate(_ trade: Trade, account: Account, orders: [OpenOrder] = [], ordersBefore: Int128? = nil, context: RiskContext,
                                sharing: SharedPool? = nil,
                                workspace: inout MarginWorkspace) throws(TradeError) -> (PreTradeCheck, Account, TradeEffect) {
        let (after, effect) = try TradeExecution.apply(trade, to: account, context: context)
        var opening = trade
        opening.isolated = trade.isolated ?? account.isolatedToOpen(trade.instrument)
        let gain = openGain(opening, holding: account.position(trade.instrument, side: trade.side), context: context)
        let poolBefore = sharing?.pool(with: account) ?? account
        let poolAfter = sharing?.pool(with: after) ?? after
        var orderMargin: (before: Int128, after: Int128) = (0, 0)
        if !orders.isEmpty {
            let before: Int128
            if let ordersBefore {
                before = ordersBefore
            } else {
                before = try OpenOrderMargin(orders: sharing?.ordersOnMemberTerms(orders, of: account) ?? orders, account: poolBefore, context: context,
                                             workspace: &workspace).total
            }
            orderMargin = (before, try OpenOrderMargin(orders: sharing?.ordersOnMemberTerms(orders, of: after) ?? orders, account: poolAfter,
                                                       context: context, workspace: &workspace).total)
        }
        let check = try compare(before: poolBefore, after: poolAfter, reducesOnly: effect.reducesOnly, openGain: gain, orderMargin: orderMargin,
                                context: context, workspace: &workspace)
        return (check, after, effect)
    }

    /// The immediate gain against the mark of the contracts `trade` opens on `held` (the account's position in the
    /// instrument, if any), in the valuation currency: product forms c·m·(mark − price), inverse c·m·(1/price − 1/mark),
    /// with c the signed contracts opened (all of an increase, the rest of a flip), at the settlement asset's index
    /// price. 0 for a loss, a reduction, spot, and an isolated trade or position (its gain stays in the isolated pool,
    /// which the check does not use; a trade without a mode counts as cross here, so resolve it first with
    /// ``Account/isolatedToOpen(_:)``). A product form whose mark is an exact decimal gets the difference exactly
    /// (cost at the mark − cost at the price, at 10⁻¹⁸), so a published gain such as 6.54 is not off by float noise.
    ///
    /// The gain is taken at full value, while the margin balance counted it after the settlement asset's haircut (or
    /// a long option's counted weight): where those are below 1 the check is that much more conservative.
    public static func openGain(_ trade: Trade, holding held: Position?, context: RiskContext) -> Double {
        if trade.isolated == true || held?.mode.isIsolated == true { return 0 }
        return max(0, openValue(trade, holding: held, context: context))
    }

    /// The signed value against the mark of the contracts `trade` opens on `held`, as in ``openGain(_:holding:context:)``
    /// but for any margin mode and with a loss negative (0 for a reduction, spot, or a figure that is not finite).
    static func openValue(_ trade: Trade, holding held: Position?, context: RiskContext) -> Double {
        let heldSize = held?.size ?? 0
        let reducing = heldSize != 0 && (heldSize > 0) != (trade.size > 0)
        let (total, overflow) = heldSize.addingReportingOverflow(trade.size)
        let opened = reducing ? (trade.size.magnitude > heldSize.magnitude && !overflow ? total : 0) : trade.size
        guard opened != 0, trade.instrument.index < context.instruments.count else { return 0 }
        let risk = context.instruments[trade.instrument.index]
        let gain: Double
        switch risk.form {
        case .linear, .option:
            if let perUnit = risk.exactValuePerSizeUnit,
               let atPrice = try? TradeExecution.cost(of: opened, at: trade.price, instrument: context.catalog[instrument: trade.instrument]) {
                let (atMark, overflow) = Int128(opened).multipliedReportingOverflow(by: perUnit)
                // 10¹⁸ is exact as a Double, so dividing rounds once: a decimal gain comes out as its nearest Double.
                gain = overflow ? 0 : Double(nearest: atMark &- atPrice) / 1e18
            } else {
                gain = Double(opened) * risk.sizeUnit * risk.multiplier * (risk.mark - trade.price.doubleValue)
            }
        case .inverse:
            gain = Double(opened) * risk.sizeUnit * risk.multiplier * (1 / trade.price.doubleValue - 1 / risk.mark)
        case .spot:
            return 0
        }
        let value = gain * context.indexPrices[risk.settle.index]
        return value.isFinite ? value : 0
    }

    /// Checks a pool before and after a trade: passes when the trade only reduces a position, or when the pool's
    /// initial margin after it is covered by its margin balance (less `openGain`, the trade's ``openGain(_:holding:context:)``,
    /// under ``OpenGainCredit/ignored``) and its open orders' `orderMargin` after the trade. `before` and `after` are the
    /// accounts holding the pool (for a group of accounts margined together, the merged pool).
    /// - Throws: ``TradeError/margin(_:)`` if either pool cannot be margined.
    public static func compare(before account: Account, after: Account, reducesOnly: Bool, openGain: Double,
                               orderMargin: (before: Int128, after: Int128) = (0, 0), context: RiskContext,
                               workspace: inout MarginWorkspace) throws(TradeError) -> PreTradeCheck {
        let beforeSummary: MarginSummary
        let afterSummary: MarginSummary
        do {
            beforeSummary = try MarginSummary(account, context: context, workspace: &workspace)
            afterSummary = try MarginSummary(after, context: context, workspace: &workspace)
        } catch {
            throw .margin(error)
        }
        let cross = afterSummary.cross
        let decimals = cross.decimals
        // A gain not counted comes off the credit side, so it is rounded up.
        let uncounted = context.parameters.conventions.openGain == .ignored
            ? FixedPoint.units(scaled: openGain * PowersOfTen.double(decimals), rounding: .up) ?? 0 : 0
        let balance = cross.marginBalance - uncounted
        let (sum, overflow) = cross.initial.addingReportingOverflow(orderMargin.after)
        let required = overflow ? Int128.max : sum
        let covered = required <= balance
        let note = uncounted > 0 ? " (open gain \(FixedPoint(units: uncounted, scale: decimals)) not counted)" : ""
        let requirement = "initial margin \(cross.fixed(cross.initial))"
            + (orderMargin.after > 0 ? " + open orders \(cross.fixed(orderMargin.after))" : "")
        let reason: String
        if reducesOnly {
            reason = "passes: the trade only reduces the position"
        } else if covered {
            reason = "passes: \(requirement) is covered by margin balance \(cross.fixed(balance))\(note)"
        } else {
            let shortfall = FixedPoint(units: required - balance, scale: decimals)
            reason = "fails: \(requirement) exceeds margin balance \(cross.fixed(balance)) by \(shortfall)\(note)"
        }
        return PreTradeCheck(passes: reducesOnly || covered, reducesOnly: reducesOnly,
                             before: beforeSummary.cross, after: cross, reason: reason, uncountedGain: uncounted,
                             ordersBefore: orderMargin.before, ordersAfter: orderMargin.after)
    }
}
