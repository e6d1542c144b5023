/// Liquidation and bankruptcy prices of any position, cross or isolated, by the account-level search of
/// ``PriceSearch`` (and the closed forms of ``IsolatedLiquidation`` where they exist).
///
/// For a cross position the pool function is the **cross pool**: f(λ) = margin balance(λ) − MM(λ) for the
/// liquidation price, equity(λ) for the bankruptcy price, every other position and asset held at its mark
/// (``LiquidationPriceScope/instrument``) or moving with the same underlying (``LiquidationPriceScope/underlying``);
/// tiers are re-evaluated at each price. The search goes the way the position loses (down for a long future or
/// call, up for a short or a long put); if the pool is already past the threshold it goes the other way and
/// reports where it would recover (`breached`).
public enum LiquidationPriceSolver {
    /// Liquidation and bankruptcy prices of the position at `slot`.
    /// - Throws: ``MarginError`` for a missing price or parameter.
    public static func prices(account: Account, slot: Int, context: RiskContext) throws(MarginError) -> (liquidation: LiquidationPrice, bankruptcy: LiquidationPrice) {
        let position = account.positions[slot]
        let risk = context.instruments[position.instrument.index]
        let reference = referencePrice(risk)
        let losesDown = lossDirection(position: position, risk: risk) == .down

        if case .isolated(let marginUnits) = position.mode, let schedule = context.details[position.instrument.index].schedule {
            let figures = try PositionFigures(position, in: context)
            let margin = Double(marginUnits) / PowersOfTen.double(context.catalog[asset: risk.settle].decimals)
            let units = figures.contracts * risk.multiplier
            let cost = Double(nearest: position.cost) * 1e-18
            let entryMaintenance = schedule.notionalBasis == .entry ? figures.maintenance : 0
            let bankruptcy = IsolatedLiquidation.bankruptcyPrice(form: risk.form, units: units, margin: margin, cost: cost)
            if let closed = IsolatedLiquidation.liquidationPrice(schedule: schedule, form: risk.form, units: units, margin: margin,
                                                                 cost: cost, entryMaintenance: entryMaintenance) {
                let breached = closed.price.map { losesDown ? $0 >= reference : $0 <= reference } ?? false
                return (LiquidationPrice(price: closed.price, breached: breached, closedForm: true), bankruptcy)
            }
            let liquidation = try search(losesDown: losesDown, reference: reference) { (factor: Double) throws(MarginError) -> Double in
                let pool = try AccountMargin.isolatedPool(account, slot: slot, context: context.moved(position.instrument, by: factor, scope: .instrument)).0
                return pool.marginBalance - pool.maintenance
            }
            return (liquidation, bankruptcy)
        }

        let scope = context.parameters.conventions.liquidationPriceScope
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        func pool(_ factor: Double) throws(MarginError) -> PoolFigures {
            let moved = factor == 1 ? context : context.moved(position.instrument, by: factor, scope: scope)
            return try AccountMargin.pool(account, context: moved, workspace: &workspace)
        }
        let liquidation = try search(losesDown: losesDown, reference: reference) { (factor: Double) throws(MarginError) -> Double in
            let figures = try pool(factor)
            return figures.marginBalance - figures.maintenance
        }
        let bankruptcy = try search(losesDown: losesDown, reference: reference) { (factor: Double) throws(MarginError) -> Double in
            try pool(factor).equity
        }
        return (liquidation, bankruptcy)
    }

    /// The price a liquidation price is quoted in: the mark for futures, the underlying for options.
    public static func referencePrice(_ risk: InstrumentRisk) -> Double {
        if case .option = risk.form { return risk.underlyingPrice }
        return risk.mark
    }

    /// The direction of the underlying in which the position loses value.
    public static func lossDirection(position: Position, risk: InstrumentRisk) -> PriceSearch.Direction {
        var gainsWhenUp = position.size > 0
        if case .option(let right, _, _) = risk.form, right == .put { gainsWhenUp.toggle() }
        return gainsWhenUp ? .down : .up
    }

    private static func search(losesDown: Bool, reference: Double,
                               _ f: (Double) throws(MarginError) -> Double) throws(MarginError) -> LiquidationPrice {
        let atOne = try f(1)
        let breached = atOne <= 0
        let direction: PriceSearch.Direction = (losesDown != breached) ? .down : .up
        let factor = try PriceSearch.nearestRoot(direction: direction, valueAtOne: atOne, f)
        return LiquidationPrice(price: factor.map { $0 * reference }, breached: breached)
    }
}
