import BallastCore

/// A portfolio-margin parameter document (`Presets/portfolio/*.json`, or inline under `"portfolio"`).
struct PortfolioInput: Decodable, Sendable {
    var provenance: ProvenanceInput
    var grid: String?
    var scenarios: [ScenarioInput]?
    var lookAheadDays: RealNumber?
    var defaultUnderlying: UnderlyingInput
    var underlyings: [String: UnderlyingInput]?
    var aggregation: AggregationInput?
    var initialFactor: RealNumber?
    var maintenanceFactor: RealNumber?
    var collateralInScenarios: String?
    var netOptionValue: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, version, effective, source, description, grid, scenarios, lookAheadDays = "look_ahead_days"
        case defaultUnderlying = "default_underlying", underlyings, aggregation, initialFactor = "initial_factor"
        case maintenanceFactor = "maintenance_factor", collateralInScenarios = "collateral_in_scenarios", netOptionValue = "net_option_value"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        provenance = try ProvenanceInput(c, name: .name, version: .version, effective: .effective, source: .source)
        grid = try c.decodeIfPresent(String.self, forKey: .grid)
        scenarios = try c.decodeIfPresent([ScenarioInput].self, forKey: .scenarios)
        guard (grid == nil) != (scenarios == nil) else {
            throw DecodingError.dataCorruptedError(forKey: .grid, in: c, debugDescription: "give either a named grid or a list of scenarios")
        }
        lookAheadDays = try c.decodeIfPresent(RealNumber.self, forKey: .lookAheadDays)
        defaultUnderlying = try c.decode(UnderlyingInput.self, forKey: .defaultUnderlying)
        underlyings = try c.decodeIfPresent([String: UnderlyingInput].self, forKey: .underlyings)
        aggregation = try c.decodeIfPresent(AggregationInput.self, forKey: .aggregation)
        initialFactor = try c.decodeIfPresent(RealNumber.self, forKey: .initialFactor)
        maintenanceFactor = try c.decodeIfPresent(RealNumber.self, forKey: .maintenanceFactor)
        collateralInScenarios = try c.decodeIfPresent(String.self, forKey: .collateralInScenarios)
        netOptionValue = try c.decodeIfPresent(String.self, forKey: .netOptionValue)
    }

    struct ScenarioInput: Decodable, Sendable {
        var label: String?
        var scanRange: RealNumber?
        var move: RealNumber?
        var volatility: String?
        var weight: RealNumber?

        enum CodingKeys: String, CodingKey, CaseIterable { case label, scanRange = "scan_range", move, volatility, weight }

        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            label = try c.decodeIfPresent(String.self, forKey: .label)
            scanRange = try c.decodeIfPresent(RealNumber.self, forKey: .scanRange)
            move = try c.decodeIfPresent(RealNumber.self, forKey: .move)
            guard (scanRange == nil) != (move == nil) else {
                throw DecodingError.dataCorruptedError(forKey: .move, in: c, debugDescription: "give either scan_range (a multiple of the scan range) or move (relative)")
            }
            volatility = try c.decodeIfPresent(String.self, forKey: .volatility)
            weight = try c.decodeIfPresent(RealNumber.self, forKey: .weight)
        }
    }

    struct UnderlyingInput: Decodable, Sendable {
        var priceScanRange: RealNumber
        var volatilityShock: VolatilityShockInput?
        var calendarSpread: CalendarInput?
        var shortOptionMinimumRate: RealNumber?
        var deltaShockRate: RealNumber?
        var deltaShockThreshold: RealNumber?
        var rollShockRate: RealNumber?
        var minimumCharge: RealNumber?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case priceScanRange = "price_scan_range", volatilityShock = "volatility_shock", calendarSpread = "calendar_spread"
            case shortOptionMinimumRate = "short_option_minimum_rate", deltaShockRate = "delta_shock_rate"
            case deltaShockThreshold = "delta_shock_threshold", rollShockRate = "roll_shock_rate", minimumCharge = "minimum_charge"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            priceScanRange = try c.decode(RealNumber.self, forKey: .priceScanRange)
            volatilityShock = try c.decodeIfPresent(VolatilityShockInput.self, forKey: .volatilityShock)
            calendarSpread = try c.decodeIfPresent(CalendarInput.self, forKey: .calendarSpread)
            shortOptionMinimumRate = try c.decodeIfPresent(RealNumber.self, forKey: .shortOptionMinimumRate)
            deltaShockRate = try c.decodeIfPresent(RealNumber.self, forKey: .deltaShockRate)
            deltaShockThreshold = try c.decodeIfPresent(RealNumber.self, forKey: .deltaShockThreshold)
            rollShockRate = try c.decodeIfPresent(RealNumber.self, forKey: .rollShockRate)
            minimumCharge = try c.decodeIfPresent(RealNumber.self, forKey: .minimumCharge)
        }
    }

    struct VolatilityShockInput: Decodable, Sendable {
        var kind: String
        var up: RealNumber?
        var down: RealNumber?
        var minimumUp: RealNumber?
        var shortTermPower: RealNumber?
        var longTermPower: RealNumber?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case kind, up, down, minimumUp = "minimum_up", shortTermPower = "short_term_power", longTermPower = "long_term_power"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            kind = try c.decode(String.self, forKey: .kind)
            up = try c.decodeIfPresent(RealNumber.self, forKey: .up)
            down = try c.decodeIfPresent(RealNumber.self, forKey: .down)
            minimumUp = try c.decodeIfPresent(RealNumber.self, forKey: .minimumUp)
            shortTermPower = try c.decodeIfPresent(RealNumber.self, forKey: .shortTermPower)
            longTermPower = try c.decodeIfPresent(RealNumber.self, forKey: .longTermPower)
        }
    }

    struct CalendarInput: Decodable, Sendable {
        var floorRate: RealNumber?
        var annualRate: RealNumber?
        var pairCharges: [PairChargeInput]?
        enum CodingKeys: String, CodingKey, CaseIterable { case floorRate = "floor_rate", annualRate = "annual_rate", pairCharges = "pair_charges" }
        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            floorRate = try c.decodeIfPresent(RealNumber.self, forKey: .floorRate)
            annualRate = try c.decodeIfPresent(RealNumber.self, forKey: .annualRate)
            pairCharges = try c.decodeIfPresent([PairChargeInput].self, forKey: .pairCharges)
        }
    }

    /// A stated charge per unit of spread between two tenors (`null`: the perpetual), as a clearing house publishes
    /// per-pair intra-commodity spread charges (CME: months 2 and 3 charged 200, 3 and 4 charged 0 at the same gap).
    struct PairChargeInput: Decodable, Sendable {
        var expiries: [InputTime?]
        var charge: RealNumber
        enum CodingKeys: String, CodingKey, CaseIterable { case expiries, charge }
        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            expiries = try c.decode([InputTime?].self, forKey: .expiries)
            charge = try c.decode(RealNumber.self, forKey: .charge)
        }
    }

    struct AggregationInput: Decodable, Sendable {
        var kind: String
        var underlyings: [String]?
        var matrix: [[RealNumber]]?
        var stressTowardOne: RealNumber?
        var maximumCreditFraction: RealNumber?
        var spreads: [SpreadInput]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case kind, underlyings, matrix, stressTowardOne = "stress_toward_one", maximumCreditFraction = "maximum_credit_fraction", spreads
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            kind = try c.decode(String.self, forKey: .kind)
            underlyings = try c.decodeIfPresent([String].self, forKey: .underlyings)
            matrix = try c.decodeIfPresent([[RealNumber]].self, forKey: .matrix)
            stressTowardOne = try c.decodeIfPresent(RealNumber.self, forKey: .stressTowardOne)
            maximumCreditFraction = try c.decodeIfPresent(RealNumber.self, forKey: .maximumCreditFraction)
            spreads = try c.decodeIfPresent([SpreadInput].self, forKey: .spreads)
        }
    }

    struct SpreadInput: Decodable, Sendable {
        var legs: [LegInput]
        var rate: RealNumber
        enum CodingKeys: String, CodingKey, CaseIterable { case legs, rate }
        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            legs = try c.decode([LegInput].self, forKey: .legs)
            rate = try c.decode(RealNumber.self, forKey: .rate)
        }
    }

    struct LegInput: Decodable, Sendable {
        var underlying: String
        var ratio: RealNumber
        enum CodingKeys: String, CodingKey, CaseIterable { case underlying, ratio }
        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            underlying = try c.decode(String.self, forKey: .underlying)
            ratio = try c.decode(RealNumber.self, forKey: .ratio)
        }
    }
}

/// Named scenario grids.
enum ScenarioGrids {
    static let names = ["span-16", "deribit-9x3-extended", "ballast-crypto-33"]

    /// The scenarios of a named grid.
    static func scenarios(_ name: String, underlying: UnderlyingRiskParameters) -> [Scenario]? {
        switch name {
        case "span-16":
            return ScenarioSet.span16().scenarios
        case "deribit-9x3-extended":
            // 9 price points k·range/4 (k = −4…4) × volatility up / unchanged / down, then the extended moves with
            // volatility up, each weighted range/|move| with each underlying's own range, so a delta-one position's
            // extended loss equals its edge loss (the weight shown is the default underlying's).
            var scenarios: [Scenario] = []
            for k in -4...4 {
                for volatility in [Scenario.VolatilityMove.up, .none, .down] {
                    scenarios.append(Scenario(label: "\(k > 0 ? "+" : "")\(k)/4 range, vol \(volatility.rawValue)", price: .scanRange(Double(k) / 4),
                                              volatility: volatility))
                }
            }
            for move in [-0.66, -0.33, 0.5, 1, 2, 3, 4, 5] {
                scenarios.append(Scenario(label: "extended \(move > 0 ? "+" : "")\(Int((move * 100).rounded())) %, vol up", price: .relative(move),
                                          volatility: .up, weight: min(1, underlying.priceScanRange / abs(move)), weightPerScanRange: 1 / abs(move)))
            }
            return scenarios
        case "ballast-crypto-33":
            // 9 price points × 3 volatility moves, then tails at ±2 and ±3 scan ranges (volatility up) and ±1.5 with
            // volatility down, weighted so a delta-one position's tail loss is 1.25 scan ranges: gap risk beyond the edge.
            var scenarios: [Scenario] = []
            for k in -4...4 {
                for volatility in [Scenario.VolatilityMove.up, .none, .down] {
                    scenarios.append(Scenario(label: "\(k > 0 ? "+" : "")\(k)/4 range, vol \(volatility.rawValue)", price: .scanRange(Double(k) / 4),
                                              volatility: volatility))
                }
            }
            for (multiple, volatility) in [(2.0, Scenario.VolatilityMove.up), (-2, .up), (3, .up), (-3, .up), (1.5, .down), (-1.5, .down)] {
                scenarios.append(Scenario(label: "tail \(multiple > 0 ? "+" : "")\(multiple) range, vol \(volatility.rawValue)",
                                          price: .scanRange(multiple), volatility: volatility, weight: 1.25 / abs(multiple)))
            }
            return scenarios
        default:
            return nil
        }
    }
}
