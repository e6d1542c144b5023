/// The health of a margin pool, from best to worst.
public enum HealthState: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Above every threshold.
    case healthy
    /// Margin call: the holder is asked to add collateral or reduce.
    case warning
    /// Only orders that reduce risk are accepted.
    case reduceOnly = "reduce-only"
    /// Positions are liquidated.
    case liquidation
    /// Equity is at or below zero: losses exceed the pool (bad debt, insurance fund, ADL).
    case bankrupt

    /// 0 for healthy up to 4 for bankrupt.
    public var severity: Int {
        switch self {
        case .healthy: return 0
        case .warning: return 1
        case .reduceOnly: return 2
        case .liquidation: return 3
        case .bankrupt: return 4
        }
    }

    /// Orders states from healthy (lowest) to bankrupt (highest).
    public static func < (lhs: HealthState, rhs: HealthState) -> Bool { lhs.severity < rhs.severity }
}

/// Thresholds that map a pool's margin ratio to a ``HealthState``.
///
/// The thresholds are on **uniMMR = margin balance / maintenance** (Binance portfolio margin orientation; its
/// reciprocal MM / margin balance is the "margin ratio" Binance USDⓈ-M, Bybit and Deribit show). The default is
/// Binance PM Pro: > 150 % healthy, 120–150 % margin call, 105–120 % reduce-only, ≤ 105 % liquidation; a pool whose
/// raw equity is ≤ 0 while it carries a requirement, or < 0, is bankrupt. Comparisons are exact: thresholds are
/// decimals and the test is a cross-multiplication of integers, never a division. Whether a ratio exactly on a
/// threshold belongs to the worse state is a parameter (`boundaryIsWorse`).
///
/// **Hysteresis** (`exitBuffer` b ≥ 0, default 0): a pool enters a worse state at its threshold, but leaves a state for a
/// better one only once its ratio clears the threshold of the state it leaves raised by b (liquidation is left above
/// `liquidationBelow` + b, reduce-only above `reduceOnlyBelow` + b, warning above `warningBelow` + b), so a ratio that hovers at a
/// threshold does not flip the state, and the venue's signals, on every tick (Mango leaves liquidation at a health
/// above the one it entered at, Drift keeps a liquidation buffer, Vega releases margin above a higher ratio). The state
/// then depends on the previous one: ``HealthThresholds/state(marginBalance:equity:maintenance:previous:)``, which the
/// engine uses; a one-off report has no previous state and uses the entry thresholds. Bankruptcy has no buffer: it is
/// entered at equity ≤ 0 and left as soon as equity is positive (for the state the raised thresholds give).
public struct HealthBands: Sendable, Hashable {
    /// Below this uniMMR the pool is in ``HealthState/warning``.
    public var warningBelow: FixedPoint
    /// Below this uniMMR the pool is ``HealthState/reduceOnly``.
    public var reduceOnlyBelow: FixedPoint
    /// Below this uniMMR the pool is in ``HealthState/liquidation``.
    public var liquidationBelow: FixedPoint
    /// Whether a ratio equal to a threshold counts as the worse state.
    public var boundaryIsWorse: Bool
    /// How far above a state's threshold the ratio must rise to leave that state for a better one (0: no hysteresis).
    public var exitBuffer: FixedPoint
    /// Provenance.
    public var info: ParameterSetInfo

    /// The thresholds as plain data for the hot path.
    public var thresholds: HealthThresholds {
        HealthThresholds(warning: warningBelow, reduceOnly: reduceOnlyBelow, liquidation: liquidationBelow, boundaryIsWorse: boundaryIsWorse,
                         exitBuffer: exitBuffer)
    }

    /// Creates bands.
    /// - Throws: ``ParameterError`` unless warning ≥ reduce-only ≥ liquidation ≥ 1 and 0 ≤ exit buffer ≤ 1000.
    public init(warningBelow: FixedPoint, reduceOnlyBelow: FixedPoint, liquidationBelow: FixedPoint,
                boundaryIsWorse: Bool = true, exitBuffer: FixedPoint = FixedPoint(units: 0, scale: 0),
                info: ParameterSetInfo = .inline) throws(ParameterError) {
        let one = FixedPoint(units: 1, scale: 0)
        guard liquidationBelow >= one else {
            throw ParameterError(field: "liquidation_below", value: liquidationBelow.description, reason: "must be ≥ 1 (equity equal to maintenance)")
        }
        guard reduceOnlyBelow >= liquidationBelow else {
            throw ParameterError(field: "reduce_only_below", value: reduceOnlyBelow.description, reason: "must be ≥ liquidation_below \(liquidationBelow)")
        }
        guard warningBelow >= reduceOnlyBelow else {
            throw ParameterError(field: "warning_below", value: warningBelow.description, reason: "must be ≥ reduce_only_below \(reduceOnlyBelow)")
        }
        for value in [warningBelow, reduceOnlyBelow, liquidationBelow] where value.scale > 9 || value > FixedPoint(units: 1000, scale: 0) {
            throw ParameterError(field: "thresholds", value: value.description, reason: "must have at most 9 decimals and be at most 1000")
        }
        guard exitBuffer.units >= 0, exitBuffer.scale <= 9, exitBuffer <= FixedPoint(units: 1000, scale: 0) else {
            throw ParameterError(field: "exit_buffer", value: exitBuffer.description, reason: "must be between 0 and 1000, with at most 9 decimals")
        }
        self.exitBuffer = exitBuffer
        self.warningBelow = warningBelow
        self.reduceOnlyBelow = reduceOnlyBelow
        self.liquidationBelow = liquidationBelow
        self.boundaryIsWorse = boundaryIsWorse
        self.info = info
    }

    /// Binance Portfolio Margin Pro bands (150 % / 120 % / 105 %).
    public static let binancePortfolioMarginPro: HealthBands = {
        let info = ParameterSetInfo(name: "binance-pm-pro", version: "2025-01",
                                    effective: Timestamp(millisecondsSinceEpoch: 1_735_689_600_000),
                                    source: "https://www.binance.com/en/support/faq/binance-portfolio-margin-pro-maintenance-margin-ratio-calculation-5e33af8e6ac04d57a1d0a3398e0a0752")
        // The literals satisfy the ordering the initializer checks.
        return HealthBands(unchecked: FixedPoint(units: 150, scale: 2), FixedPoint(units: 120, scale: 2), FixedPoint(units: 105, scale: 2), info: info)
    }()

    private init(unchecked warning: FixedPoint, _ reduceOnly: FixedPoint, _ liquidation: FixedPoint, info: ParameterSetInfo) {
        warningBelow = warning
        reduceOnlyBelow = reduceOnly
        liquidationBelow = liquidation
        boundaryIsWorse = true
        exitBuffer = FixedPoint(units: 0, scale: 0)
        self.info = info
    }

    /// The state of a pool from exact money figures at one scale: its margin balance (haircut equity), its raw
    /// equity, and its maintenance requirement.
    public func state(marginBalance: Int128, equity: Int128, maintenance: Int128) -> HealthState {
        thresholds.state(marginBalance: marginBalance, equity: equity, maintenance: maintenance)
    }
}

/// ``HealthBands`` thresholds as plain data: each threshold t = units/10^scale is tested as
/// marginBalance·10^scale ⋚ units·maintenance (no division, no table lookup).
public struct HealthThresholds: Sendable, Hashable {
    /// Three thresholds, each as units and 10^scale.
    struct Levels: Sendable, Hashable {
        var warningUnits: Int128
        var warningScale: Int128
        var reduceOnlyUnits: Int128
        var reduceOnlyScale: Int128
        var liquidationUnits: Int128
        var liquidationScale: Int128

        init(warning: FixedPoint, reduceOnly: FixedPoint, liquidation: FixedPoint) {
            warningUnits = warning.units
            warningScale = PowersOfTen.int128(warning.scale)
            reduceOnlyUnits = reduceOnly.units
            reduceOnlyScale = PowersOfTen.int128(reduceOnly.scale)
            liquidationUnits = liquidation.units
            liquidationScale = PowersOfTen.int128(liquidation.scale)
        }

        /// The state of a pool with maintenance > 0 whose equity is positive (or zero without a requirement).
        @inline(__always)
        func state(marginBalance: Int128, maintenance: Int128, boundaryIsWorse: Bool) -> HealthState {
            @inline(__always) func below(_ units: Int128, _ scale: Int128) -> Bool {
                let lhs = marginBalance &* scale
                let rhs = units &* maintenance
                return boundaryIsWorse ? lhs <= rhs : lhs < rhs
            }
            if below(liquidationUnits, liquidationScale) { return .liquidation }
            if below(reduceOnlyUnits, reduceOnlyScale) { return .reduceOnly }
            if below(warningUnits, warningScale) { return .warning }
            return .healthy
        }
    }

    /// The entry thresholds.
    var entry: Levels
    /// The exit thresholds: the entry ones raised by the exit buffer (`nil` without one).
    var exit: Levels?
    var boundaryIsWorse: Bool
    /// Whether liquidation ≤ reduce-only ≤ warning and every units and scale fits in 64 bits, so that for figures of
    /// 64 bits a pool not below the warning threshold is below none (see ``state(marginBalance:equity:maintenance:)``).
    var healthyShortcut: Bool
    /// The warning threshold's units and 10^scale in 64 bits (meaningful with ``healthyShortcut``).
    var warningUnits64: Int64
    var warningScale64: Int64
    /// The thresholds and the exit buffer as `Double` ratios, converted once for the risk index's tolerance bounds
    /// (``StateTolerance``), which are risk figures, not state tests.
    let ratios: Ratios

    /// The bands as `Double` ratios (the nearest to each exact threshold).
    struct Ratios: Sendable, Hashable {
        var warning: Double
        var reduceOnly: Double
        var liquidation: Double
        var exitBuffer: Double
    }

    init(warning: FixedPoint, reduceOnly: FixedPoint, liquidation: FixedPoint, boundaryIsWorse: Bool,
         exitBuffer: FixedPoint = FixedPoint(units: 0, scale: 0)) {
        entry = Levels(warning: warning, reduceOnly: reduceOnly, liquidation: liquidation)
        exit = exitBuffer.units > 0
            ? Levels(warning: warning + exitBuffer, reduceOnly: reduceOnly + exitBuffer, liquidation: liquidation + exitBuffer) : nil
        self.boundaryIsWorse = boundaryIsWorse
        let fits = [entry.warningUnits, entry.warningScale, entry.reduceOnlyUnits, entry.reduceOnlyScale, entry.liquidationUnits,
                    entry.liquidationScale].allSatisfy { Int64(exactly: $0) != nil }
        healthyShortcut = fits && liquidation <= reduceOnly && reduceOnly <= warning
        warningUnits64 = Int64(truncatingIfNeeded: entry.warningUnits)
        warningScale64 = Int64(truncatingIfNeeded: entry.warningScale)
        ratios = Ratios(warning: warning.doubleValue, reduceOnly: reduceOnly.doubleValue, liquidation: liquidation.doubleValue,
                        exitBuffer: exitBuffer.doubleValue)
    }

    /// The state of a pool (see ``HealthBands/state(marginBalance:equity:maintenance:)``).
    @inline(__always)
    public func state(marginBalance: Int128, equity: Int128, maintenance: Int128) -> HealthState {
        if equity < 0 || (equity == 0 && maintenance > 0) { return .bankrupt }
        if maintenance <= 0 { return marginBalance < 0 ? .liquidation : .healthy }
        // With maintenance > 0 and no overflow, "below t" is margin balance/maintenance ≤ t (or <): true for every
        // threshold above one it holds for. So when the thresholds are ordered, a pool not below the warning threshold
        // is below none of them, and one test (in 64×64-bit products, which cannot overflow) settles most pools.
        if healthyShortcut, let balance = Int64(exactly: marginBalance), let requirement = Int64(exactly: maintenance) {
            let lhs = Int128(balance) &* Int128(warningScale64)
            let rhs = Int128(warningUnits64) &* Int128(requirement)
            if boundaryIsWorse ? lhs > rhs : lhs >= rhs { return .healthy }
        }
        return entry.state(marginBalance: marginBalance, maintenance: maintenance, boundaryIsWorse: boundaryIsWorse)
    }

    /// The state of a pool that was in `previous`, with hysteresis (``HealthBands/exitBuffer``): a worse state is
    /// entered at its threshold, and `previous` is left only once the ratio clears the threshold of `previous` raised by
    /// the buffer (for the state the raised thresholds give, never worse than `previous`). Without a buffer, or when the state
    /// does not improve, the same as ``state(marginBalance:equity:maintenance:)``.
    @inline(__always)
    public func state(marginBalance: Int128, equity: Int128, maintenance: Int128, previous: HealthState) -> HealthState {
        let entered = state(marginBalance: marginBalance, equity: equity, maintenance: maintenance)
        guard let exit, entered < previous, maintenance > 0 else { return entered }
        return min(previous, exit.state(marginBalance: marginBalance, maintenance: maintenance, boundaryIsWorse: boundaryIsWorse))
    }

    /// The state of a pool with money figures `figures` that was in `previous` (``state(marginBalance:equity:maintenance:previous:)``).
    @inline(__always)
    public func state(of figures: MoneyFigures, previous: HealthState) -> HealthState {
        state(marginBalance: figures.marginBalance, equity: figures.equity, maintenance: figures.maintenance, previous: previous)
    }
}
