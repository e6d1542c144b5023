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
        // The closure captures nothing (a captured rule, context or arrays would be copied, retaining their buffers):
        // the risks stay in the workspace, and are aggregated after it.
        var observer = NoObserver()
        let (count, pool, optionValue) = try withAccumulated(account, context: context, arrays: arrays, parameters: parameters, locateWorst: false,
                                                             workspace: &workspace, equityWorkspace: &equityWorkspace, observer: &observer) {
            (_: PortfolioWorkspace.Scratch, count: Int) -> Int in count
        }
        return figures(pool: pool, optionValue: optionValue, risks: workspace.lastRisks(count: count), parameters: parameters)
    }

    /// Walks the account's positions once into both scratches, the scenario vectors and tenor deltas in `workspace`
    /// and the standard equity in `equityWorkspace`; computes the risk of each touched underlying into
    /// `scratch.risks[0..<count]` in ascending asset order (``risk(of:context:arrays:parameters:scratch:locateWorst:)``);
    /// runs `body` on the filled scratch; and values the equity pool (IM and MM 0: the caller sets them from the risk),
    /// telling `observer` each asset's line. Both scratches are cleared on return.
    /// - Returns: `body`'s result, the equity pool, and the net option value Σ q·m·mark (longs positive).
    /// - Throws: ``MarginError`` for a missing price or array of something the account holds, or what `body` throws.
    @inline(__always)
    static func withAccumulated<R, Observer: MarginObserver>(
        _ account: borrowing Account, context: borrowing RiskContext, arrays: borrowing RiskArrays, parameters: borrowing PortfolioParameters,
        locateWorst: Bool, workspace: inout PortfolioWorkspace, equityWorkspace: inout MarginWorkspace, observer: inout Observer,
        _ body: (PortfolioWorkspace.Scratch, Int) throws(MarginError) -> R) throws(MarginError) -> (R, PoolFigures, Double) {
        try equityWorkspace.withScratch(assetCount: context.catalog.assets.count) { (equity: MarginWorkspace.Scratch) throws(MarginError) in
            defer { equity.clear() }
            equity.addBalances(account.balances, context: context)
            let (result, optionValue) = try workspace.withScratch(assetCount: context.catalog.assets.count, tenorSlots: arrays.tenorKeys.count) {
                (scratch: inout PortfolioWorkspace.Scratch) throws(MarginError) -> (R, Double) in
                defer { scratch.clear() }
                let optionValue = try accumulate(account, context: context, arrays: arrays, parameters: parameters, scratch: scratch, equity: equity)
                var count = 0
                try scratch.forEachTouched { (underlying: Int) throws(MarginError) in
                    scratch.risks[count] = try risk(of: underlying, context: context, arrays: arrays, parameters: parameters, scratch: scratch,
                                                    locateWorst: locateWorst)
                    count &+= 1
                }
                return (try body(scratch, count), optionValue)
            }
            return (result, try equity.valuePool(context: context, observer: &observer), optionValue)
        }
    }

    /// Fills the scratch with the account's scenario vectors, deltas per tenor and option and future exposures, and
    /// `equity` with each position's equity part (``MarginWorkspace/Scratch/addEquity(size:cost:risk:indexPrices:excludeOptionValue:)``,
    /// option values left out under the SPAN net-option-value convention).
    /// - Returns: the net option value Σ q·m·mark in the valuation currency.
    static func accumulate(_ account: borrowing Account, context: borrowing RiskContext, arrays: borrowing RiskArrays,
                           parameters: borrowing PortfolioParameters, scratch: PortfolioWorkspace.Scratch,
                           equity: MarginWorkspace.Scratch) throws(MarginError) -> Double {
        let optionValue = try accumulatePositions(account.positions, context: context, arrays: arrays, parameters: parameters, scratch: scratch,
                                                  equity: equity)
        try accumulateCollateral(account.balances, context: context, arrays: arrays, parameters: parameters, scratch: scratch)
        return optionValue
    }

    /// The positions' part of ``accumulate(_:context:arrays:parameters:scratch:equity:)``: the scenario vectors, deltas
    /// and exposures of the cross positions among `positions`, and their equity parts.
    /// - Returns: their net option value Σ q·m·mark in the valuation currency.
    static func accumulatePositions(_ positions: borrowing [Position], context: borrowing RiskContext, arrays: borrowing RiskArrays,
                                    parameters: borrowing PortfolioParameters, scratch: PortfolioWorkspace.Scratch,
                                    equity: MarginWorkspace.Scratch) throws(MarginError) -> Double {
        let stride = arrays.stride
        let excludeOptionValue = parameters.netOptionValue == .inRequirement
        var optionValue = 0.0
        let failed: Int? = context.instruments.withUnsafeBufferPointer { instruments in context.indexPrices.withUnsafeBufferPointer { indexPrices in
            arrays.exposures.withUnsafeBufferPointer { exposures in
            arrays.pnl.withUnsafeBufferPointer { rows in
                arrays.delta.withUnsafeBufferPointer { deltas in
                    arrays.available.withUnsafeBufferPointer { available in
                        positions.withUnsafeBufferPointer { positions in
                            for slot in positions.indices {
                                guard case .cross = positions[slot].mode else { continue }
                                // The arrays cover the catalog; an index outside it fails here and traps in the checked
                                // lookup that reports it.
                                let index = positions[slot].instrument.index
                                guard index < available.count, index < instruments.count, available[index], instruments[index].isHoldable else {
                                    return slot
                                }
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
                                    // The roll shock is charged on the net size of an instrument (Deribit: Σ|position|),
                                    // and hedge-mode legs of one instrument are consecutive: the second adds
                                    // |q₁ + q₂| − |q₁|.
                                    var size = abs(quantity)
                                    if slot > 0, positions[slot - 1].instrument.index == index, case .cross = positions[slot - 1].mode {
                                        let previous = Double(positions[slot - 1].size) * exposure.sizeUnit
                                        size = abs(previous + quantity) - abs(previous)
                                    }
                                    scratch.sums[underlying].datedFutureNotional += size * instruments[index].notionalPerContract
                                        * indexPrices[instruments[index].settle.index]
                                }
                                optionValue += equity.addEquity(size: positions[slot].size, cost: positions[slot].cost, risk: instruments[index],
                                                                indexPrices: indexPrices, excludeOptionValue: excludeOptionValue)
                            }
                            return nil
                        }
                    }
                }
            }
        } } }
        if let slot = failed {
            let id = positions[slot].instrument
            guard arrays.available[id.index] else {
                throw arrays.problems[id.index] ?? .missingMarkPrice(instrument: context.catalog[instrument: id].symbol)
            }
            throw context.valuationProblem(of: id)
        }
        return optionValue
    }

    /// The balances' part of ``accumulate(_:context:arrays:parameters:scratch:equity:)``, after every position: the units
    /// of each balance whose asset moves with scenarios, on an underlying the positions touched (or on any, when
    /// collateral is included).
    /// - Throws: ``MarginError/missingIndexPrice(asset:)`` for such a balance without a price.
    static func accumulateCollateral(_ balances: [Balance], context: borrowing RiskContext, arrays: borrowing RiskArrays,
                                     parameters: borrowing PortfolioParameters, scratch: PortfolioWorkspace.Scratch) throws(MarginError) {
        // Collateral is kept apart from the positions' vector: the risk step decides how it counts.
        guard parameters.collateral != .excluded else { return }
        for balance in balances where arrays.assetMoves[balance.asset.index] && balance.units != 0 {
            let asset = balance.asset.index
            guard !context.indexPrices[asset].isNaN else { throw .missingIndexPrice(asset: context.catalog.assets[asset].symbol) }
            let quantity = Double(nearest: balance.units) / PowersOfTen.double(context.catalog.assets[asset].decimals)
            if parameters.collateral == .included || scratch.isTouched(asset) {
                scratch.touch(asset)
                scratch.sums[asset].collateralUnits = quantity
            }
        }
    }

    /// The risk of each underlying the scratch touched, into `scratch.risks[0..<count]` in ascending asset order
    /// (``risk(of:context:arrays:parameters:scratch:locateWorst:)``), for a scratch filled in parts (``SplitPortfolioPool``).
    /// ``withAccumulated(_:context:arrays:parameters:locateWorst:workspace:equityWorkspace:observer:_:)`` writes the same
    /// loop inline: called from there, this function made the evaluation of an account about 5 % slower (measured).
    /// - Returns: count, the number of touched underlyings.
    @inline(__always)
    static func touchedRisks(context: borrowing RiskContext, arrays: borrowing RiskArrays, parameters: borrowing PortfolioParameters,
                             scratch: PortfolioWorkspace.Scratch, locateWorst: Bool) throws(MarginError) -> Int {
        var count = 0
        try scratch.forEachTouched { (underlying: Int) throws(MarginError) in
            scratch.risks[count] = try risk(of: underlying, context: context, arrays: arrays, parameters: parameters, scratch: scratch,
                                            locateWorst: locateWorst)
            count &+= 1
        }
        return count
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

    /// The figures from the standard equity pool and the underlyings' risks, aggregated by the parameters' rule
    /// (``PortfolioAggregation``) into the risk of ``figures(pool:optionValue:risk:parameters:)``.
    @inline(__always)
    static func figures(pool: PoolFigures, optionValue: Double, risks: UnsafeBufferPointer<UnderlyingRisk>,
                        parameters: borrowing PortfolioParameters) -> PortfolioFigures {
        figures(pool: pool, optionValue: optionValue, risk: PortfolioAggregation.total(risks, rule: parameters.aggregation), parameters: parameters)
    }

    /// The figures from the standard equity pool and the aggregated risk: requirement risk = risk, less the net option
    /// value under the SPAN convention (never below 0); IM = initial factor × requirement risk, MM = maintenance factor ×
    /// requirement risk.
    static func figures(pool: PoolFigures, optionValue: Double, risk: Double, parameters: borrowing PortfolioParameters) -> PortfolioFigures {
        let requirementRisk = parameters.netOptionValue == .inRequirement ? max(0, risk - optionValue) : risk
        var figures = pool
        figures.initial = parameters.initialFactor * requirementRisk
        figures.maintenance = parameters.maintenanceFactor * requirementRisk
        return PortfolioFigures(pool: figures, risk: risk, netOptionValue: optionValue, requirementRisk: requirementRisk)
    }
}
