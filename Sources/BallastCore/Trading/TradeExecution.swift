/// Applies a fill to an account exactly (a pure function: the input account is not changed).
///
/// Derivatives: an increase adds the fill's value to the cost basis (product form size·m·price, harmonic form
/// size·m/price rounded half-even at 10^-18). A reduction of c contracts removes the share cost·c/size (rounded toward
/// zero) and realises **PnL = c·m·price − share** (product) or **share − c·m/price** (harmonic). A partial close
/// credits the PnL rounded toward zero to ledger units and keeps the remainder in the remaining position's cost basis,
/// so equity is conserved exactly and a trade followed by its reverse at the same price restores every figure (a
/// harmonic basis rounded at 10^-18 cannot turn a zero PnL into a unit of loss); a full close credits it rounded down
/// (after forgiving a harmonic basis' rounding, ``harmonicBasisRounding``) and leaves the remainder to the venue (the
/// engine's residue). A trade that flips the position closes it and opens
/// the rest at the fill price. Isolated positions receive the increase in their initial margin from the cross balance
/// (rounded up) and release margin in proportion when reduced (rounded down).
///
/// Spot pairs exchange balances: the buyer receives size·m of the base (rounded down to its ledger scale) and pays
/// size·m·price of the quote (rounded up); the seller the reverse.
public enum TradeExecution {
    /// The account after the trade, and what the trade did.
    /// - Throws: ``TradeError`` for a zero size, a non-positive price, a negative fee, an overflow, or a balance or
    ///   isolated margin beyond ``LedgerRange`` (see ``plan(_:account:context:)``).
    public static func apply(_ trade: Trade, to account: Account, context: RiskContext) throws(TradeError) -> (Account, TradeEffect) {
        var copy = account
        let effect = try execute(trade, on: &copy, context: context)
        return (copy, effect)
    }

    /// Applies a trade in place. Everything is computed before the account changes, so when this throws the account is
    /// exactly as it was.
    /// - Throws: ``TradeError`` for a zero size, a non-positive price, a negative fee, an overflow, or a balance or
    ///   isolated margin beyond ``LedgerRange`` (see ``plan(_:account:context:)``).
    public static func execute(_ trade: Trade, on account: inout Account, context: RiskContext) throws(TradeError) -> TradeEffect {
        let symbol = context.catalog[instrument: trade.instrument].symbol
        guard trade.price.units > 0 else { throw .nonPositivePrice(instrument: symbol, price: trade.price.description) }
        let plan = try plan(trade, account: account, context: context)
        plan.commit(to: &account)
        return plan.effect
    }

    /// What `trade` would do to `account`, computed without changing it: validate several trades (both sides of a
    /// fill) before committing any.
    /// - Throws: ``TradeError`` for a zero size, a negative fee, an overflow (the price is not checked: see
    ///   ``execute(_:on:context:)``), a leg or a margin mode the instrument or the account's position does not take
    ///   (an option or spot pair is never isolated), a balance or isolated margin beyond ``LedgerRange``.
    public static func plan(_ trade: Trade, account: Account, context: RiskContext) throws(TradeError) -> TradePlan {
        let instrument = context.catalog[instrument: trade.instrument]
        let symbol = instrument.symbol
        guard trade.size != 0 else { throw .zeroSize(instrument: symbol) }
        guard trade.fee >= 0 else { throw .negativeFee(instrument: symbol) }
        guard !trade.side.isLeg || instrument.hasHedgeMode else {
            throw .positionSide(instrument: symbol, reason: "names the \(trade.side) leg, but only futures and perpetuals have hedge mode")
        }
        guard trade.isolated != true || instrument.hasHedgeMode else {
            throw .marginMode(instrument: symbol, reason: "is isolated, but isolated margin applies to futures and perpetuals")
        }
        if case .spot = instrument.kind {
            let (base, quote) = try spotAmounts(trade, instrument: instrument, catalog: context.catalog)
            return try withinLedgerRange(
                TradePlan(position: nil, credit: (instrument.settle, try checked(quote.subtractingReportingOverflow(trade.fee), symbol)),
                          baseCredit: (instrument.underlying, base),
                          effect: TradeEffect(realisedPnL: 0, roundingResidue: 0, isolatedTransfer: 0, reducesOnly: false)),
                account: account, catalog: context.catalog, symbol: symbol)
        }
        let settle = instrument.settle
        let ledgerScale = PowersOfTen.int128(Instrument.costDecimals - context.catalog[asset: settle].decimals)
        let held = account.position(trade.instrument, side: trade.side)
        // A held position already fits the instrument's mode; only a new one can mix one-way and legs.
        guard held != nil || account.admits(trade.side, of: trade.instrument) else {
            throw .positionSide(instrument: symbol, reason: trade.side.isLeg
                ? "is for the \(trade.side) leg, but the account holds \(symbol) one way (no position_side)"
                : "needs a position side (long or short): the account holds \(symbol) in hedge-mode legs")
        }
        // A position keeps the mode it opened in, and hedge-mode legs share one (venues keep one margin type per symbol).
        if let isolated = trade.isolated, let other = held ?? account.positions.first(where: { $0.instrument == trade.instrument }),
           other.mode.isIsolated != isolated {
            throw .marginMode(instrument: symbol, reason: "is \(MarginMode.name(isolated: isolated)), but the account holds \(other.side.label(symbol)) in \(other.mode.name) margin (a position keeps the mode it opened in, and hedge-mode legs share theirs)")
        }
        // Only a position that opens looks up the account's leverage and mode (a held one keeps its own).
        let old = held ?? Position(instrument: trade.instrument, size: 0, cost: 0, leverage: account.leverageToOpen(trade.instrument),
                                   mode: (trade.isolated ?? account.isolatedToOpen(trade.instrument)) ? .isolated(margin: 0) : .cross, side: trade.side)
        let (newSize, overflow) = old.size.addingReportingOverflow(trade.size)
        guard !overflow else { throw .overflow(instrument: symbol) }
        guard trade.side.allows(size: newSize) else {
            throw .positionSide(instrument: symbol, reason: "would take the \(trade.side) leg past zero (a hedge-mode leg closes, it never flips)")
        }

        var position = old
        position.size = newSize
        if let leverage = trade.leverage { position.leverage = leverage }
        var realised: Int128 = 0
        var residue: Int128 = 0
        let reducing = old.size != 0 && (old.size > 0) != (trade.size > 0)
        // Whether the trade closes the whole old position (to zero, or through it: a flip).
        var closesOld = false
        let reducesOnly = reducing && trade.size.magnitude <= old.size.magnitude

        if reducing {
            let closed: Int64 = trade.size.magnitude >= old.size.magnitude ? old.size : -trade.size
            let share = ExactArithmetic.share(old.cost, times: closed, over: old.size, rounding: .towardZero)
            let exit = try cost(of: closed, at: trade.price, instrument: instrument)
            let pnl = try checked(instrument.costForm == .product ? exit.subtractingReportingOverflow(share) : share.subtractingReportingOverflow(exit),
                                  symbol)
            // A close realises its PnL rounded down and leaves the rest to the residue, after forgiving what a harmonic
            // basis can be off by (``harmonicBasisRounding``). A partial close keeps the rest in the remaining
            // position's basis, to be realised with it, so it rounds toward zero. Either way a PnL that is 0 but for
            // the basis' rounding at 10^-18 realises 0, not a whole unit of loss.
            let full = closed == old.size
            closesOld = full
            let forgiven = full && instrument.costForm == .harmonic ? min(harmonicBasisRounding, ledgerScale - 1) : 0
            realised = IntegerDivision.divide(try checked(pnl.addingReportingOverflow(forgiven), symbol), by: ledgerScale,
                                              rounding: full ? .down : .towardZero)
            let remainder = pnl - realised * ledgerScale
            var remaining = old.cost - share
            if full {
                residue = remainder
                remaining = 0
            } else {
                remaining += instrument.costForm == .product ? -remainder : remainder
            }
            position.cost = remaining
            if newSize != 0 && (newSize > 0) != (old.size > 0) {
                // A flip opens the rest at the fill price. Its cost is the whole fill's value plus the closed part's
                // (≈ cost(opened)), so that the account's ledger moves by exactly the fill's value, as the
                // counterparty's does, even when the value is rounded at 10^-18.
                position.cost = try checked(try cost(of: trade.size, at: trade.price, instrument: instrument).addingReportingOverflow(exit), symbol)
            }
        } else {
            position.cost = try checked(old.cost.addingReportingOverflow(try cost(of: trade.size, at: trade.price, instrument: instrument)), symbol)
        }
        if newSize == 0 { position.cost = 0 }

        // Every sum of two amounts is checked: a PnL at 10^-18 (an 18-decimal asset) or an isolated margin can be near
        // the range of Int128, and a trade that leaves it throws ``TradeError/overflow(instrument:)`` instead of trapping.
        var credit = try checked(realised.subtractingReportingOverflow(trade.fee), symbol)
        var transfer: Int128 = 0
        var shortfall: Int128 = 0
        if case .isolated(let margin) = old.mode {
            transfer = try isolatedTransfer(old: old, new: position, margin: margin, context: context, symbol: symbol)
            position.mode = .isolated(margin: try checked(margin.addingReportingOverflow(transfer), symbol))
            credit = try checked(credit.subtractingReportingOverflow(transfer), symbol)
            if reducing {
                shortfall = try isolatedShortfall(realised: realised, released: closesOld ? margin : -transfer, symbol: symbol)
                credit = try checked(credit.addingReportingOverflow(shortfall), symbol)
            }
        }
        if position.size == 0 {
            if case .isolated(let margin) = position.mode, margin != 0 {
                credit = try checked(credit.addingReportingOverflow(margin), symbol)
                transfer = try checked(transfer.subtractingReportingOverflow(margin), symbol)
            }
            // A future's or perpetual's leverage and margin mode stay with the account for the next position
            // (``Account/instrumentSettings``); an option has none to keep.
            let keeps = instrument.hasHedgeMode
            position = Position(instrument: position.instrument, size: 0, cost: 0, leverage: keeps ? position.leverage : nil,
                                mode: keeps && position.mode.isIsolated ? .isolated(margin: 0) : .cross, side: position.side)
        }
        return try withinLedgerRange(
            TradePlan(position: position, credit: (settle, credit), baseCredit: nil,
                      effect: TradeEffect(realisedPnL: realised, roundingResidue: residue, isolatedTransfer: transfer, reducesOnly: reducesOnly,
                                          isolatedShortfall: shortfall)),
            account: account, catalog: context.catalog, symbol: symbol)
    }

    /// The part of an isolated position's realised loss beyond the margin released with the closed part, which the
    /// account does not pay: an isolated position's loss is bounded by its margin (Binance, Bybit and OKX liquidate it
    /// at its bankruptcy price at worst, and the insurance fund takes what a worse fill loses). **shortfall = max(0,
    /// −(realised PnL + released margin))**, the released margin being the whole old margin when the position closes or
    /// flips (a flip funds the new side's margin apart) and the part a reduction releases otherwise (margin − margin·new/old,
    /// −transfer). It is judged at the trade's price: a close at a price past the position's bankruptcy price has one
    /// (within a unit of that price, by the roundings of the two terms), and so does any close of a pool that funding
    /// left with a negative margin. The fee is the account's either way.
    private static func isolatedShortfall(realised: Int128, released: Int128, symbol: String) throws(TradeError) -> Int128 {
        let net = try checked(realised.addingReportingOverflow(released), symbol)
        return max(0, try checked((0 as Int128).subtractingReportingOverflow(net), symbol))
    }

    /// `plan` when it keeps `account`'s balances and its position's isolated margin within ``LedgerRange``; every path
    /// that plans a trade (a fill, a settlement, a pre-trade check, a what-if) meets the same range. Only decimals and
    /// the balances are read unless the check fails.
    /// - Throws: ``TradeError/ledgerRange(instrument:asset:isolated:)`` otherwise.
    @inline(__always)
    private static func withinLedgerRange(_ plan: TradePlan, account: Account, catalog: Catalog, symbol: String) throws(TradeError) -> TradePlan {
        if let base = plan.baseCredit, base.units != 0,
           LedgerRange.adding(base.units, to: account.balance(base.asset), bound: LedgerRange.bound(decimals: catalog.assets[base.asset.index].decimals)) == nil {
            throw .ledgerRange(instrument: symbol, asset: catalog.assets[base.asset.index].symbol, isolated: false)
        }
        let settle = plan.credit.asset.index
        let bound = LedgerRange.bound(decimals: catalog.assets[settle].decimals)
        if let position = plan.position, case .isolated(let margin) = position.mode, margin.magnitude > bound.magnitude {
            throw .ledgerRange(instrument: symbol, asset: catalog.assets[settle].symbol, isolated: true)
        }
        if plan.credit.units != 0, LedgerRange.adding(plan.credit.units, to: account.balance(plan.credit.asset), bound: bound) == nil {
            throw .ledgerRange(instrument: symbol, asset: catalog.assets[settle].symbol, isolated: false)
        }
        return plan
    }

    /// The value of an arithmetic result that reported no overflow.
    /// - Throws: ``TradeError/overflow(instrument:)`` when it did (absurd sizes or prices).
    private static func checked(_ result: (partialValue: Int128, overflow: Bool), _ symbol: String) throws(TradeError) -> Int128 {
        guard !result.overflow else { throw .overflow(instrument: symbol) }
        return result.partialValue
    }

    /// What a harmonic cost basis can be off by, at 10^-18 of the settlement asset: each fill's value m/P is rounded
    /// half-even and each partial close's share toward zero, so a basis built in n pieces is within about n units of
    /// the exact sum. A full close adds this much (10^-12 of the asset, less than one unit of any ledger with fewer than
    /// 12 decimals) to its PnL before rounding it down, so closing at the entry price after a flip, an increase or a
    /// partial close realises 0 instead of one unit of loss; a credit can then exceed the exact PnL by at most 10^-12.
    public static let harmonicBasisRounding: Int128 = 1_000_000

    /// The cost-basis value of `size` contracts at `price`, at 10^-18 of the settlement asset: size·m·price (product form) or
    /// size·m/price (harmonic form), rounded half-even where the exact value has more decimals.
    public static func cost(of size: Int64, at price: FixedPoint, instrument: Instrument) throws(TradeError) -> Int128 {
        let contracts = FixedPoint(units: Int128(size), scale: instrument.sizeDecimals)
        guard let units = contracts.multiplied(by: instrument.contractSize, rounding: .halfEven) else { throw .overflow(instrument: instrument.symbol) }
        let result: FixedPoint?
        switch instrument.costForm {
        case .product: result = units.multiplied(by: price, rounding: .halfEven)?.rescaled(to: Instrument.costDecimals, rounding: .halfEven)
        case .harmonic: result = ExactArithmetic.quotient(units, price, scale: Instrument.costDecimals, rounding: .halfEven)
        }
        guard let result else { throw .overflow(instrument: instrument.symbol) }
        return result.units
    }

    /// The margin to move into an isolated position (positive) or release from it (negative), in ledger units (IMs
    /// rounded up): a reduction keeps margin·new/old (rounded up, so the release credited to the cross pool rounds
    /// down); an opening brings in the position's IM, and a flip brings the margin to it; an increase follows
    /// ``MarginConventions/isolatedIncrease``: the added size's IM, IM(new) − IM(old) (``IsolatedIncrease/addedInitial``),
    /// or up to the new IM, IM(new) − margin (``IsolatedIncrease/topUp``), never negative. A close is released by the
    /// caller. `symbol` names the instrument in an error.
    private static func isolatedTransfer(old: Position, new: Position, margin: Int128, context: RiskContext, symbol: String) throws(TradeError) -> Int128 {
        if new.size == 0 { return 0 }
        let sameSide = old.size == 0 || (new.size > 0) == (old.size > 0)
        if sameSide && new.size.magnitude < old.size.magnitude {
            return try checked(ExactArithmetic.share(margin, times: new.size, over: old.size, rounding: .up).subtractingReportingOverflow(margin), symbol)
        }
        let required = try initialUnits(new, context: context)
        guard sameSide else { return try checked(required.subtractingReportingOverflow(margin), symbol) }
        switch context.parameters.conventions.isolatedIncrease {
        case .addedInitial where old.size != 0:
            return max(0, try checked(required.subtractingReportingOverflow(try initialUnits(old, context: context)), symbol))
        case .addedInitial, .topUp:
            return max(0, try checked(required.subtractingReportingOverflow(margin), symbol))
        }
    }

    /// A position's initial margin in ledger units of its settlement asset, rounded up.
    private static func initialUnits(_ position: Position, context: RiskContext) throws(TradeError) -> Int128 {
        let instrument = context.catalog[instrument: position.instrument]
        let figures: PositionFigures
        do {
            figures = try PositionFigures(position, in: context)
        } catch {
            throw .margin(error)
        }
        guard let required = FixedPoint(figures.initial, scale: context.catalog[asset: instrument.settle].decimals, rounding: .up) else {
            throw .overflow(instrument: instrument.symbol)
        }
        return required.units
    }

    /// The base and quote amounts a spot trade moves for its account, in ledger units: the buyer receives size·m of
    /// the base rounded down and pays size·m·price of the quote rounded up; the seller the reverse (gives up the base
    /// rounded up, receives the quote rounded down). A counterparty's amounts differ by at most one unit each: the
    /// rounding stays with the venue.
    /// - Throws: ``TradeError/overflow(instrument:)`` when an amount does not fit.
    public static func spotAmounts(_ trade: Trade, instrument: Instrument, catalog: Catalog) throws(TradeError) -> (base: Int128, quote: Int128) {
        guard let units = FixedPoint(units: Int128(trade.size), scale: instrument.sizeDecimals).multiplied(by: instrument.contractSize, rounding: .down),
              let baseAmount = units.rescaled(to: catalog[asset: instrument.underlying].decimals, rounding: .down),
              let quoteAmount = units.multiplied(by: trade.price, rounding: .up)?.rescaled(to: catalog[asset: instrument.settle].decimals, rounding: .up)
        else { throw .overflow(instrument: instrument.symbol) }
        return (baseAmount.units, -quoteAmount.units)
    }
}
