import BallastCore
import BallastPresets

extension PresetLibrary {
    /// Portfolio-margin parameters from a reference, resolved against `catalog`. A named preset may mention
    /// underlyings the catalog lacks (they are skipped, and a correlation matrix is reduced to the ones present);
    /// an inline document may not.
    func portfolio(_ reference: PresetOrInline<PortfolioInput>, path given: JSONPath, catalog: Catalog) throws(InputError) -> PortfolioParameters {
        let (input, name) = try resolve(reference, kind: .portfolio, path: given)
        let strict = name == "inline"
        let info = input.provenance.info(defaultName: name)
        // A named preset's problems are located inside it.
        let path = Self.within(name, at: given)
        func located(_ error: ParameterError, _ at: JSONPath) -> InputError {
            at.key(error.field).error("\(error.value): \(error.reason)")
        }
        func asset(_ symbol: String, _ at: JSONPath) throws(InputError) -> AssetID? {
            if let id = catalog.asset(symbol) { return id }
            if strict { throw at.error("no asset \"\(symbol)\" is defined") }
            return nil
        }
        let defaultUnderlying = try underlying(input.defaultUnderlying, at: path.key("default_underlying"), located: located)
        let scenarios: [Scenario]
        if let grid = input.grid {
            guard let built = ScenarioGrids.scenarios(grid, underlying: defaultUnderlying) else {
                throw path.key("grid").error("unknown grid \"\(grid)\" (available: \(ScenarioGrids.names.joined(separator: ", ")))")
            }
            scenarios = built
        } else {
            var built: [Scenario] = []
            for (i, scenario) in (input.scenarios ?? []).enumerated() {
                let at = path.key("scenarios").index(i)
                guard let volatility = Scenario.VolatilityMove(rawValue: scenario.volatility ?? "none") else {
                    throw at.key("volatility").error("\"\(scenario.volatility ?? "")\" is not up, down or none")
                }
                let move: Scenario.PriceMove = scenario.move.map { .relative($0.value) } ?? .scanRange(scenario.scanRange?.value ?? 0)
                built.append(Scenario(label: scenario.label ?? "scenario \(i + 1)", price: move, volatility: volatility, weight: scenario.weight?.value ?? 1))
            }
            scenarios = built
        }
        guard let collateral = CollateralScenarios(rawValue: input.collateralInScenarios ?? "offset_only") else {
            throw path.key("collateral_in_scenarios").error("\"\(input.collateralInScenarios ?? "")\" is not excluded, included or offset_only")
        }
        if let days = input.lookAheadDays?.value, !(days.isFinite && days >= 0) {
            throw path.key("look_ahead_days").error("\(days) must be a number of days ≥ 0")
        }
        var parameters: PortfolioParameters
        do throws(ParameterError) {
            let set = try ScenarioSet(scenarios: scenarios, lookAheadYears: (input.lookAheadDays?.value ?? 1) / 365, info: info)
            parameters = try PortfolioParameters(
                scenarios: set, assetCount: catalog.assets.count, defaultUnderlying: defaultUnderlying,
                initialFactor: input.initialFactor?.value ?? 1, maintenanceFactor: input.maintenanceFactor?.value ?? 1,
                collateral: collateral, info: info)
        } catch {
            throw located(error, path)
        }
        do throws(ParameterError) {
            try parameters.scenarios.checkMoves(scanRange: defaultUnderlying.priceScanRange)
        } catch {
            throw located(error, path.key("default_underlying"))
        }
        for (symbol, given) in (input.underlyings ?? [:]).sorted(by: { $0.key < $1.key }) {
            let at = path.key("underlyings").key(symbol)
            guard let id = try asset(symbol, at) else { continue }
            let risk = try underlying(given, at: at, located: located)
            do throws(ParameterError) {
                try parameters.scenarios.checkMoves(scanRange: risk.priceScanRange)
            } catch {
                throw located(error, at)
            }
            parameters.underlyings[id.index] = risk
        }
        switch input.netOptionValue ?? "in_equity" {
        case "in_equity": parameters.netOptionValue = .inEquity
        case "in_requirement": parameters.netOptionValue = .inRequirement
        case let other: throw path.key("net_option_value").error("\"\(other)\" is not in_equity or in_requirement")
        }
        if let aggregation = input.aggregation {
            parameters.aggregation = try self.aggregation(aggregation, at: path.key("aggregation"), asset: asset, located: located)
        }
        return parameters
    }

    private func underlying(_ input: PortfolioInput.UnderlyingInput, at path: JSONPath,
                            located: (ParameterError, JSONPath) -> InputError) throws(InputError) -> UnderlyingRiskParameters {
        var shock = VolatilityShock.relative(up: 0.25, down: 0.25)
        if let given = input.volatilityShock {
            let up = given.up?.value ?? 0, down = given.down?.value ?? 0
            switch given.kind {
            case "absolute": shock = .absolute(up: up, down: down)
            case "relative": shock = .relative(up: up, down: down)
            case "deribit":
                shock = .deribit(rangeUp: up, rangeDown: down, minimumUp: given.minimumUp?.value ?? 0,
                                 shortTermPower: given.shortTermPower?.value ?? 0, longTermPower: given.longTermPower?.value ?? 0)
            case let other: throw path.key("volatility_shock").key("kind").error("\"\(other)\" is not absolute, relative or deribit")
            }
        }
        var calendar: CalendarSpreadCharge?
        if let given = input.calendarSpread {
            var pairs: [CalendarSpreadCharge.ExpiryPair: Double] = [:]
            for (i, pair) in (given.pairCharges ?? []).enumerated() {
                let at = path.key("calendar_spread").key("pair_charges").index(i)
                guard pair.expiries.count == 2, pair.expiries[0] != pair.expiries[1] else {
                    throw at.key("expiries").error("needs two different tenors (a time, or null for the perpetual), not \(pair.expiries.count)")
                }
                guard pair.charge.value.isFinite, pair.charge.value >= 0, pair.charge.value <= 1e15 else {
                    throw at.key("charge").error("\(pair.charge.value) is not a charge from 0 to 1e15")
                }
                let key = CalendarSpreadCharge.ExpiryPair(pair.expiries[0]?.value, pair.expiries[1]?.value)
                guard pairs.updateValue(pair.charge.value, forKey: key) == nil else { throw at.key("expiries").error("repeats an earlier pair") }
            }
            calendar = CalendarSpreadCharge(floorRate: given.floorRate?.value ?? 0, annualRate: given.annualRate?.value ?? 0, pairCharges: pairs)
        }
        do throws(ParameterError) {
            return try UnderlyingRiskParameters(
                priceScanRange: input.priceScanRange.value, volatilityShock: shock,
                calendarSpread: calendar,
                shortOptionMinimumRate: input.shortOptionMinimumRate?.value ?? 0, deltaShockRate: input.deltaShockRate?.value ?? 0,
                deltaShockThreshold: input.deltaShockThreshold?.value ?? 0, rollShockRate: input.rollShockRate?.value ?? 0,
                minimumCharge: input.minimumCharge?.value ?? 0)
        } catch {
            throw located(error, path)
        }
    }

    private func aggregation(_ input: PortfolioInput.AggregationInput, at path: JSONPath, asset: (String, JSONPath) throws(InputError) -> AssetID?,
                             located: (ParameterError, JSONPath) -> InputError) throws(InputError) -> CrossUnderlyingAggregation {
        switch input.kind {
        case "sum":
            return .sum
        case "correlation":
            let symbols = input.underlyings ?? []
            let matrix = (input.matrix ?? []).map { $0.map(\.value) }
            guard matrix.count == symbols.count, matrix.allSatisfy({ $0.count == symbols.count }) else {
                throw path.key("matrix").error("must be \(symbols.count)×\(symbols.count), one row and column per underlying")
            }
            var kept: [(id: AssetID, row: Int)] = []
            for (i, symbol) in symbols.enumerated() where symbols[..<i].contains(symbol) {
                throw path.key("underlyings").index(i).error("\"\(symbol)\" is listed twice: one row and column per underlying")
            }
            for (i, symbol) in symbols.enumerated() {
                if let id = try asset(symbol, path.key("underlyings").index(i)) { kept.append((id, i)) }
            }
            let stress = max(0, min(1, input.stressTowardOne?.value ?? 0))
            let reduced = kept.map { a in kept.map { b in a.row == b.row ? 1 : matrix[a.row][b.row] + stress * (1 - matrix[a.row][b.row]) } }
            do throws(ParameterError) {
                return .correlation(try CorrelationOffsets(underlyings: kept.map(\.id), matrix: reduced,
                                                           maximumCreditFraction: input.maximumCreditFraction?.value ?? 1))
            } catch {
                throw located(error, path)
            }
        case "inter_spreads":
            var rules: [InterSpreadCredit] = []
            for (i, spread) in (input.spreads ?? []).enumerated() {
                let at = path.key("spreads").index(i)
                var ids: [AssetID] = []
                for (k, leg) in spread.legs.enumerated() {
                    if let id = try asset(leg.underlying, at.key("legs").index(k)) { ids.append(id) }
                }
                guard ids.count == spread.legs.count else { continue }
                do throws(ParameterError) {
                    rules.append(try InterSpreadCredit(underlyings: ids, ratios: spread.legs.map(\.ratio.value), rate: spread.rate.value))
                } catch {
                    throw located(error, at)
                }
            }
            return .interSpreads(rules)
        case let other:
            throw path.key("kind").error("\"\(other)\" is not sum, correlation or inter_spreads")
        }
    }
}
