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

    /// The scalar parameters of ``compute(underlying:pnl:collateral:collateralPnL:collateralMode:scenarioCount:legs:sums:price:terms:calendarSpread:now:)``,
    /// read out of an ``UnderlyingRiskParameters`` without copying it.
    struct Terms {
        var shortOptionMinimumRate: Double
        var deltaShockRate: Double
        var deltaShockThreshold: Double
        var rollShockRate: Double
        var minimumCharge: Double
        var hasCalendarSpread: Bool
    }

    /// Computes the risk of one underlying from its accumulated figures.
    /// - Parameters:
    ///   - pnl: the underlying's scenario PnL vector (gains positive; losses are its negatives).
    ///   - legs: net delta per tenor (expiry in ms, `Int64.min` for perpetual and spot), collateral included; scratch
    ///     that this may change.
    ///   - collateral: units of the underlying held as moving collateral, whose scenario PnL per unit is `collateralPnL`.
    ///   - sums: the underlying's short option units and dated-future notional.
    ///   - calendarSpread: the calendar spread rule, read only when there are two legs or more and `terms` has one.
    ///   - locateWorst: whether to find ``worstScenario`` when collateral does not count (the requirement needs only the
    ///     risk; an explanation needs the scenario).
    static func compute(underlying: AssetID, pnl: UnsafeBufferPointer<Double>, collateral: Double, collateralPnL: UnsafeBufferPointer<Double>,
                        collateralMode: CollateralScenarios, scenarioCount: Int, legs: UnsafeMutableBufferPointer<PortfolioWorkspace.Leg>,
                        sums: PortfolioWorkspace.Sums, price: Double, terms: Terms, calendarSpread: @autoclosure () -> CalendarSpreadCharge?,
                        now: Timestamp, locateWorst: Bool) -> UnderlyingRisk {
        var (scan, worst) = worstLoss(pnl, count: scenarioCount, locate: locateWorst)
        var worstWith: Int?
        var scanWith = 0.0
        if collateral != 0 {
            for s in 0..<scenarioCount {
                let lossWith = -pnl[s] - collateral * collateralPnL[s]
                if lossWith > scanWith {
                    scanWith = lossWith
                    worstWith = s
                }
            }
        }
        let rollShock = terms.rollShockRate * sums.datedFutureNotional
        let som = terms.shortOptionMinimumRate * price * max(sums.shortCallUnits, sums.shortPutUnits)
        // The add-ons over the legs as they stand: net delta, calendar spread, delta shock, and the core sum.
        func assembled(scan: Double) -> (netDelta: Double, calendar: Double, deltaShock: Double, core: Double) {
            var netDelta = 0.0
            for leg in legs { netDelta += leg.delta }
            var calendar = 0.0
            if legs.count > 1, terms.hasCalendarSpread, let rule = calendarSpread() {
                calendar = CalendarSpreads.charge(tenors: legs.map { ($0.key, $0.delta) }, price: price, rule: rule, now: now)
            }
            let deltaShock = terms.deltaShockRate * max(0, abs(netDelta) * price - terms.deltaShockThreshold)
            return (netDelta, calendar, deltaShock, scan + calendar + deltaShock + rollShock)
        }
        // The collateral's delta sits in the spot leg until it is taken out.
        func removeCollateral() {
            if let spot = legs.firstIndex(where: { $0.key == Int64.min }) { legs[spot].delta -= collateral }
        }
        let parts: (netDelta: Double, calendar: Double, deltaShock: Double, core: Double)
        var counted = false
        switch (collateral != 0, collateralMode) {
        case (false, _):
            parts = assembled(scan: scan)
        case (true, .included):
            parts = assembled(scan: scanWith)
            counted = true
        case (true, .excluded):
            removeCollateral()
            parts = assembled(scan: scan)
        case (true, .offsetOnly):
            // The lower risk of the two, whole: the collateral's delta can lower the scan yet form a calendar spread
            // or a delta shock that more than undoes it. The risk compared is max(core, SOM, minimum charge); on a tie
            // (a floor binds both) the collateral does not count, so its delta stays out of the net delta.
            let with = assembled(scan: scanWith)
            removeCollateral()
            let without = assembled(scan: scan)
            counted = max(with.core, som, terms.minimumCharge) < max(without.core, som, terms.minimumCharge)
            parts = counted ? with : without
        }
        if counted {
            scan = scanWith
            worst = worstWith
        }
        let (netDelta, calendar, deltaShock, core) = parts
        let minimum = terms.minimumCharge > max(core, som) ? terms.minimumCharge : 0
        return UnderlyingRisk(underlying: underlying, scanRisk: scan, worstScenario: worst, calendarSpread: calendar, deltaShock: deltaShock,
                              rollShock: rollShock, shortOptionMinimum: som, minimumCharge: minimum, netDelta: netDelta,
                              collateralCounted: counted, risk: max(core, som, minimum))
    }
}

extension UnderlyingRisk {
    /// The largest loss −pnl[s] above 0 over the first `count` scenarios and, if `locate`, the first scenario where it
    /// occurs (0 and `nil` when none loses): what a running "if loss > scan" loop finds (ties go to the lowest
    /// scenario, NaN never wins). loss > scan is pnl < −scan, so this is the lowest PnL below 0, kept in four lanes by
    /// compare and blend with no branch per scenario; its scenario is then the first that equals it.
    @inline(__always)
    static func worstLoss(_ pnl: UnsafeBufferPointer<Double>, count: Int, locate: Bool) -> (loss: Double, scenario: Int?) {
        guard let base = pnl.baseAddress, count > 0 else { return (0, nil) }
        var lanes = SIMD4<Double>(repeating: 0)
        var s = 0
        while s &+ 4 <= count {
            let values = UnsafeRawPointer(base + s).loadUnaligned(as: SIMD4<Double>.self)
            lanes.replace(with: values, where: values .< lanes)
            s &+= 4
        }
        var lowest = 0.0
        for lane in 0..<4 { lowest = lanes[lane] < lowest ? lanes[lane] : lowest }
        while s < count {
            lowest = base[s] < lowest ? base[s] : lowest
            s &+= 1
        }
        guard lowest < 0 else { return (0, nil) }
        guard locate else { return (-lowest, nil) }
        var worst = 0
        while base[worst] != lowest { worst &+= 1 }
        return (-lowest, worst)
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
