/// Applies a fill to an account exactly (a pure function: the input account is not changed).
///
/// Derivatives: an increase adds the fill's value to the cost basis (product form size·m·price, harmonic form
/// size·m/price rounded half-even at 10^-18). A reduction of c contracts removes the share cost·c/size (rounded toward
/// zero) and realises **PnL = c·m·price − share** (product) or **share − c·m/price** (harmonic); the PnL is credited
/// rounded down to ledger units and the remainder stays in the remaining position's cost basis, so equity is
/// conserved exactly and a trade followed by its reverse at the same price restores every figure. A trade that
/// flips the position closes it and opens the rest at the fill price. Isolated positions receive the increase in
/// their initial margin from the cross balance (rounded up) and release margin in proportion when reduced
/// (rounded down).
///
/// Spot pairs exchange balances: the buyer receives size·m of the base (rounded down to its ledger scale) and pays
/// size·m·price of the quote (rounded up); the seller the reverse.
public enum TradeExecution {
    /// The account after the trade, and what the trade did.
    /// - Throws: ``TradeError`` for a zero size, a non-positive price, a negative fee or an overflow.
    public static func apply(_ trade: Trade, to account: Account, context: RiskContext) throws(TradeError) -> (Account, TradeEffect) {
        let instrument = context.catalog[instrument: trade.instrument]
        let symbol = instrument.symbol
        guard trade.size != 0 else { throw .zeroSize(instrument: symbol) }
        guard trade.price.units > 0 else { throw .nonPositivePrice(instrument: symbol, price: trade.price.description) }
        guard trade.fee >= 0 else { throw .negativeFee(instrument: symbol) }
        var account = account
        if case .spot = instrument.kind {
            try applySpot(trade, instrument: instrument, to: &account, catalog: context.catalog)
            return (account, TradeEffect(realisedPnL: 0, roundingResidue: 0, isolatedTransfer: 0, reducesOnly: false))
        }
        let settle = instrument.settle
        let ledgerScale = PowersOfTen.int128(Instrument.costDecimals - context.catalog[asset: settle].decimals)
        let old = account.position(trade.instrument) ?? Position(instrument: trade.instrument, size: 0, cost: 0,
                                                                  mode: trade.isolated ? .isolated(margin: 0) : .cross)
        let (newSize, overflow) = old.size.addingReportingOverflow(trade.size)
        guard !overflow else { throw .overflow(instrument: symbol) }

        var position = old
        position.size = newSize
        if let leverage = trade.leverage { position.leverage = leverage }
        var realised: Int128 = 0
        var residue: Int128 = 0
        let reducing = old.size != 0 && (old.size > 0) != (trade.size > 0)
        let reducesOnly = reducing && trade.size.magnitude <= old.size.magnitude

        if reducing {
            let closed: Int64 = trade.size.magnitude >= old.size.magnitude ? old.size : -trade.size
            let share = ExactArithmetic.share(old.cost, times: closed, over: old.size, rounding: .towardZero)
            let exit = try cost(of: closed, at: trade.price, instrument: instrument)
            let pnl = instrument.costForm == .product ? exit - share : share - exit
            realised = IntegerDivision.divide(pnl, by: ledgerScale, rounding: .down)
            let remainder = pnl - realised * ledgerScale
            var remaining = old.cost - share
            if closed == old.size {
                residue = remainder
                remaining = 0
            } else {
                remaining += instrument.costForm == .product ? -remainder : remainder
            }
            position.cost = remaining
            let opened = newSize != 0 && (newSize > 0) != (old.size > 0) ? newSize : 0
            if opened != 0 { position.cost = try Self.cost(of: opened, at: trade.price, instrument: instrument) }
        } else {
            position.cost = old.cost + (try cost(of: trade.size, at: trade.price, instrument: instrument))
        }
        if newSize == 0 { position.cost = 0 }

        account.credit(settle, units: realised - trade.fee)
        var transfer: Int128 = 0
        if case .isolated(let margin) = old.mode {
            transfer = try isolatedTransfer(old: old, new: position, margin: margin, account: account, context: context)
            position.mode = .isolated(margin: margin + transfer)
            account.credit(settle, units: -transfer)
        }
        if position.size == 0 {
            if case .isolated(let margin) = position.mode, margin != 0 {
                account.credit(settle, units: margin)
                transfer -= margin
            }
            position = Position(instrument: position.instrument, size: 0, cost: 0)
        }
        account.setPosition(position)
        return (account, TradeEffect(realisedPnL: realised, roundingResidue: residue, isolatedTransfer: transfer, reducesOnly: reducesOnly))
    }

    /// The cost-basis value of `size` contracts at `price`, at 10^-18 of the settlement asset: size·m·price (product form) or
    /// size·m/price (harmonic form), rounded half-even where the exact value has more decimals.
    public static func cost(of size: Int64, at price: FixedPoint, instrument: Instrument) throws(TradeError) -> Int128 {
        let contracts = FixedPoint(units: Int128(size), scale: instrument.sizeDecimals)
        let units = contracts * instrument.contractSize
        let result: FixedPoint?
        switch instrument.costForm {
        case .product: result = (units * price).rescaled(to: Instrument.costDecimals, rounding: .halfEven)
        case .harmonic: result = ExactArithmetic.quotient(units, price, scale: Instrument.costDecimals, rounding: .halfEven)
        }
        guard let result else { throw .overflow(instrument: instrument.symbol) }
        return result.units
    }

    /// The margin to move into an isolated position (positive) or release from it (negative), in ledger units:
    /// a reduction keeps margin·new/old (rounded up, so the release credited to the cross pool rounds down); an
    /// increase, an opening or a flip brings the margin to the new position's initial margin (rounded up), never
    /// taking margin out of a position that grows. A close is released by the caller.
    private static func isolatedTransfer(old: Position, new: Position, margin: Int128, account: Account, context: RiskContext) throws(TradeError) -> Int128 {
        if new.size == 0 { return 0 }
        let sameSide = old.size == 0 || (new.size > 0) == (old.size > 0)
        if sameSide && new.size.magnitude < old.size.magnitude {
            return ExactArithmetic.share(margin, times: new.size, over: old.size, rounding: .up) - margin
        }
        let instrument = context.catalog[instrument: new.instrument]
        let figures: PositionFigures
        do {
            figures = try PositionFigures(new, in: context)
        } catch {
            throw .margin(error)
        }
        guard let required = FixedPoint(figures.initial, scale: context.catalog[asset: instrument.settle].decimals, rounding: .up) else {
            throw .overflow(instrument: instrument.symbol)
        }
        return sameSide ? max(0, required.units - margin) : required.units - margin
    }

    private static func applySpot(_ trade: Trade, instrument: Instrument, to account: inout Account, catalog: Catalog) throws(TradeError) {
        let base = instrument.underlying
        let quote = instrument.settle
        let units = FixedPoint(units: Int128(trade.size), scale: instrument.sizeDecimals) * instrument.contractSize
        guard let baseAmount = units.rescaled(to: catalog[asset: base].decimals, rounding: .down),
              let quoteAmount = (units * trade.price).rescaled(to: catalog[asset: quote].decimals, rounding: .up)
        else { throw .overflow(instrument: instrument.symbol) }
        account.credit(base, units: baseAmount.units)
        account.credit(quote, units: -quoteAmount.units - trade.fee)
    }
}
