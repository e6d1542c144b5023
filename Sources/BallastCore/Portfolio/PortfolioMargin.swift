/// The figures of a portfolio-margined account, in the valuation currency.
public struct PortfolioFigures: Sendable, Hashable {
    /// Equity, margin balance and the portfolio requirements (IM = initialFactor × requirement risk,
    /// MM = maintenanceFactor × requirement risk).
    public var pool: PoolFigures
    /// The aggregated risk across underlyings.
    public var risk: Double
    /// The net option value Σ q·m·mark (longs positive).
    public var netOptionValue: Double
    /// The risk the factors apply to: the aggregated risk, less NOV under the SPAN convention (never below 0).
    public var requirementRisk: Double
}

/// Scenario-based portfolio margin: one risk function over an account, the shared ``RiskArrays`` and
/// ``PortfolioParameters``.
///
/// Per underlying u, scenario PnL PnLᵤ[s] = Σ quantity × array[s] over its cross positions (and its balance, when
/// collateral moves with scenarios); risk Rᵤ as ``UnderlyingRisk``; the account risk aggregates the Rᵤ as
/// ``PortfolioAggregation``; MM and IM are the factors times that risk. Equity and margin balance are the standard ones
/// (haircut collateral plus unrealised PnL and option values), so both models share every report line but the
/// requirements.
public enum PortfolioMargin {
    /// The account's figures.
    /// - Complexity: O(positions × scenarios + underlyings²).
    /// - Throws: ``MarginError`` for a missing price or array of something the account holds.
    public static func evaluate(_ account: borrowing Account, context: borrowing RiskContext, arrays: borrowing RiskArrays,
                                parameters: borrowing PortfolioParameters,
                                workspace: inout PortfolioWorkspace, equityWorkspace: inout MarginWorkspace) throws(MarginError) -> PortfolioFigures {
        try accumulate(account, context: context, arrays: arrays, parameters: parameters, workspace: &workspace)
        defer { workspace.reset() }
        workspace.sortTouched()
        for index in workspace.touched.indices {
            let risk = try risk(of: workspace.touched[index], context: context, arrays: arrays, parameters: parameters, workspace: &workspace)
            workspace.risks.append(risk)
        }
        let total = PortfolioAggregation.total(workspace.risks, rule: parameters.aggregation)
        return try figures(account, context: context, parameters: parameters, risk: total, workspace: &equityWorkspace)
    }

    /// Fills the workspace with the account's scenario vectors, deltas per tenor and option and future exposures.
    static func accumulate(_ account: borrowing Account, context: borrowing RiskContext, arrays: borrowing RiskArrays,
                           parameters: borrowing PortfolioParameters,
                           workspace: inout PortfolioWorkspace) throws(MarginError) {
        let stride = arrays.stride
        var target = workspace.pnl
        workspace.pnl = []
        defer { workspace.pnl = target }
        try arrays.pnl.withUnsafeBufferPointer { (rows: UnsafeBufferPointer<Double>) throws(MarginError) in
            try target.withUnsafeMutableBufferPointer { (vectors: inout UnsafeMutableBufferPointer<Double>) throws(MarginError) in
                for position in account.positions {
                    guard case .cross = position.mode else { continue }
                    let index = position.instrument.index
                    guard arrays.available[index] else {
                        throw arrays.problems[index] ?? .missingMarkPrice(instrument: context.catalog[instrument: position.instrument].symbol)
                    }
                    let risk = context.instruments[index]
                    let quantity = Double(position.size) * risk.sizeUnit
                    let underlying = risk.underlying.index
                    workspace.touch(underlying)
                    // lossᵤ[s] accumulates quantity × array[s]: the multiply-adds of the whole model.
                    let base = underlying &* stride
                    let row = index &* stride
                    for s in 0..<stride { vectors[base &+ s] += quantity * rows[row &+ s] }
                    workspace.addDelta(quantity * arrays.delta[index], underlying: underlying,
                                       tenor: risk.expiry?.millisecondsSinceEpoch ?? Int64.min)
                    switch risk.form {
                    case .option(let right, _, _) where quantity < 0:
                        if right == .call { workspace.shortCallUnits[underlying] -= quantity * risk.multiplier } else {
                            workspace.shortPutUnits[underlying] -= quantity * risk.multiplier
                        }
                    case .linear, .inverse:
                        if risk.expiry != nil {
                            workspace.datedFutureNotional[underlying] += abs(quantity) * risk.notionalPerContract * context.indexPrices[risk.settle.index]
                        }
                    default:
                        break
                    }
                }
            }
        }
        // Collateral is kept apart from the positions' vector: the risk step decides how it counts.
        guard parameters.collateral != .excluded else { return }
        for balance in account.balances where arrays.assetMoves[balance.asset.index] && balance.units != 0 {
            let asset = balance.asset.index
            guard !context.indexPrices[asset].isNaN else { throw .missingIndexPrice(asset: context.catalog.assets[asset].symbol) }
            let quantity = Double(balance.units) / PowersOfTen.double(context.catalog.assets[asset].decimals)
            if parameters.collateral == .included || workspace.isTouched[asset] {
                workspace.touch(asset)
                workspace.collateralUnits[asset] = quantity
            }
        }
    }

    /// The risk of one accumulated underlying.
    static func risk(of underlying: Int, context: borrowing RiskContext, arrays: borrowing RiskArrays, parameters: borrowing PortfolioParameters,
                     workspace: inout PortfolioWorkspace) throws(MarginError) -> UnderlyingRisk {
        let price = context.indexPrices[underlying]
        guard !price.isNaN else { throw .missingIndexPrice(asset: context.catalog.assets[underlying].symbol) }
        var tenors = workspace.tenors
        workspace.tenors = []
        defer { workspace.tenors = tenors }
        tenors.removeAll(keepingCapacity: true)
        for i in workspace.tenorKey.indices where workspace.tenorUnderlying[i] == underlying {
            tenors.append((workspace.tenorKey[i], workspace.tenorDelta[i]))
        }
        let collateral = workspace.collateralUnits[underlying]
        if collateral != 0 {
            // Collateral is delta in the spot/perpetual bucket.
            if let spot = tenors.firstIndex(where: { $0.key == Int64.min }) { tenors[spot].delta += collateral } else { tenors.append((Int64.min, collateral)) }
        }
        let hasOwn = underlying < parameters.underlyings.count && parameters.underlyings[underlying] != nil
        return workspace.pnl.withUnsafeBufferPointer { pnl in
            arrays.assetPnL.withUnsafeBufferPointer { assetRows in
                let vector = UnsafeBufferPointer(rebasing: pnl[(underlying * arrays.stride)...])
                let collateralRow = UnsafeBufferPointer(rebasing: assetRows[(underlying * arrays.stride)...])
                if hasOwn, let own = parameters.underlyings[underlying] {
                    return UnderlyingRisk.compute(underlying: AssetID(underlying), pnl: vector, collateral: collateral, collateralPnL: collateralRow,
                                                  collateralMode: parameters.collateral, scenarioCount: arrays.scenarioCount, tenors: tenors,
                                                  shortCallUnits: workspace.shortCallUnits[underlying], shortPutUnits: workspace.shortPutUnits[underlying],
                                                  datedFutureNotional: workspace.datedFutureNotional[underlying], price: price,
                                                  parameters: own, now: context.snapshot.time)
                }
                return UnderlyingRisk.compute(underlying: AssetID(underlying), pnl: vector, collateral: collateral, collateralPnL: collateralRow,
                                              collateralMode: parameters.collateral, scenarioCount: arrays.scenarioCount, tenors: tenors,
                                              shortCallUnits: workspace.shortCallUnits[underlying], shortPutUnits: workspace.shortPutUnits[underlying],
                                              datedFutureNotional: workspace.datedFutureNotional[underlying], price: price,
                                              parameters: parameters.defaultUnderlying, now: context.snapshot.time)
            }
        }
    }

    /// Equity from the standard valuation, requirements from the risk.
    static func figures(_ account: borrowing Account, context: borrowing RiskContext, parameters: borrowing PortfolioParameters, risk: Double,
                        workspace: inout MarginWorkspace) throws(MarginError) -> PortfolioFigures {
        let inRequirement = parameters.netOptionValue == .inRequirement
        var observer = NoObserver()
        let (pool, optionValue) = try AccountMargin.crossEquity(account, context: context, workspace: &workspace,
                                                                excludeOptionValue: inRequirement, observer: &observer)
        let requirementRisk = inRequirement ? max(0, risk - optionValue) : risk
        var figures = pool
        figures.initial = parameters.initialFactor * requirementRisk
        figures.maintenance = parameters.maintenanceFactor * requirementRisk
        return PortfolioFigures(pool: figures, risk: risk, netOptionValue: optionValue, requirementRisk: requirementRisk)
    }
}
