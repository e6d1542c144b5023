/// One market move of a scenario grid, applied to each underlying separately.
public struct Scenario: Sendable, Hashable {
    /// How the price moves.
    public enum PriceMove: Sendable, Hashable {
        /// A multiple of the underlying's price scan range (SPAN: 0, ±⅓, ±⅔, ±1, ±2).
        case scanRange(Double)
        /// A relative move independent of the scan range (Deribit extended moves: −66 %, +500 %).
        case relative(Double)
    }

    /// How implied volatility moves.
    public enum VolatilityMove: String, Sendable, Hashable, CaseIterable {
        /// Unchanged.
        case none
        /// Up by the underlying's volatility shock.
        case up
        /// Down by the underlying's volatility shock.
        case down
    }

    /// A short label ("+1/3 PSR, vol up").
    public var label: String
    /// The price move.
    public var price: PriceMove
    /// The volatility move.
    public var volatility: VolatilityMove
    /// The fraction of the scenario's loss that counts (SPAN extremes 0.35; 1 for ordinary scenarios), unless
    /// ``weightPerScanRange`` makes it the underlying's own.
    public var weight: Double
    /// When set, the weight is **min(1, scan range × this)** for each underlying: Deribit's extended moves, weighted
    /// range/|move| so that a delta-one position's extended loss equals its loss at the edge of its own range.
    public var weightPerScanRange: Double?

    /// Creates a scenario.
    public init(label: String, price: PriceMove, volatility: VolatilityMove, weight: Double = 1, weightPerScanRange: Double? = nil) {
        self.label = label
        self.price = price
        self.volatility = volatility
        self.weight = weight
        self.weightPerScanRange = weightPerScanRange
    }

    /// The weight for an underlying whose scan range is `scanRange`.
    @inline(__always)
    public func weight(scanRange: Double) -> Double {
        guard let weightPerScanRange else { return weight }
        return min(1, scanRange * weightPerScanRange)
    }

    /// The relative price move for an underlying whose scan range is `scanRange`.
    public func relativeMove(scanRange: Double) -> Double {
        switch price {
        case .scanRange(let multiple): return multiple * scanRange
        case .relative(let move): return move
        }
    }
}

/// A named scenario grid with its look-ahead time: the data that drives portfolio margin.
public struct ScenarioSet: Sendable, Hashable {
    /// The scenarios, in order (the reported scenario number is the 1-based index).
    public var scenarios: [Scenario]
    /// Time by which options are aged in every scenario, in years (SPAN: about one trading day).
    public var lookAheadYears: Double
    /// Provenance.
    public var info: ParameterSetInfo

    /// Creates a scenario set.
    /// - Throws: ``ParameterError`` for an empty grid, a weight outside [0, 1], a move of −100 % or worse, or a negative look-ahead.
    public init(scenarios: [Scenario], lookAheadYears: Double, info: ParameterSetInfo = .inline) throws(ParameterError) {
        guard !scenarios.isEmpty else { throw ParameterError(field: "scenarios", value: "[]", reason: "a grid needs at least one scenario") }
        for (i, scenario) in scenarios.enumerated() {
            guard scenario.weight.isFinite, scenario.weight >= 0, scenario.weight <= 1 else {
                throw ParameterError(field: "scenarios[\(i)].weight", value: "\(scenario.weight)", reason: "must be in [0, 1]")
            }
            if let perRange = scenario.weightPerScanRange, !(perRange.isFinite && perRange >= 0) {
                throw ParameterError(field: "scenarios[\(i)].weight_per_scan_range", value: "\(perRange)", reason: "must be ≥ 0")
            }
            if case .relative(let move) = scenario.price, !(move.isFinite && move > -1) {
                throw ParameterError(field: "scenarios[\(i)].move", value: "\(move)", reason: "a relative move must be above −100 %")
            }
            if case .scanRange(let multiple) = scenario.price, !multiple.isFinite {
                throw ParameterError(field: "scenarios[\(i)].scan_range", value: "\(multiple)", reason: "must be finite")
            }
        }
        guard lookAheadYears.isFinite, lookAheadYears >= 0 else {
            throw ParameterError(field: "look_ahead_years", value: "\(lookAheadYears)", reason: "must be ≥ 0")
        }
        self.scenarios = scenarios
        self.lookAheadYears = lookAheadYears
        self.info = info
    }

    /// The number of scenarios.
    public var count: Int { scenarios.count }

    /// Checks that every scenario moves the price of an underlying whose scan range is `scanRange` by more than
    /// −100 %: a multiple of the scan range can pass that line where a relative move cannot (−3 × 0.35 = −105 %), and
    /// a price at or below zero has no forward to reprice at (the scenario read NaN and dropped out of the worst loss).
    /// - Throws: ``ParameterError`` at `price_scan_range`, naming the scenario.
    public func checkMoves(scanRange: Double) throws(ParameterError) {
        guard let (i, move) = firstImpossibleMove(scanRange: scanRange) else { return }
        let scenario = scenarios[i]
        let multiple = if case .scanRange(let multiple) = scenario.price { ", \(multiple) scan ranges" } else { "" }
        throw ParameterError(field: "price_scan_range", value: "\(scanRange)",
                             reason: "scenario \(i + 1) (\(scenario.label)\(multiple)) would move the price \(Self.percent(move)); every move must be above −100 %")
    }

    /// The first scenario (its index and relative move) that moves the price of an underlying whose scan range is
    /// `scanRange` by −100 % or less (or by no number), else nil.
    public func firstImpossibleMove(scanRange: Double) -> (index: Int, move: Double)? {
        for (i, scenario) in scenarios.enumerated() {
            let move = scenario.relativeMove(scanRange: scanRange)
            if !(move > -1) { return (i, move) }
        }
        return nil
    }

    /// A relative move as a percentage for a message, rounded to 10^-6 % (−3 × 0.35 shows −105.0 %, not
    /// −104.99999999999999 %).
    public static func percent(_ move: Double) -> String { "\((move * 1e8).rounded() / 1e6) %" }
}

extension ScenarioSet {
    /// The CME SPAN grid of 16 scenarios: price moves of 0, ±⅓, ±⅔ and ±1 scan range, each with volatility up and down,
    /// then ±2 scan ranges with volatility unchanged counted at 35 % (McMillan, *Options as a Strategic Investment*
    /// ch. 34; CME "SPAN components"). Order: 1/2: 0 · 3/4: +⅓ · 5/6: −⅓ · 7/8: +⅔ · 9/10: −⅔ · 11/12: +1 · 13/14: −1 ·
    /// 15: +2 × 0.35 · 16: −2 × 0.35; odd scenarios volatility up, even down.
    public static func span16(lookAheadYears: Double = 1.0 / 365, info: ParameterSetInfo = .inline) -> ScenarioSet {
        let moves: [(String, Double)] = [("0", 0), ("+1/3", 1.0 / 3), ("-1/3", -1.0 / 3), ("+2/3", 2.0 / 3), ("-2/3", -2.0 / 3), ("+1", 1), ("-1", -1)]
        var scenarios: [Scenario] = []
        for (label, move) in moves {
            scenarios.append(Scenario(label: "\(label) PSR, vol up", price: .scanRange(move), volatility: .up))
            scenarios.append(Scenario(label: "\(label) PSR, vol down", price: .scanRange(move), volatility: .down))
        }
        scenarios.append(Scenario(label: "+2 PSR extreme (35 %)", price: .scanRange(2), volatility: .none, weight: 0.35))
        scenarios.append(Scenario(label: "-2 PSR extreme (35 %)", price: .scanRange(-2), volatility: .none, weight: 0.35))
        // The grid satisfies every rule the initializer checks.
        return ScenarioSet(unchecked: scenarios, lookAheadYears: lookAheadYears, info: info)
    }

    private init(unchecked scenarios: [Scenario], lookAheadYears: Double, info: ParameterSetInfo) {
        self.scenarios = scenarios
        self.lookAheadYears = lookAheadYears
        self.info = info
    }
}
