/// The portfolio-margin risk of one underlying, and what it is made of.
///
/// **risk = max(scan + calendar spread + delta shock + roll shock, short option minimum, minimum charge)**, with
/// scan = max(0, maxₛ lossₛ) over the weighted scenario losses (the lowest scenario wins a tie), the SPAN assembly
/// "max(scan + intra − inter, SOM)" with inter-commodity credits applied across underlyings.
public struct UnderlyingRisk: Sendable, Hashable {
    /// The underlying.
    public var underlying: AssetID
    /// The worst weighted scenario loss, at least 0.
    public var scanRisk: Double
    /// The 0-based index of the worst scenario, `nil` when no scenario loses.
    public var worstScenario: Int?
    /// The calendar (intra-commodity) spread charge.
    public var calendarSpread: Double
    /// The delta shock.
    public var deltaShock: Double
    /// The roll shock.
    public var rollShock: Double
    /// The short option minimum.
    public var shortOptionMinimum: Double
    /// The minimum charge (0 when another term is larger).
    public var minimumCharge: Double
    /// The net delta in units of the underlying.
    public var netDelta: Double
    /// Whether moving collateral counted in the scan risk (always under ``CollateralScenarios/included``; under
    /// ``CollateralScenarios/offsetOnly`` only when it lowered the risk).
    public var collateralCounted: Bool
    /// The risk of the underlying.
    public var risk: Double

    /// Computes the risk of one underlying from its accumulated figures.
    /// - Parameters:
    ///   - pnl: the underlying's scenario PnL vector (gains positive; losses are its negatives).
    ///   - tenors: net delta per tenor (expiry in ms, `Int64.min` for perpetual and spot).
    ///   - collateral: units of the underlying held as moving collateral, whose scenario PnL per unit is `collateralPnL`.
    static func compute(underlying: AssetID, pnl: UnsafeBufferPointer<Double>, collateral: Double, collateralPnL: UnsafeBufferPointer<Double>,
                        collateralMode: CollateralScenarios, scenarioCount: Int, tenors: [(key: Int64, delta: Double)],
                        shortCallUnits: Double, shortPutUnits: Double, datedFutureNotional: Double, price: Double,
                        parameters: borrowing UnderlyingRiskParameters, now: Timestamp) -> UnderlyingRisk {
        var worst: Int?
        var scan = 0.0
        var worstWith: Int?
        var scanWith = 0.0
        for s in 0..<scenarioCount {
            let loss = -pnl[s]
            if loss > scan {
                scan = loss
                worst = s
            }
        }
        if collateral != 0 {
            for s in 0..<scenarioCount {
                let lossWith = -pnl[s] - collateral * collateralPnL[s]
                if lossWith > scanWith {
                    scanWith = lossWith
                    worstWith = s
                }
            }
        }
        let counted = collateral != 0 && (collateralMode == .included || (collateralMode == .offsetOnly && scanWith < scan))
        var deltas = tenors
        if counted {
            scan = scanWith
            worst = worstWith
        } else if collateral != 0, let spot = deltas.firstIndex(where: { $0.key == Int64.min }) {
            deltas[spot].delta -= collateral
        }
        let netDelta = deltas.reduce(0) { $0 + $1.delta }
        var calendar = 0.0
        if deltas.count > 1, let rule = parameters.calendarSpread { calendar = CalendarSpreads.charge(tenors: deltas, price: price, rule: rule, now: now) }
        let deltaShock = parameters.deltaShockRate * max(0, abs(netDelta) * price - parameters.deltaShockThreshold)
        let rollShock = parameters.rollShockRate * datedFutureNotional
        let som = parameters.shortOptionMinimumRate * price * max(shortCallUnits, shortPutUnits)
        let core = scan + calendar + deltaShock + rollShock
        let minimum = parameters.minimumCharge > max(core, som) ? parameters.minimumCharge : 0
        return UnderlyingRisk(underlying: underlying, scanRisk: scan, worstScenario: worst, calendarSpread: calendar, deltaShock: deltaShock,
                              rollShock: rollShock, shortOptionMinimum: som, minimumCharge: minimum, netDelta: netDelta,
                              collateralCounted: counted, risk: max(core, som, minimum))
    }
}

/// Calendar spreads formed from net deltas per tenor.
enum CalendarSpreads {
    /// Pairs opposite net deltas, nearest tenors first (ties: the earlier pair), n = min(|Δᵢ|, |Δⱼ|) per pair, each
    /// unit charged the pair's stated charge or S·(floor + annual·|Tᵢ − Tⱼ|). A perpetual (key `Int64.min`) sits at
    /// `now` for the distance and is `nil` in stated pairs.
    static func charge(tenors: [(key: Int64, delta: Double)], price: Double, rule: CalendarSpreadCharge, now: Timestamp) -> Double {
        func time(_ key: Int64) -> Int64 { key == Int64.min ? now.millisecondsSinceEpoch : key }
        var legs = tenors.filter { $0.delta != 0 }.sorted { time($0.key) < time($1.key) }
        var total = 0.0
        while true {
            var best: (i: Int, j: Int, gap: Int64)?
            for i in legs.indices where legs[i].delta != 0 {
                for j in (i + 1)..<legs.count where legs[j].delta != 0 && (legs[i].delta > 0) != (legs[j].delta > 0) {
                    let gap = abs(time(legs[j].key) - time(legs[i].key))
                    if let current = best, current.gap <= gap { continue }
                    best = (i, j, gap)
                }
            }
            guard let (i, j, gap) = best else { break }
            let spreads = min(abs(legs[i].delta), abs(legs[j].delta))
            let first = legs[i].key == Int64.min ? nil : Timestamp(millisecondsSinceEpoch: legs[i].key)
            let second = legs[j].key == Int64.min ? nil : Timestamp(millisecondsSinceEpoch: legs[j].key)
            let perUnit = rule.pairCharges[CalendarSpreadCharge.ExpiryPair(first, second)]
                ?? price * (rule.floorRate + rule.annualRate * Double(gap) / Timestamp.millisecondsPerYear)
            total += spreads * perUnit
            legs[i].delta -= legs[i].delta > 0 ? spreads : -spreads
            legs[j].delta -= legs[j].delta > 0 ? spreads : -spreads
        }
        return total
    }
}
