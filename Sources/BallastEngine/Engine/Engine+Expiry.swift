import BallastCore

extension Engine {
    mutating func fund(_ payment: FundingPayment, sequence: UInt64) throws(EventRejection) {
        try checkInstrument(payment.instrument, field: "instrument")
        let instrument = catalog[instrument: payment.instrument]
        guard case .perpetual = instrument.kind else {
            throw EventRejection(.invalidField, field: "instrument", value: instrument.symbol, message: "\(instrument.symbol) is not a perpetual: no funding")
        }
        guard payment.price.units > 0 else {
            throw EventRejection(.invalidField, field: "price", value: payment.price.description, message: "price must be positive, not \(payment.price)")
        }
        guard payment.rate.magnitude <= FixedPoint(units: 1, scale: 0) else {
            throw EventRejection(.invalidField, field: "rate", value: payment.rate.description, message: "rate \(payment.rate) must be within [-1, 1]")
        }
        // Every holder's credit (negative: it pays), computed before anything changes.
        // Each hedge-mode leg pays or receives on its own size, like a one-way position.
        var credits: [(account: Int32?, side: PositionSide, units: Int128)] = []
        for a in accounts.indices {
            for position in accounts[a].positions(of: payment.instrument) where position.size != 0 {
                credits.append((Int32(a), position.side, try fundingCredit(position.size, payment: payment, instrument: instrument)))
            }
        }
        for position in external.positions(of: payment.instrument) where position.size != 0 {
            credits.append((nil, position.side, try fundingCredit(position.size, payment: payment, instrument: instrument)))
        }
        let settle = instrument.settle
        // Every sum is checked before anything changes (an account's legs are consecutive, so its cross credits add up
        // in `crossSoFar`): a payment that would take a balance, an isolated margin or the insurance fund beyond the
        // ledger's range (``LedgerRange``) refuses the event.
        let bound = LedgerRange.bound(decimals: catalog[asset: settle].decimals)
        let settleSymbol = catalog[asset: settle].symbol
        let overflow = { Self.outOfLedgerRange(field: "rate", shown: payment.rate.description,
                                               figure: "a holder's \(settleSymbol) balance, an isolated margin or the insurance fund at price \(payment.price)",
                                               asset: settleSymbol) }
        // Open interest nets to zero (a fill's missing side is the external account's), so the payments sum to the
        // rounding alone, while partial sums over large holders can pass Int128: the total wraps and is exact at the end.
        var total: Int128 = 0
        var crossSoFar: (account: Int32?, units: Int128)?
        for (account, side, units) in credits {
            total &+= units
            let holder = account.map { accounts[Int($0)] } ?? external
            if let position = holder.position(payment.instrument, side: side), case .isolated(let margin) = position.mode {
                guard LedgerRange.adding(units, to: margin, bound: bound) != nil else { throw overflow() }
            } else {
                let before = crossSoFar.flatMap { $0.account == account ? $0.units : nil } ?? 0
                let credited = before.addingReportingOverflow(units)
                guard !credited.overflow, LedgerRange.adding(credited.partialValue, to: holder.balance(settle), bound: bound) != nil else { throw overflow() }
                crossSoFar = (account, credited.partialValue)
            }
        }
        guard let fund = LedgerRange.adding(0 &- total, to: ledger[settle.index].insuranceFund, bound: bound) else { throw overflow() }
        for (account, side, units) in credits {
            if let account { Self.creditFunding(units, instrument: payment.instrument, side: side, settle: settle, to: &accounts[Int(account)]) }
            else { Self.creditFunding(units, instrument: payment.instrument, side: side, settle: settle, to: &external) }
        }
        // Payers pay rounded up and receivers get rounded down: what is left (≥ 0) is the insurance fund's.
        ledger[settle.index].insuranceFund = fund
        var units = Set<MarginUnit>()
        for (account, _, _) in credits { if let account { units.insert(unit(ofAccount: account)) } }
        for unit in units.sorted() { reevaluate(unit, sequence: sequence) }
    }

    /// The credit of a funding payment to a position of `size`: −(size·m·price·rate) for linear contracts,
    /// −(size·m·rate/price) for inverse ones, at the ledger scale, rounded down (a payer pays the rounding).
    private func fundingCredit(_ size: Int64, payment: FundingPayment, instrument: Instrument) throws(EventRejection) -> Int128 {
        let decimals = catalog[asset: instrument.settle].decimals
        let contracts = FixedPoint(units: Int128(size), scale: instrument.sizeDecimals)
        // Built only when thrown: this runs for every holder of the instrument.
        let overflow = { EventRejection(.notApplicable, field: "rate", value: payment.rate.description,
                                        message: "the funding payment of a \(contracts) \(instrument.symbol) position overflows") }
        guard let units = contracts.multiplied(by: instrument.contractSize, rounding: .up), let scaled = units.multiplied(by: payment.rate, rounding: .up)
        else { throw overflow() }
        let owed: FixedPoint?
        switch instrument.costForm {
        case .product:
            owed = scaled.multiplied(by: payment.price, rounding: .up)?.rescaled(to: decimals, rounding: .up)
        case .harmonic:
            owed = ExactArithmetic.quotient(scaled, payment.price, scale: decimals, rounding: .up)
        }
        guard let owed else { throw overflow() }
        return -owed.units
    }

    /// Applies a funding credit to the position's pool: the cross balance, or the isolated margin (the sums were
    /// checked by the caller).
    private static func creditFunding(_ units: Int128, instrument: InstrumentID, side: PositionSide, settle: AssetID, to account: inout Account) {
        if var position = account.position(instrument, side: side), case .isolated(let margin) = position.mode {
            position.mode = .isolated(margin: margin + units)
            account.setPosition(position)
        } else {
            account.credit(settle, units: units)
        }
    }

    mutating func settle(_ settlement: ExpirySettlement, time: Timestamp, sequence: UInt64) throws(EventRejection) {
        try checkInstrument(settlement.instrument, field: "instrument")
        let instrument = catalog[instrument: settlement.instrument]
        let symbol = instrument.symbol
        guard let expiry = instrument.kind.expiry else {
            throw EventRejection(.invalidField, field: "instrument", value: symbol, message: "\(symbol) has no expiry: nothing to settle")
        }
        guard !settled[settlement.instrument.index] else {
            throw EventRejection(.instrumentClosed, field: "instrument", value: symbol, message: "\(symbol) has been settled")
        }
        guard time >= expiry else {
            throw EventRejection(.invalidField, field: "time", value: "\(time)", message: "\(symbol) expires at \(expiry), after this event's time \(time)")
        }
        guard settlement.price.units > 0 else {
            throw EventRejection(.invalidField, field: "price", value: settlement.price.description, message: "price must be positive, not \(settlement.price)")
        }
        let value = try Self.settlementValue(instrument, underlying: settlement.price)
        // Close every holder's position at the value; the exits must cancel (open interest nets to zero), and the
        // rounding of each exit at 10^-18 is booked to the residue.
        var units = Set<MarginUnit>()
        var exits: Int128 = 0
        var residues: Int128 = 0
        func exit(_ position: Position) throws(EventRejection) -> Int128 {
            do throws(TradeError) {
                return try TradeExecution.cost(of: position.size, at: value, instrument: instrument)
            } catch {
                throw Self.rejection(error, field: "price")
            }
        }
        var plans: [(Int32?, TradePlan)] = []
        // Each leg is closed by a plan of its own; an account's plans are committed in turn, so the second leg's plan
        // is made against the account with the first one closed.
        var accountsClosed: [(Int32?, [Position])] = []
        for a in accounts.indices {
            let held = accounts[a].positions(of: settlement.instrument).filter { $0.size != 0 }
            if !held.isEmpty { accountsClosed.append((Int32(a), held)) }
        }
        let externalHeld = external.positions(of: settlement.instrument).filter { $0.size != 0 }
        if !externalHeld.isEmpty { accountsClosed.append((nil, externalHeld)) }
        for (account, held) in accountsClosed {
            var closing = account.map { accounts[Int($0)] } ?? external
            for position in held {
                // The exits cancel (open interest nets to zero) but their partial sums need not fit Int128: they wrap
                // and are exact at the end. Each exit and each holder's credit is checked.
                exits &+= try exit(position)
                let plan = try closePlan(position, at: value, account: closing, isExternal: account == nil, price: settlement.price)
                plan.commit(to: &closing)
                plans.append((account, plan))
            }
        }
        // An isolated position's loss beyond its margin is the insurance fund's (as in a fill), within the ledger's range.
        let settle = instrument.settle.index
        var shortfalls: Int128 = 0
        var shortfallOverflow = false
        for (_, plan) in plans {
            let (sum, overflow) = shortfalls.addingReportingOverflow(plan.effect.isolatedShortfall)
            (shortfalls, shortfallOverflow) = (sum, shortfallOverflow || overflow)
        }
        let fund = try Self.insuranceFund(ledger[settle].insuranceFund, paying: shortfallOverflow ? nil : shortfalls, asset: catalog.assets[settle],
                                          price: settlement.price.description)
        for (account, plan) in plans {
            residues += plan.effect.roundingResidue
            if let account {
                plan.commit(to: &accounts[Int(account)])
                units.insert(unit(ofAccount: account))
            } else {
                plan.commit(to: &external)
            }
        }
        // The instrument trades no more: the leverage and margin mode its holders' positions left, and any kept from
        // earlier, go.
        for a in accounts.indices where accounts[a].setting(of: settlement.instrument) != nil {
            accounts[a].forgetSetting(of: settlement.instrument)
        }
        external.forgetSetting(of: settlement.instrument)
        ledger[settle].insuranceFund = fund
        ledger[settle].book(residue: residues + (instrument.costForm == .product ? -exits : exits), unit: context.balanceToCostScale[settle])
        settled[settlement.instrument.index] = true
        for unit in units.sorted() { reevaluate(unit, sequence: sequence) }
    }

    /// The plan that closes `position` of `account` at the settlement `value` (per unit; the event's `price` is what a
    /// rejection shows), refused at `price` when it would take the holder's balance beyond the ledger's range.
    private func closePlan(_ position: Position, at value: FixedPoint, account: Account, isExternal: Bool, price: FixedPoint) throws(EventRejection) -> TradePlan {
        do throws(TradeError) {
            return try TradeExecution.plan(Trade(instrument: position.instrument, size: -position.size, price: value, side: position.side),
                                           account: account, context: context)
        } catch .ledgerRange(_, let asset, _) {
            // A closed position holds no margin: only the holder's balance can leave the range.
            throw Self.outOfLedgerRange(field: "price", shown: price.description,
                                        figure: "\(isExternal ? "the external account" : account.id)'s \(asset) balance", asset: asset)
        } catch {
            throw Self.rejection(error, field: "price")
        }
    }

    /// What one unit of the instrument is worth at expiry: the underlying price for a future; the intrinsic value
    /// max(S − K, 0) or max(K − S, 0) for an option, divided by S for a coin-settled one (rounded down, at 10^-18).
    static func settlementValue(_ instrument: Instrument, underlying: FixedPoint) throws(EventRejection) -> FixedPoint {
        guard case .option(let right, let strike, _) = instrument.kind else { return underlying }
        guard let k = FixedPoint(strike, scale: max(underlying.scale, 8), rounding: .halfEven) else {
            throw EventRejection(.notApplicable, field: "price", value: underlying.description, message: "the strike of \(instrument.symbol) is out of range")
        }
        let difference = right == .call ? underlying - k : k - underlying
        let intrinsic = difference.units > 0 ? difference : FixedPoint(units: 0, scale: difference.scale)
        guard instrument.settlement == .inverse else { return intrinsic }
        guard let coin = ExactArithmetic.quotient(intrinsic, underlying, scale: 18, rounding: .down) else {
            throw EventRejection(.notApplicable, field: "price", value: underlying.description, message: "the settlement value of \(instrument.symbol) is out of range")
        }
        return coin
    }
}
