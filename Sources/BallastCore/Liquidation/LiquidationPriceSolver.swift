/// Liquidation and bankruptcy prices of any position, cross or isolated, by the account-level search of
/// ``PriceSearch`` (and the closed forms of ``IsolatedLiquidation`` where they exist).
///
/// For a cross position the pool function is the **cross pool**: f(λ) = margin balance(λ) − MM(λ) for the
/// liquidation price, equity(λ) for the bankruptcy price, every other position and asset held at its mark but the
/// options priced off the instrument's mark (``LiquidationPriceScope/instrument``) or moving with the same underlying (``LiquidationPriceScope/underlying``);
/// tiers are re-evaluated at each price. The search goes the way the position loses (down for a long future or
/// call, up for a short or a long put); if the pool is already past the threshold it goes the other way and
/// reports where it would recover (`breached`).
public enum LiquidationPriceSolver {
    /// Liquidation and bankruptcy prices of the position at `slot`.
    /// - Throws: ``MarginError`` for a missing price or parameter.
    public static func prices(account: Account, slot: Int, context: RiskContext) throws(MarginError) -> (liquidation: LiquidationPrice, bankruptcy: LiquidationPrice) {
        var search = LiquidationSearch(account: account, context: context)
        return try search.prices(slot: slot)
    }

    /// Liquidation and bankruptcy prices of every position, in slot order. Cross positions whose pool function is the
    /// same (one underlying under ``LiquidationPriceScope/underlying``, one instrument under
    /// ``LiquidationPriceScope/instrument``) share one search per direction, so the answers equal those of
    /// ``prices(account:slot:context:)`` slot by slot.
    /// - Throws: ``MarginError`` for a missing price or parameter.
    public static func prices(account: Account, context: RiskContext) throws(MarginError) -> [(liquidation: LiquidationPrice, bankruptcy: LiquidationPrice)] {
        var search = LiquidationSearch(account: account, context: context)
        var prices: [(liquidation: LiquidationPrice, bankruptcy: LiquidationPrice)] = []
        prices.reserveCapacity(account.positions.count)
        for slot in account.positions.indices { prices.append(try search.prices(slot: slot)) }
        return prices
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
}
