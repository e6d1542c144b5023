/// The standard (per-position) margin of an account: its cross pool and each isolated position.
///
/// This is the one risk function behind the CLI, the what-if and max-size tools, the liquidation-price search,
/// the engine and the benchmark (dYdX reuses `GetRiskForSubaccount` the same way): a pure function of
/// (account, ``RiskContext``).
public enum AccountMargin {
    /// The cross pool's figures, in the valuation currency.
    ///
    /// Per asset a: **equity_a = balance_a + Σ unrealised PnL + Σ counted option values**. The exact parts (balances,
    /// cost bases, and q·m·P for linear contracts and options whose mark is an exact decimal) are summed as integers at
    /// 10^-18 and converted once; only inverse values and moved prices are `Double`. So equity is exact to the unit for
    /// linear books, and a trade and its reverse give identical figures.
    /// equity = Σ equity_a·p_a; margin balance = Σ haircut_a(equity_a, p_a); IM = Σ IM_a·p_a; MM = Σ MM_a·p_a.
    /// Isolated positions are excluded (see ``isolatedPool(_:slot:context:)``).
    ///
    /// - Complexity: O(positions + balances).
    /// - Throws: ``MarginError`` for a missing price or parameter of something the account holds.
    public static func crossPool<Observer: MarginObserver>(
        _ account: Account, context: RiskContext, workspace: inout MarginWorkspace, observer: inout Observer
    ) throws(MarginError) -> PoolFigures {
        defer { workspace.reset() }
        for balance in account.balances {
            let asset = balance.asset.index
            workspace.touch(asset)
            workspace.exact[asset] &+= balance.units &* context.balanceToCostScale[asset]
        }
        for slot in account.positions.indices {
            let position = account.positions[slot]
            guard case .cross = position.mode else { continue }
            let risk = context.instruments[position.instrument.index]
            let figures = try PositionFigures(position, risk, symbol: context.catalog[instrument: position.instrument].symbol)
            let settle = risk.settle.index
            workspace.touch(settle)
            workspace.exact[settle] &+= figures.exactEquity
            workspace.markValue[settle] += figures.markValue
            workspace.initial[settle] += figures.initial
            workspace.maintenance[settle] += figures.maintenance
            observer.position(slot: slot, figures: figures)
        }
        var pool = PoolFigures.zero
        workspace.touched.sort()  // a canonical order, so the floating-point sums never depend on history
        for asset in workspace.touched {
            let price = context.indexPrices[asset]
            guard !price.isNaN else { throw .missingIndexPrice(asset: context.catalog.assets[asset].symbol) }
            let equity = Double(workspace.exact[asset]) * 1e-18 + workspace.markValue[asset]
            let haircut = context.parameters.collateral[asset]
            let collateral = haircut.value(quantity: equity, price: price)
            pool.equity += equity * price
            pool.marginBalance += collateral
            pool.initial += workspace.initial[asset] * price
            pool.maintenance += workspace.maintenance[asset] * price
            observer.asset(AssetID(asset), exactEquity: workspace.exact[asset], markEquity: workspace.markValue[asset],
                           initial: workspace.initial[asset], maintenance: workspace.maintenance[asset], collateralValue: collateral, price: price)
        }
        return pool
    }

    /// The pool of one isolated position, in the valuation currency: equity = isolated margin + UPnL (no haircut:
    /// the margin is the position's own wallet), and the position's requirements.
    /// - Throws: ``MarginError`` for a missing price or parameter, or if the position is not isolated.
    public static func isolatedPool(_ account: Account, slot: Int, context: RiskContext) throws(MarginError) -> (PoolFigures, PositionFigures) {
        let position = account.positions[slot]
        let symbol = context.catalog[instrument: position.instrument].symbol
        guard case .isolated(let margin) = position.mode else { throw .outOfRange(figure: "isolated pool of cross position \(symbol)") }
        let risk = context.instruments[position.instrument.index]
        if case .option = risk.form { throw .isolatedOption(instrument: symbol) }
        guard margin >= 0 else { throw .negativeIsolatedMargin(instrument: symbol) }
        let figures = try PositionFigures(position, risk, symbol: symbol)
        let price = context.indexPrices[risk.settle.index]
        guard !price.isNaN else { throw .missingIndexPrice(asset: context.catalog[asset: risk.settle].symbol) }
        let scale = context.balanceToCostScale[risk.settle.index]
        let exact = margin &* scale &+ figures.exactEquity
        let equity = (Double(exact) * 1e-18 + figures.markValue) * price
        return (PoolFigures(equity: equity, marginBalance: equity, initial: figures.initial * price, maintenance: figures.maintenance * price), figures)
    }
}
