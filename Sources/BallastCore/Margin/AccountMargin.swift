/// The standard (per-position) margin of an account: its cross pool and each isolated position.
///
/// This is the one risk function behind the CLI, the what-if and max-size tools, the liquidation-price search,
/// the engine and the benchmark (dYdX reuses `GetRiskForSubaccount` the same way): a pure function of
/// (account, ``RiskContext``).
public enum AccountMargin {
    /// The cross pool's figures under the account's model: standard (``crossPool(_:context:workspace:observer:)``) or
    /// portfolio (``PortfolioMargin``).
    /// - Throws: ``MarginError`` for a missing price or parameter, or a portfolio account without portfolio parameters.
    public static func pool(_ account: Account, context: RiskContext, workspace: inout MarginWorkspace) throws(MarginError) -> PoolFigures {
        switch account.model {
        case .standard:
            var observer = NoObserver()
            return try crossPool(account, context: context, workspace: &workspace, observer: &observer)
        case .portfolio:
            guard let portfolio = context.parameters.portfolio else { throw .missingPortfolioParameters(account: account.id) }
            let arrays = context.arrays(for: account, portfolio: portfolio)
            var portfolioWorkspace = workspace.portfolio(stride: arrays.stride)
            defer { workspace.portfolioScratch = portfolioWorkspace }
            return try PortfolioMargin.evaluate(account, context: context, arrays: arrays, parameters: portfolio, workspace: &portfolioWorkspace,
                                                equityWorkspace: &workspace).pool
        }
    }

    /// The cross pool's standard-margin figures, in the valuation currency.
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
        return try workspace.valuePool(context: context, observer: &observer)
    }

    /// The cross pool's equity and margin balance only, from position values: no margin parameters needed
    /// (portfolio margin uses this). Long options count at full value.
    /// - Throws: ``MarginError`` for a missing price of something the account holds.
    public static func crossEquity<Observer: MarginObserver>(
        _ account: Account, context: RiskContext, workspace: inout MarginWorkspace, excludeOptionValue: Bool = false, observer: inout Observer
    ) throws(MarginError) -> (pool: PoolFigures, optionValue: Double) {
        defer { workspace.reset() }
        for balance in account.balances {
            let asset = balance.asset.index
            workspace.touch(asset)
            workspace.exact[asset] &+= balance.units &* context.balanceToCostScale[asset]
        }
        var optionValue = 0.0
        for position in account.positions {
            guard case .cross = position.mode else { continue }
            let risk = context.instruments[position.instrument.index]
            let value = try PositionValue(position, risk)
            let settle = risk.settle.index
            workspace.touch(settle)
            if case .option = risk.form {
                optionValue += value.signedValue * context.indexPrices[settle]
                if excludeOptionValue {
                    workspace.exact[settle] &-= position.cost
                    continue
                }
            }
            workspace.exact[settle] &+= value.exactEquity
            workspace.markValue[settle] += value.markValue
        }
        return (try workspace.valuePool(context: context, observer: &observer), optionValue)
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
