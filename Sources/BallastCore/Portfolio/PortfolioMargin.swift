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
        let total = try workspace.withScratch(assetCount: context.catalog.assets.count, tenorSlots: arrays.tenorKeys.count) {
            (scratch: inout PortfolioWorkspace.Scratch) throws(MarginError) -> Double in
            defer { scratch.clear() }
            try accumulate(account, context: context, arrays: arrays, parameters: parameters, scratch: &scratch)
            var count = 0
            try scratch.forEachTouched { (underlying: Int) throws(MarginError) in
                scratch.risks[count] = try risk(of: underlying, context: context, arrays: arrays, parameters: parameters, scratch: scratch,
                                                locateWorst: false)
                count &+= 1
            }
            return PortfolioAggregation.total(UnsafeBufferPointer(rebasing: scratch.risks[0..<count]), rule: parameters.aggregation)
        }
        return try figures(account, context: context, parameters: parameters, risk: total, workspace: &equityWorkspace)
    }

    /// Fills the scratch with the account's scenario vectors, deltas per tenor and option and future exposures.
    static func accumulate(_ account: borrowing Account, context: borrowing RiskContext, arrays: borrowing RiskArrays,
                           parameters: borrowing PortfolioParameters, scratch: inout PortfolioWorkspace.Scratch) throws(MarginError) {
        let stride = arrays.stride
        let failed: Int? = arrays.exposures.withUnsafeBufferPointer { exposures in
            arrays.pnl.withUnsafeBufferPointer { rows in
                arrays.delta.withUnsafeBufferPointer { deltas in
                    arrays.available.withUnsafeBufferPointer { available in
                        account.positions.withUnsafeBufferPointer { positions in
                            for slot in positions.indices {
                                guard case .cross = positions[slot].mode else { continue }
                                // The arrays cover the catalog; an index outside it fails here and traps in the checked
                                // lookup that reports it.
                                let index = positions[slot].instrument.index
                                guard index < available.count, available[index] else { return slot }
                                let exposure = exposures[index]
                                let quantity = Double(positions[slot].size) * exposure.sizeUnit
                                let underlying = exposure.underlying
                                scratch.touch(underlying)
                                // lossᵤ[s] accumulates quantity × array[s]: the multiply-adds of the whole model.
                                let base = underlying &* stride
                                let row = index &* stride
                                for s in 0..<stride { scratch.pnl[base &+ s] += quantity * rows[row &+ s] }
                                scratch.addDelta(quantity * deltas[index], exposure: exposure)
                                // Short option units as products with per-instrument factors instead of branches on the
                                // form and the side (both in no order): a factor of 0, or a long, subtracts ±0 from a
                                // sum that is never −0, which leaves it as it is.
                                let short = quantity < 0 ? quantity : 0
                                scratch.sums[underlying].shortCallUnits -= short * exposure.shortCallUnits
                                scratch.sums[underlying].shortPutUnits -= short * exposure.shortPutUnits
                                if exposure.isDatedFuture {
                                    let risk = context.instruments[index]
                                    scratch.sums[underlying].datedFutureNotional += abs(quantity) * risk.notionalPerContract
                                        * context.indexPrices[risk.settle.index]
                                }
                            }
                            return nil
                        }
                    }
                }
            }
        }
        if let slot = failed {
            let id = account.positions[slot].instrument
            throw arrays.problems[id.index] ?? .missingMarkPrice(instrument: context.catalog[instrument: id].symbol)
        }
        // Collateral is kept apart from the positions' vector: the risk step decides how it counts.
        guard parameters.collateral != .excluded else { return }
        for balance in account.balances where arrays.assetMoves[balance.asset.index] && balance.units != 0 {
            let asset = balance.asset.index
            guard !context.indexPrices[asset].isNaN else { throw .missingIndexPrice(asset: context.catalog.assets[asset].symbol) }
            let quantity = Double(balance.units) / PowersOfTen.double(context.catalog.assets[asset].decimals)
            if parameters.collateral == .included || scratch.isTouched(asset) {
                scratch.touch(asset)
                scratch.sums[asset].collateralUnits = quantity
            }
        }
    }

    /// The risk of one accumulated underlying; its ``UnderlyingRisk/worstScenario`` only if `locateWorst` (or collateral
    /// counts).
    static func risk(of underlying: Int, context: borrowing RiskContext, arrays: borrowing RiskArrays, parameters: borrowing PortfolioParameters,
                     scratch: PortfolioWorkspace.Scratch, locateWorst: Bool = true) throws(MarginError) -> UnderlyingRisk {
        let price = context.indexPrices[underlying]
        guard !price.isNaN else { throw .missingIndexPrice(asset: context.catalog.assets[underlying].symbol) }
        // The underlying's legs, in first-seen order; collateral is delta in the spot/perpetual bucket.
        let start = scratch.sums[underlying].tenorListStart
        var count = scratch.sums[underlying].tenorCount
        arrays.tenorKeys.withUnsafeBufferPointer { keys in
            for k in 0..<count {
                let slot = scratch.tenorLists[start &+ k]
                scratch.legs[k] = PortfolioWorkspace.Leg(key: keys[slot], delta: scratch.tenorDeltas[slot])
            }
        }
        let collateral = scratch.sums[underlying].collateralUnits
        if collateral != 0 {
            if let spot = (0..<count).first(where: { scratch.legs[$0].key == Int64.min }) {
                scratch.legs[spot].delta += collateral
            } else {
                scratch.legs[count] = PortfolioWorkspace.Leg(key: Int64.min, delta: collateral)
                count &+= 1
            }
        }
        let terms = UnderlyingRisk.Terms(parameters, underlying: underlying)
        let stride = arrays.stride
        return arrays.assetPnL.withUnsafeBufferPointer { assetRows in
            UnderlyingRisk.compute(underlying: AssetID(underlying), pnl: UnsafeBufferPointer(rebasing: scratch.pnl[(underlying &* stride)...]),
                                   collateral: collateral, collateralPnL: UnsafeBufferPointer(rebasing: assetRows[(underlying &* stride)...]),
                                   collateralMode: parameters.collateral, scenarioCount: arrays.scenarioCount,
                                   legs: UnsafeMutableBufferPointer(rebasing: scratch.legs[0..<count]),
                                   sums: scratch.sums[underlying], price: price, terms: terms,
                                   calendarSpread: parameters.underlying(AssetID(underlying)).calendarSpread, now: context.snapshot.time,
                                   locateWorst: locateWorst)
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
