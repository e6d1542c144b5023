/// The standard (per-position) margin of an account: its cross pool and each isolated position.
///
/// This is the one risk function behind the CLI, the what-if and max-size tools, the liquidation-price search,
/// the engine and the benchmark (dYdX reuses `GetRiskForSubaccount` the same way): a pure function of
/// (account, ``RiskContext``).
public enum AccountMargin {
    /// The cross pool's figures under the account's model: standard (``crossPool(_:context:workspace:observer:)``) or
    /// portfolio (``PortfolioMargin``).
    /// - Throws: ``MarginError`` for a missing price or parameter, or a portfolio account without portfolio parameters.
    public static func pool(_ account: borrowing Account, context: borrowing RiskContext, workspace: inout MarginWorkspace) throws(MarginError) -> PoolFigures {
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
        _ account: borrowing Account, context: borrowing RiskContext, workspace: inout MarginWorkspace, observer: inout Observer
    ) throws(MarginError) -> PoolFigures {
        defer { workspace.reset() }
        for balance in account.balances { workspace.addBalance(balance, scale: context.balanceToCostScale[balance.asset.index]) }
        let failed: Int? = context.instruments.withUnsafeBufferPointer { instruments in
            context.tiers.withView { tiers in
            workspace.accumulators.withUnsafeMutableBufferPointer { sums in
                account.positions.withUnsafeBufferPointer { positions in
                    for slot in positions.indices {
                        let position = positions[slot]
                        guard case .cross = position.mode else { continue }
                        let index = position.instrument.index
                        let risk = instruments[index]
                        guard risk.isStandardReady, position.leverage.map({ $0.isFinite && $0 >= 1 }) ?? true else { return slot }
                        let value = PositionMath.value(size: position.size, cost: position.cost, risk: risk,
                                                       longOptionWeight: risk.option?.longValueWeight ?? 1)
                        let requirement = PositionMath.requirement(value: value, cost: position.cost, leverage: position.leverage, risk: risk,
                                                                   tiers: tiers,
                                                                   schedule: risk.tierRange.isEmpty ? context.details[index].schedule : nil)
                        let settle = risk.settle.index
                        if !sums[settle].touched {
                            sums[settle].touched = true
                            workspace.touched.append(settle)
                        }
                        sums[settle].exact &+= value.exactEquity
                        sums[settle].markValue += value.markValue
                        sums[settle].initial += requirement.initial
                        sums[settle].maintenance += requirement.maintenance
                        if Observer.wantsPositions {
                            observer.position(slot: slot, figures: PositionFigures(value: value, requirement: requirement, cost: position.cost, form: risk.form))
                        }
                    }
                    return nil
                }
            }
            }
        }
        if let slot = failed {
            throw PositionMath.standardProblem(account.positions[slot], in: context) ?? .outOfRange(figure: "position")
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
        for balance in account.balances { workspace.addBalance(balance, scale: context.balanceToCostScale[balance.asset.index]) }
        var optionValue = 0.0
        for position in account.positions {
            guard case .cross = position.mode else { continue }
            let value = try PositionValue(position, in: context)
            let settle = context.instruments[position.instrument.index].settle.index
            workspace.addBalance(Balance(asset: AssetID(settle), units: 0), scale: 0)
            if case .option = context.instruments[position.instrument.index].form {
                optionValue += value.signedValue * context.indexPrices[settle]
                if excludeOptionValue {
                    workspace.accumulators[settle].exact &-= position.cost
                    continue
                }
            }
            workspace.accumulators[settle].exact &+= value.exactEquity
            workspace.accumulators[settle].markValue += value.markValue
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
        let figures = try PositionFigures(position, in: context)
        let price = context.indexPrices[risk.settle.index]
        guard !price.isNaN else { throw .missingIndexPrice(asset: context.catalog[asset: risk.settle].symbol) }
        let scale = context.balanceToCostScale[risk.settle.index]
        let exact = margin &* scale &+ figures.exactEquity
        let equity = (Double(nearest: exact) * 1e-18 + figures.markValue) * price
        return (PoolFigures(equity: equity, marginBalance: equity, initial: figures.initial * price, maintenance: figures.maintenance * price), figures)
    }
}
