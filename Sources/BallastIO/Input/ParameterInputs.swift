import BallastCore

/// Either the name of a shipped preset or the parameters written inline.
enum PresetOrInline<Inline: Decodable & Sendable>: Decodable, Sendable {
    case named(String)
    case inline(Inline)

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.singleValueContainer(), let name = try? container.decode(String.self) {
            self = .named(name)
        } else {
            self = .inline(try Inline(from: decoder))
        }
    }
}

/// Provenance fields every parameter document may carry.
struct ProvenanceInput: Sendable {
    var name: String?
    var version: String?
    var effective: InputTime?
    var source: String?

    init(name: String? = nil) {
        self.name = name
    }

    /// Reads the four provenance members of a parameter document.
    init<Keys: CodingKey>(_ c: KeyedDecodingContainer<Keys>, name: Keys, version: Keys, effective: Keys, source: Keys) throws {
        self.name = try c.decodeIfPresent(String.self, forKey: name)
        self.version = try c.decodeIfPresent(String.self, forKey: version)
        self.effective = try c.decodeIfPresent(InputTime.self, forKey: effective)
        self.source = try c.decodeIfPresent(String.self, forKey: source)
    }

    func info(defaultName: String) -> ParameterSetInfo {
        ParameterSetInfo(name: name ?? defaultName, version: version ?? "1",
                         effective: effective?.value ?? Timestamp(millisecondsSinceEpoch: 0), source: source)
    }
}

/// A margin schedule document (shape-specific fields are checked against the shape by the resolver).
struct MarginScheduleInput: Decodable, Sendable {
    var provenance: ProvenanceInput
    var shape: String
    var notionalBasis: String?
    var maintenanceRule: String?
    var initialRule: String?
    var tierMeasure: String?
    var closeFeeRate: RealNumber?
    var closeFeeBasis: String?
    var maintenanceCloseFeeBasis: String?
    var fixedMarginPerPosition: RealNumber?
    var tiers: [TierInput]?
    var fields: [String: RealNumber]

    struct TierInput: Decodable, Sendable {
        var floor: RealNumber
        var maxLeverage: RealNumber
        var maintenanceRate: RealNumber?
        var deduction: RealNumber?
        var adjustmentFactor: RealNumber?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case floor, maxLeverage = "max_leverage", maintenanceRate = "maintenance_rate", deduction, adjustmentFactor = "adjustment_factor"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            floor = try c.decode(RealNumber.self, forKey: .floor)
            maxLeverage = try c.decode(RealNumber.self, forKey: .maxLeverage)
            maintenanceRate = try c.decodeIfPresent(RealNumber.self, forKey: .maintenanceRate)
            deduction = try c.decodeIfPresent(RealNumber.self, forKey: .deduction)
            adjustmentFactor = try c.decodeIfPresent(RealNumber.self, forKey: .adjustmentFactor)
        }
    }

    /// Numeric fields by shape.
    static let numericFields: [String: [String]] = [
        "tiered": [],
        "initial_fraction": [],
        "risk_limit_steps": ["base_limit", "step_size", "base_maintenance_rate", "base_initial_rate", "maintenance_increment", "initial_increment"],
        "size_scaled": ["base_initial_rate", "base_maintenance_rate", "initial_per_unit", "maintenance_per_unit"],
        "open_interest_scaled": ["base_initial_fraction", "maintenance_fraction", "lower_cap", "upper_cap"],
        "size_premium": ["initial_ratio", "maintenance_ratio", "premium_factor", "premium_discount"],
    ]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, version, effective, source, description, shape
        case notionalBasis = "notional_basis", maintenanceRule = "maintenance_rule", initialRule = "initial_rule", tierMeasure = "tier_measure",
             closeFeeRate = "close_fee_rate", closeFeeBasis = "close_fee_basis", maintenanceCloseFeeBasis = "maintenance_close_fee_basis",
             fixedMarginPerPosition = "fixed_margin_per_position", tiers
        case baseLimit = "base_limit", stepSize = "step_size", baseMaintenanceRate = "base_maintenance_rate"
        case baseInitialRate = "base_initial_rate", maintenanceIncrement = "maintenance_increment", initialIncrement = "initial_increment"
        case initialPerUnit = "initial_per_unit", maintenancePerUnit = "maintenance_per_unit"
        case baseInitialFraction = "base_initial_fraction", maintenanceFraction = "maintenance_fraction", lowerCap = "lower_cap", upperCap = "upper_cap"
        case initialRatio = "initial_ratio", maintenanceRatio = "maintenance_ratio", premiumFactor = "premium_factor", premiumDiscount = "premium_discount"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        provenance = try ProvenanceInput(c, name: .name, version: .version, effective: .effective, source: .source)
        shape = try c.decode(String.self, forKey: .shape)
        guard let allowed = Self.numericFields[shape] else {
            throw DecodingError.dataCorruptedError(forKey: .shape, in: c, debugDescription:
                "unknown shape \"\(shape)\" (expected one of: \(Self.numericFields.keys.sorted().joined(separator: ", ")))")
        }
        notionalBasis = try c.decodeIfPresent(String.self, forKey: .notionalBasis)
        maintenanceRule = try c.decodeIfPresent(String.self, forKey: .maintenanceRule)
        initialRule = try c.decodeIfPresent(String.self, forKey: .initialRule)
        tierMeasure = try c.decodeIfPresent(String.self, forKey: .tierMeasure)
        closeFeeRate = try c.decodeIfPresent(RealNumber.self, forKey: .closeFeeRate)
        closeFeeBasis = try c.decodeIfPresent(String.self, forKey: .closeFeeBasis)
        maintenanceCloseFeeBasis = try c.decodeIfPresent(String.self, forKey: .maintenanceCloseFeeBasis)
        fixedMarginPerPosition = try c.decodeIfPresent(RealNumber.self, forKey: .fixedMarginPerPosition)
        tiers = try c.decodeIfPresent([TierInput].self, forKey: .tiers)
        var fields: [String: RealNumber] = [:]
        for key in CodingKeys.allCases where MarginScheduleInput.numericFields.values.contains(where: { $0.contains(key.stringValue) }) {
            guard let value = try c.decodeIfPresent(RealNumber.self, forKey: key) else { continue }
            guard allowed.contains(key.stringValue) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "field \"\(key.stringValue)\" does not apply to shape \"\(shape)\"")
            }
            fields[key.stringValue] = value
        }
        let ladder = shape == "tiered" || shape == "initial_fraction"
        if ladder, tiers == nil {
            throw DecodingError.keyNotFound(CodingKeys.tiers, DecodingError.Context(codingPath: c.codingPath, debugDescription: "a \(shape) schedule needs tiers"))
        }
        // The members only a ladder has (and, of those, only a cum ladder).
        for (key, present, allowed) in [(CodingKeys.tiers, tiers != nil, ladder), (.initialRule, initialRule != nil, shape == "tiered"),
                                        (.tierMeasure, tierMeasure != nil, shape == "tiered"), (.maintenanceRule, maintenanceRule != nil, shape == "tiered")]
            where present && !allowed {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "field \"\(key.stringValue)\" does not apply to shape \"\(shape)\"")
        }
        for name in allowed where fields[name] == nil {
            throw DecodingError.keyNotFound(AnyCodingKey(stringValue: name), DecodingError.Context(codingPath: c.codingPath, debugDescription: "required by shape \(shape)"))
        }
        self.fields = fields
    }
}

/// A collateral haircut document; also accepted as a bare number (one ratio for the whole balance).
struct HaircutInput: Decodable, Sendable {
    var provenance: ProvenanceInput
    var bound: String?
    var tiers: [TierInput]
    var liabilityWeight: RealNumber?

    struct TierInput: Decodable, Sendable {
        var floor: RealNumber
        var ratio: RealNumber
        enum CodingKeys: String, CodingKey, CaseIterable { case floor, ratio }
        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            floor = try c.decode(RealNumber.self, forKey: .floor)
            ratio = try c.decode(RealNumber.self, forKey: .ratio)
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, version, effective, source, description, bound, tiers, liabilityWeight = "liability_weight"
    }

    init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let ratio = try? single.decode(Double.self) {
            provenance = ProvenanceInput(name: "inline")
            bound = nil
            tiers = [TierInput(floor: RealNumber(0), ratio: RealNumber(ratio))]
            liabilityWeight = nil
            return
        }
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        provenance = try ProvenanceInput(c, name: .name, version: .version, effective: .effective, source: .source)
        bound = try c.decodeIfPresent(String.self, forKey: .bound)
        tiers = try c.decode([TierInput].self, forKey: .tiers)
        liabilityWeight = try c.decodeIfPresent(RealNumber.self, forKey: .liabilityWeight)
    }
}

extension HaircutInput.TierInput {
    init(floor: RealNumber, ratio: RealNumber) {
        self.floor = floor
        self.ratio = ratio
    }
}

/// Standard option margin document for one underlying.
struct OptionMarginInput: Decodable, Sendable {
    var provenance: ProvenanceInput
    var call: RatesInput
    var put: RatesInput
    var longValueWeight: RealNumber?
    /// `"index"` (default) or `"forward"`: the price a short option's out-of-the-money amount is measured against.
    var otmReference: String?
    /// `[{"floor", "factor"}]`: the margin factor by the size of the account's short options on the underlying.
    var marginFactorTiers: [FactorTierInput]?

    struct FactorTierInput: Decodable, Sendable {
        var floor: RealNumber
        var factor: RealNumber

        enum CodingKeys: String, CodingKey, CaseIterable { case floor, factor }

        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            floor = try c.decode(RealNumber.self, forKey: .floor)
            factor = try c.decode(RealNumber.self, forKey: .factor)
        }
    }

    struct RatesInput: Decodable, Sendable {
        var otmInitialRate: RealNumber
        var minimumInitialRate: RealNumber
        var maintenanceRate: RealNumber
        var maintenanceMarkRate: RealNumber?
        var initialFeeRate: RealNumber?
        var maintenanceFeeRate: RealNumber?
        var initialAtLeastMaintenance: Bool?
        var initialPremium: String?
        var marginFactor: RealNumber?
        var minimumInitialMarkRate: RealNumber?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case otmInitialRate = "otm_initial_rate", minimumInitialRate = "minimum_initial_rate", maintenanceRate = "maintenance_rate"
            case maintenanceMarkRate = "maintenance_mark_rate", initialFeeRate = "initial_fee_rate", maintenanceFeeRate = "maintenance_fee_rate"
            case initialAtLeastMaintenance = "initial_at_least_maintenance", initialPremium = "initial_premium"
            case marginFactor = "margin_factor", minimumInitialMarkRate = "minimum_initial_mark_rate"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            otmInitialRate = try c.decode(RealNumber.self, forKey: .otmInitialRate)
            minimumInitialRate = try c.decode(RealNumber.self, forKey: .minimumInitialRate)
            maintenanceRate = try c.decode(RealNumber.self, forKey: .maintenanceRate)
            maintenanceMarkRate = try c.decodeIfPresent(RealNumber.self, forKey: .maintenanceMarkRate)
            initialFeeRate = try c.decodeIfPresent(RealNumber.self, forKey: .initialFeeRate)
            maintenanceFeeRate = try c.decodeIfPresent(RealNumber.self, forKey: .maintenanceFeeRate)
            initialAtLeastMaintenance = try c.decodeIfPresent(Bool.self, forKey: .initialAtLeastMaintenance)
            initialPremium = try c.decodeIfPresent(String.self, forKey: .initialPremium)
            marginFactor = try c.decodeIfPresent(RealNumber.self, forKey: .marginFactor)
            minimumInitialMarkRate = try c.decodeIfPresent(RealNumber.self, forKey: .minimumInitialMarkRate)
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, version, effective, source, description, call, put, longValueWeight = "long_value_weight", otmReference = "otm_reference"
        case marginFactorTiers = "margin_factor_tiers"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        provenance = try ProvenanceInput(c, name: .name, version: .version, effective: .effective, source: .source)
        call = try c.decode(RatesInput.self, forKey: .call)
        put = try c.decode(RatesInput.self, forKey: .put)
        longValueWeight = try c.decodeIfPresent(RealNumber.self, forKey: .longValueWeight)
        otmReference = try c.decodeIfPresent(String.self, forKey: .otmReference)
        marginFactorTiers = try c.decodeIfPresent([FactorTierInput].self, forKey: .marginFactorTiers)
    }
}

/// Health band thresholds document.
struct HealthBandsInput: Decodable, Sendable {
    var provenance: ProvenanceInput
    var warningBelow: ExactNumber
    var reduceOnlyBelow: ExactNumber
    var liquidationBelow: ExactNumber
    var boundaryIsWorse: Bool?
    var exitBuffer: ExactNumber?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, version, effective, source, description
        case warningBelow = "warning_below", reduceOnlyBelow = "reduce_only_below", liquidationBelow = "liquidation_below"
        case boundaryIsWorse = "boundary_is_worse", exitBuffer = "exit_buffer"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        provenance = try ProvenanceInput(c, name: .name, version: .version, effective: .effective, source: .source)
        warningBelow = try c.decode(ExactNumber.self, forKey: .warningBelow)
        reduceOnlyBelow = try c.decode(ExactNumber.self, forKey: .reduceOnlyBelow)
        liquidationBelow = try c.decode(ExactNumber.self, forKey: .liquidationBelow)
        boundaryIsWorse = try c.decodeIfPresent(Bool.self, forKey: .boundaryIsWorse)
        exitBuffer = try c.decodeIfPresent(ExactNumber.self, forKey: .exitBuffer)
    }
}
