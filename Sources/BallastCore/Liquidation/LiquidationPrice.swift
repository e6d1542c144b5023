/// A liquidation or bankruptcy price of a position.
public struct LiquidationPrice: Sendable, Hashable {
    /// The price (in the instrument's price terms; for options, the underlying price), or `nil` if no price in
    /// the searched direction reaches the threshold ("none").
    public var price: Double?
    /// Whether the pool is already at or past the threshold: `price` is then where it would recover.
    public var breached: Bool
    /// Whether the price comes from a closed form (isolated positions) or the numeric search.
    public var closedForm: Bool

    /// Creates a result.
    public init(price: Double?, breached: Bool = false, closedForm: Bool = false) {
        self.price = price
        self.breached = breached
        self.closedForm = closedForm
    }

    /// The price rounded to the tick toward `mark` (the displayed convention: never past the true threshold on the
    /// side away from the mark), or `nil` without a price or a positive tick.
    ///
    /// A price within floating-point noise of a tick (16 ulps or 10⁻⁶ of a tick, as ``FixedPoint/init(_:scale:rounding:)``
    /// takes money) is on that tick: 99.50000000000001 is 99.50, not 99.51. The result is the nearest `Double` to the
    /// decimal ticks × tick, so it prints as that decimal (3,174.6, not 3,174.6000000000004).
    public func tickRounded(tick: FixedPoint, mark: Double) -> Double? {
        guard let price, tick.units > 0,
              let ticks = FixedPoint.units(scaled: price / tick.doubleValue, rounding: price < mark ? .up : .down) else { return nil }
        let (units, overflow) = ticks.multipliedReportingOverflow(by: tick.units)
        return overflow ? nil : Double(nearest: units) / PowersOfTen.double(tick.scale)
    }
}

/// Liquidation and bankruptcy prices of isolated positions in closed form.
///
/// With W the isolated margin, q·m the signed size in underlying units (linear) or quote face (inverse), C the cost
/// basis, and tier k (rate MMRₖ, deduction cumₖ) of the notional at the solution:
/// - **linear, MM on mark notional**: X = (W + cumₖ − C)/(|q|·m·MMRₖ − q·m), accepted only if |q|·m·X lies in tier k
///   (Binance isolated: X = (WB + cum − s·|q|·P0)/(|q|·MMR − s·|q|));
/// - **linear, MM fixed at entry**: X = (MM − W + C)/(q·m) (Bybit: LP_long = P0 − (IM − MM)/|q|);
/// - **inverse, MM on mark notional**: X = (q·m + |q|·m·MMRₖ)/(W + C + cumₖ), accepted only if |q|·m/X lies in tier k;
/// - **inverse, MM fixed at entry**: X = q·m/(W + C − MM) (Bybit inverse: LP_long = Qty/(PV + IM − MM));
/// - **bankruptcy**: the same with MM = 0 (linear X = (C − W)/(q·m); inverse X = q·m/(W + C); Bybit
///   BP_long = P0·lev/(lev + 1) for W = IM).
///
/// With a fee to close f (``MarginSchedule/closeFeeRate``), the fee at X, |q|·m·X·f (inverse |q|·m·f/X), is part of MM:
/// MMRₖ becomes MMRₖ + f on the mark notional; on entry, linear X = (MM − W + C)/(q·m − |q|·m·f) and inverse
/// X = (q·m + |q|·m·f)/(W + C − MM). The bankruptcy price is where equity just pays the fee: linear
/// X = (C − W)/(q·m − |q|·m·f), inverse X = (q·m + |q|·m·f)/(W + C) (Bybit inverse: BP_long = (1 + f)·Qty/(Qty/P0 + W)).
/// A ladder measured in contracts (``TierTable/Measure/contracts``) has one tier k at every price, the one of the
/// position's size, and no deduction, so the same forms hold without the tier check.
/// A fixed margin per position c (``MarginSchedule/fixedMarginPerPosition``) is a constant part of MM: cumₖ becomes
/// cumₖ − c on the mark notional, and it is part of the entry MM; it leaves the bankruptcy price where it is.
/// A fee to close valued at the bankruptcy price from entry (``CloseFeeBasis/bankruptcy``) is a constant F: it enters
/// MM like c (cumₖ − F; part of the entry MM), and the bankruptcy price is where equity equals it: linear
/// X = (C + F − W)/(q·m), inverse X = q·m/(W + C − F). With W = IM + F (Bybit's position margin) that is Bybit's
/// BP_long = P0·(1 − 1/lev), and the liquidation price is the one without the fee (BYB-1's P0 − (IM − MM)/|q|).
/// A non-positive solution means no price liquidates. Each equation has at most one root (its pool function is
/// strictly monotone in X), so the accepted tier is unique.
public enum IsolatedLiquidation {
    /// The liquidation price, or `nil` when the schedule has no closed form (risk-limit steps, size- or
    /// open-interest-scaled rates, the size premium and initial-fraction ladders, on the mark notional): the caller then
    /// searches numerically. `entryMaintenance` is
    /// the position's MM on the entry notional, fixed margin included and a fee to close at the mark left out (a fee at
    /// the bankruptcy price, `constantFee`, included). `constantFee` is the fee to close valued at the bankruptcy price
    /// (``CloseFeeBasis/bankruptcy``; 0 otherwise).
    public static func liquidationPrice(schedule: MarginSchedule, form: InstrumentRisk.Form, units: Double, margin: Double,
                                        cost: Double, entryMaintenance: Double, contracts: Double = 0, constantFee: Double) -> LiquidationPrice? {
        let isInverse = form == .inverse
        // The fee rate that moves with the price: none when the fee is valued at the bankruptcy price.
        let feeRate = schedule.maintenanceCloseFeeBasis == .mark ? schedule.closeFeeRate : 0
        let fee = abs(units) * feeRate
        switch (schedule.notionalBasis, schedule.shape) {
        case (.entry, _):
            return solved(isInverse ? (units + fee) / (margin + cost - entryMaintenance) : (entryMaintenance - margin + cost) / (units - fee))
        case (.mark, .tiered(let table)):
            // A ladder measured in contracts has one tier whatever the price: the one of the position's size.
            let sized = table.measure == .contracts ? table.tierIndex(notional: 0, contracts: contracts) : nil
            for (k, tier) in table.tiers.enumerated() where sized == nil || sized == k {
                let upper = k + 1 < table.tiers.count ? table.tiers[k + 1].floor : Double.infinity
                let rate = tier.maintenanceRate + feeRate
                let deduction = tier.deduction - schedule.fixedMarginPerPosition - constantFee
                let x: Double
                if isInverse {
                    x = (units + abs(units) * rate) / (margin + cost + deduction)
                } else {
                    x = (margin + deduction - cost) / (abs(units) * rate - units)
                }
                guard x.isFinite, x > 0 else { continue }
                let notional = isInverse ? abs(units) / x : abs(units) * x
                if sized != nil || (notional >= tier.floor && notional < upper) { return LiquidationPrice(price: x, closedForm: true) }
            }
            return LiquidationPrice(price: nil, closedForm: true)
        case (.mark, _):
            return nil
        }
    }

    /// The bankruptcy price: where the isolated equity W + UPnL just pays the fee to close, at that price
    /// (`closeFeeRate`) or fixed (`constantFee`, a fee valued at the bankruptcy price from entry); with neither, where it
    /// reaches zero.
    public static func bankruptcyPrice(form: InstrumentRisk.Form, units: Double, margin: Double, cost: Double, closeFeeRate: Double = 0,
                                       constantFee: Double = 0) -> LiquidationPrice {
        let fee = abs(units) * closeFeeRate
        let remaining = margin - constantFee
        return solved(form == .inverse ? (units + fee) / (remaining + cost) : (cost - remaining) / (units - fee))
    }

    private static func solved(_ x: Double) -> LiquidationPrice {
        LiquidationPrice(price: x.isFinite && x > 0 ? x : nil, closedForm: true)
    }
}
