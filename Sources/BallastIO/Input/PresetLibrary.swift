import BallastCore
import BallastPresets
import Foundation

/// Finds parameter presets by name: first in an optional directory of the user's (`DIR/margin/NAME.json`, …), then
/// among the presets shipped in `Presets/`.
public struct PresetLibrary: Sendable {
    /// A directory searched before the shipped presets, if any.
    public var directory: String?

    /// A library over the shipped presets and, optionally, a directory of the user's.
    public init(directory: String? = nil) { self.directory = directory }

    /// The JSON of a preset, or `nil`.
    func data(_ kind: BallastPresets.Kind, named name: String) -> Data? {
        if let directory {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(kind.rawValue).appendingPathComponent(name + ".json")
            if let data = try? Data(contentsOf: url) { return data }
        }
        return BallastPresets.data(kind, named: name)
    }

    /// The names available for a kind.
    public func names(_ kind: BallastPresets.Kind) -> [String] {
        var names = Set(BallastPresets.names(kind))
        if let directory, let files = try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + kind.rawValue) {
            for file in files where file.hasSuffix(".json") { names.insert(String(file.dropLast(5))) }
        }
        return names.sorted()
    }

    /// Resolves a reference to a preset, decoding the named file or taking the inline document.
    func resolve<Inline: Decodable & Sendable>(_ reference: PresetOrInline<Inline>, kind: BallastPresets.Kind, path: JSONPath) throws(InputError) -> (Inline, String) {
        switch reference {
        case .inline(let inline):
            return (inline, "inline")
        case .named(let name):
            guard let data = data(kind, named: name) else {
                throw path.error("unknown \(kind.rawValue) preset \"\(name)\" (available: \(names(kind).joined(separator: ", ")))")
            }
            let inline: Inline = try StrictJSON.decode(data, prefix: "preset \(kind.rawValue)/\(name)")
            return (inline, name)
        }
    }

    /// A margin schedule from a reference.
    func schedule(_ reference: PresetOrInline<MarginScheduleInput>, path: JSONPath) throws(InputError) -> MarginSchedule {
        let (input, name) = try resolve(reference, kind: .margin, path: path)
        let info = input.provenance.info(defaultName: name)
        let basis: NotionalBasis
        switch input.notionalBasis ?? "mark" {
        case "mark": basis = .mark
        case "entry": basis = .entry
        case let other: throw path.key("notional_basis").error("\"\(other)\" is not mark or entry")
        }
        guard let closeFeeBasis = CloseFeeBasis(rawValue: input.closeFeeBasis ?? "mark") else {
            throw path.key("close_fee_basis").error("\"\(input.closeFeeBasis ?? "")\" is not mark or bankruptcy")
        }
        guard let maintenanceCloseFeeBasis = CloseFeeBasis(rawValue: input.maintenanceCloseFeeBasis ?? closeFeeBasis.rawValue) else {
            throw path.key("maintenance_close_fee_basis").error("\"\(input.maintenanceCloseFeeBasis ?? "")\" is not mark or bankruptcy")
        }
        let field = { (name: String) -> Double in input.fields[name]?.value ?? 0 }
        do throws(ParameterError) {
            let shape: MarginSchedule.Shape
            switch input.shape {
            case "tiered":
                let tiers = input.tiers ?? []
                if let k = tiers.firstIndex(where: { $0.adjustmentFactor != nil }) {
                    throw ParameterError(field: "tiers[\(k)].adjustment_factor", value: "given", reason: "applies only to an initial_fraction ladder")
                }
                let floors = tiers.map(\.floor.value)
                let leverages = tiers.map(\.maxLeverage.value)
                guard let initialRule = TierTable.InitialRule(rawValue: input.initialRule ?? "whole") else {
                    throw ParameterError(field: "initial_rule", value: input.initialRule ?? "", reason: "must be whole or sliced")
                }
                guard let measure = TierTable.Measure(rawValue: input.tierMeasure ?? "notional") else {
                    throw ParameterError(field: "tier_measure", value: input.tierMeasure ?? "", reason: "must be notional or contracts")
                }
                switch input.maintenanceRule ?? "stated" {
                case "half_initial":
                    shape = .tiered(try TierTable.halfInitial(floors: floors, maxLeverages: leverages, initialRule: initialRule, measure: measure))
                case "stated":
                    var rates: [Double] = []
                    for (k, tier) in tiers.enumerated() {
                        guard let rate = tier.maintenanceRate?.value else {
                            throw ParameterError(field: "tiers[\(k)].maintenance_rate", value: "missing", reason: "required when maintenance_rule is stated")
                        }
                        rates.append(rate)
                    }
                    let stated = tiers.allSatisfy { $0.deduction != nil } ? tiers.map { $0.deduction?.value ?? 0 } : nil
                    shape = .tiered(try TierTable(floors: floors, maxLeverages: leverages, maintenanceRates: rates, statedDeductions: stated,
                                                      initialRule: initialRule, measure: measure))
                case let other:
                    throw ParameterError(field: "maintenance_rule", value: other, reason: "must be stated or half_initial")
                }
            case "initial_fraction":
                let tiers = input.tiers ?? []
                var factors: [Double] = []
                for (k, tier) in tiers.enumerated() {
                    if tier.maintenanceRate != nil || tier.deduction != nil {
                        throw ParameterError(field: "tiers[\(k)].\(tier.maintenanceRate != nil ? "maintenance_rate" : "deduction")", value: "given",
                                             reason: "an initial_fraction ladder takes adjustment_factor instead")
                    }
                    guard let factor = tier.adjustmentFactor?.value else {
                        throw ParameterError(field: "tiers[\(k)].adjustment_factor", value: "missing", reason: "required by an initial_fraction ladder")
                    }
                    factors.append(factor)
                }
                shape = .initialFraction(try InitialFractionLadder(floors: tiers.map(\.floor.value), maxLeverages: tiers.map(\.maxLeverage.value),
                                                                   adjustmentFactors: factors))
            case "risk_limit_steps":
                shape = .riskLimitSteps(try RiskLimitSteps(
                    baseLimit: field("base_limit"), stepSize: field("step_size"), baseMaintenanceRate: field("base_maintenance_rate"),
                    baseInitialRate: field("base_initial_rate"), maintenanceIncrement: field("maintenance_increment"),
                    initialIncrement: field("initial_increment")))
            case "size_scaled":
                shape = .sizeScaled(try SizeScaledRates(
                    baseInitialRate: field("base_initial_rate"), baseMaintenanceRate: field("base_maintenance_rate"),
                    initialPerUnit: field("initial_per_unit"), maintenancePerUnit: field("maintenance_per_unit")))
            case "size_premium":
                shape = .sizePremium(try SizePremiumRates(
                    initialRatio: field("initial_ratio"), maintenanceRatio: field("maintenance_ratio"),
                    premiumFactor: field("premium_factor"), premiumDiscount: field("premium_discount")))
            default:
                shape = .openInterestScaled(try OpenInterestScaledRates(
                    baseInitialFraction: field("base_initial_fraction"), maintenanceFraction: field("maintenance_fraction"),
                    lowerCap: field("lower_cap"), upperCap: field("upper_cap")))
            }
            let closeFeeRate = input.closeFeeRate?.value ?? 0
            guard closeFeeRate >= 0, closeFeeRate <= 0.05 else {
                throw ParameterError(field: "close_fee_rate", value: "\(closeFeeRate)", reason: "must be a fee rate from 0 to 0.05")
            }
            let fixedMargin = input.fixedMarginPerPosition?.value ?? 0
            guard fixedMargin.isFinite, fixedMargin >= 0, fixedMargin <= 1e15 else {
                throw ParameterError(field: "fixed_margin_per_position", value: "\(fixedMargin)",
                                     reason: "must be an amount of the settlement asset from 0 to 1e15")
            }
            return MarginSchedule(shape: shape, notionalBasis: basis, closeFeeRate: closeFeeRate, closeFeeBasis: closeFeeBasis,
                                  maintenanceCloseFeeBasis: maintenanceCloseFeeBasis,
                                  fixedMarginPerPosition: fixedMargin, info: info)
        } catch {
            throw parameterError(error, path: path, preset: name)
        }
    }

    /// A haircut schedule from a reference.
    func haircut(_ reference: PresetOrInline<HaircutInput>, path: JSONPath) throws(InputError) -> HaircutSchedule {
        let (input, name) = try resolve(reference, kind: .collateral, path: path)
        let bound: HaircutSchedule.TierBound
        switch input.bound ?? "quantity" {
        case "quantity": bound = .quantity
        case "value": bound = .value
        case let other: throw path.key("bound").error("\"\(other)\" is not quantity or value")
        }
        do throws(ParameterError) {
            return try HaircutSchedule(bound: bound, floors: input.tiers.map(\.floor.value), ratios: input.tiers.map(\.ratio.value),
                                       liabilityWeight: input.liabilityWeight?.value ?? 1, info: input.provenance.info(defaultName: name))
        } catch {
            throw parameterError(error, path: path, preset: name)
        }
    }

    /// Option margin parameters from a reference.
    func optionMargin(_ reference: PresetOrInline<OptionMarginInput>, path: JSONPath) throws(InputError) -> OptionMarginParameters {
        let (input, name) = try resolve(reference, kind: .options, path: path)
        /// The rates of one right; an error names the right's member (`call.maintenance_rate`).
        func rates(_ r: OptionMarginInput.RatesInput, right: String) throws(ParameterError) -> ShortOptionRates {
            do throws(ParameterError) {
                guard let premium = ShortOptionRates.InitialPremium(rawValue: r.initialPremium ?? "mark") else {
                    throw ParameterError(field: "initial_premium", value: r.initialPremium ?? "", reason: "must be mark or max_entry_mark")
                }
                return try ShortOptionRates(otmInitialRate: r.otmInitialRate.value, minimumInitialRate: r.minimumInitialRate.value,
                                            maintenanceRate: r.maintenanceRate.value, maintenanceMarkRate: r.maintenanceMarkRate?.value ?? 0,
                                            initialFeeRate: r.initialFeeRate?.value ?? 0, maintenanceFeeRate: r.maintenanceFeeRate?.value ?? 0,
                                            initialAtLeastMaintenance: r.initialAtLeastMaintenance ?? false, initialPremium: premium,
                                            marginFactor: r.marginFactor?.value ?? 1, minimumInitialMarkRate: r.minimumInitialMarkRate?.value ?? 0)
            } catch {
                throw ParameterError(field: "\(right).\(error.field)", value: error.value, reason: error.reason)
            }
        }
        do throws(ParameterError) {
            guard let moneyness = OptionMarginParameters.MoneynessReference(rawValue: input.otmReference ?? "index") else {
                throw ParameterError(field: "otm_reference", value: input.otmReference ?? "", reason: "must be index or forward")
            }
            return try OptionMarginParameters(call: try rates(input.call, right: "call"), put: try rates(input.put, right: "put"),
                                              longValueWeight: input.longValueWeight?.value ?? 1, moneyness: moneyness,
                                              marginFactorTiers: (input.marginFactorTiers ?? []).map {
                                                  OptionMarginParameters.MarginFactorTier(floor: $0.floor.value, factor: $0.factor.value)
                                              },
                                              info: input.provenance.info(defaultName: name))
        } catch {
            throw parameterError(error, path: path, preset: name)
        }
    }

    /// Health bands from a reference.
    func healthBands(_ reference: PresetOrInline<HealthBandsInput>, path: JSONPath) throws(InputError) -> HealthBands {
        let (input, name) = try resolve(reference, kind: .health, path: path)
        do throws(ParameterError) {
            return try HealthBands(warningBelow: input.warningBelow.value, reduceOnlyBelow: input.reduceOnlyBelow.value,
                                   liquidationBelow: input.liquidationBelow.value, boundaryIsWorse: input.boundaryIsWorse ?? true,
                                   exitBuffer: input.exitBuffer?.value ?? FixedPoint(units: 0, scale: 0), info: input.provenance.info(defaultName: name))
        } catch {
            throw parameterError(error, path: path, preset: name)
        }
    }

    private func parameterError(_ error: ParameterError, path: JSONPath, preset: String) -> InputError {
        Self.within(preset, at: path).key(error.field).error("\(error.value): \(error.reason)")
    }

    /// Where the fields of the parameter set `preset` (read at `path`) are reported: under `path` for an inline
    /// document; for a named preset, inside it, after "`path` (preset `name`)": `portfolio (preset deribit-pm-2024)
    /// underlyings.BTC.price_scan_range`.
    static func within(_ preset: String, at path: JSONPath) -> JSONPath {
        preset == "inline" ? path : JSONPath.root(prefix: "\(path) (preset \(preset))")
    }
}
