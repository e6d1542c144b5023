import BallastCore
import Testing

@Suite("Margin schedules")
struct MarginScheduleTests {
    /// BMX-1: base 200 XBT, step 150 XBT, 0.5 %/1.0 % plus 0.5 % per step.
    @Test("BitMEX risk-limit steps (BMX-1)", arguments: [
        (180.0, 0, 0.005, 0.01), (230.0, 1, 0.01, 0.015), (349.0, 1, 0.01, 0.015), (351.0, 2, 0.015, 0.02), (640.0, 3, 0.02, 0.025),
    ])
    func bitmexSteps(notional: Double, steps: Int, mmRate: Double, imRate: Double) throws {
        let schedule = MarginSchedule(shape: .riskLimitSteps(try RiskLimitSteps(
            baseLimit: 200, stepSize: 150, baseMaintenanceRate: 0.005, baseInitialRate: 0.01, maintenanceIncrement: 0.005, initialIncrement: 0.005)))
        let requirement = schedule.requirement(notional: notional, baseSize: notional, openInterest: 0)
        #expect(requirement.tier == steps)
        #expect(abs(requirement.maintenance - notional * mmRate) < 1e-12)
        #expect(abs(requirement.initialRate - imRate) < 1e-15)
        if notional == 180 { #expect(abs(requirement.maintenance - 0.90) < 1e-12) }
        if notional == 230 {
            #expect(abs(requirement.maintenance - 2.30) < 1e-12)
            #expect(abs(notional * requirement.initialRate - 3.45) < 1e-12)
        }
    }

    /// OSS-3: base IMF 20 %, caps 1e12/2e12, OI 1.5e12 → IMF 60 %, IMR 300,000 on 500,000 quote quantums.
    @Test("dYdX open-interest-scaled IMF (OSS-3)")
    func dydxScaling() throws {
        let rates = try OpenInterestScaledRates(baseInitialFraction: 0.2, maintenanceFraction: 0.5, lowerCap: 1e12, upperCap: 2e12)
        #expect(abs(rates.initialFraction(openInterest: 1.5e12) - 0.6) < 1e-15)
        let imr = FixedPoint(500_000 * rates.initialFraction(openInterest: 1.5e12), scale: 0, rounding: .up)
        #expect(imr == FixedPoint(units: 300_000, scale: 0))
        #expect(rates.initialFraction(openInterest: 0.5e12) == 0.2, "below the lower cap scaling is 0")
        #expect(rates.initialFraction(openInterest: 3e12) == 1, "capped at 1 above the upper cap")
        let off = try OpenInterestScaledRates(baseInitialFraction: 0.2, maintenanceFraction: 0.5, lowerCap: 0, upperCap: 0)
        #expect(off.initialFraction(openInterest: 1e15) == 0.2, "upper cap 0 disables scaling")
        #expect(abs(rates.maintenanceRate - 0.1) < 1e-15, "MMF = base IMF × maintenance fraction, independent of OI")
    }

    /// Deribit 2022-01-11: BTC IM = 2 % + 0.005 % × size, MM = 1 % + 0.005 % × size.
    @Test("Deribit size-scaled rates")
    func deribitSizeScaled() throws {
        let rates = try SizeScaledRates(baseInitialRate: 0.02, baseMaintenanceRate: 0.01, initialPerUnit: 0.00005, maintenancePerUnit: 0.00005)
        // 100 BTC: IM 2.5 %, MM 1.5 %.
        #expect(abs(rates.initialRate(baseSize: 100) - 0.025) < 1e-15)
        #expect(abs(rates.maintenanceRate(baseSize: -100) - 0.015) < 1e-15)
        #expect(rates.maintenanceRate(baseSize: 1e9) == 1, "capped at 100 %")
    }

    /// Drift's size premium, ratio(size) = max(r, 0.8·r + k·√|size|), derived by hand with r = 10 % / 5 %, k = 0.001
    /// (Drift imf_factor 1,000): at 50 BTC the premium 0.0071 is below 0.2·r of either ratio, so both stay; at 1,000 BTC
    /// IM 0.08 + 0.001·√1,000 = 0.111622776601…, MM 0.071622776601…; at 10,000 BTC 0.18 and 0.14. The ratio is
    /// continuous where the premium takes over (√size = d·r/k: 100 BTC for the maintenance ratio, 400 for the initial
    /// one; the slope there is k/(2√size) ≤ 5·10⁻⁵ per BTC), and never decreases with size.
    @Test("Drift size premium: ratios by hand, continuity where the premium takes over, monotone in size")
    func driftSizePremium() throws {
        let rates = try SizePremiumRates(initialRatio: 0.1, maintenanceRatio: 0.05, premiumFactor: 0.001, premiumDiscount: 0.2)
        #expect(rates.initialRate(baseSize: 50) == 0.1)
        #expect(rates.maintenanceRate(baseSize: -50) == 0.05)
        #expect(abs(rates.initialRate(baseSize: 1_000) - (0.08 + 0.001 * 1_000.0.squareRoot())) < 1e-15)
        #expect(abs(rates.maintenanceRate(baseSize: -1_000) - (0.04 + 0.001 * 1_000.0.squareRoot())) < 1e-15)
        #expect(abs(rates.initialRate(baseSize: 10_000) - 0.18) < 1e-15)
        #expect(abs(rates.maintenanceRate(baseSize: 10_000) - 0.14) < 1e-15)
        // Where the premium takes over: 0.001·√s = 0.2·r → s = 100 (MM, r = 5 %) and 400 (IM, r = 10 %).
        for (kink, rate) in [(100.0, rates.maintenanceRate), (400.0, rates.initialRate)] {
            // Across 2·10⁻⁹·kink the rate moves by at most the slope times that width (≤ 4·10⁻¹¹), not by a jump.
            #expect(abs(rate(kink * (1 + 1e-9)) - rate(kink * (1 - 1e-9))) <= 5e-5 * 2e-9 * kink + 1e-15)
        }
        var previous = (0.0, 0.0)
        for size in stride(from: 0.0, through: 2e7, by: 997.0) {
            let now = (rates.initialRate(baseSize: size), rates.maintenanceRate(baseSize: size))
            #expect(now.0 >= previous.0 && now.1 >= previous.1 && now.0 >= now.1 && now.0 <= 1)
            previous = now
        }
        #expect(rates.initialRate(baseSize: 1e12) == 1, "capped at 100 %")
        #expect(throws: ParameterError.self) { try SizePremiumRates(initialRatio: 0.05, maintenanceRatio: 0.1, premiumFactor: 0.001, premiumDiscount: 0.2) }
        #expect(throws: ParameterError.self) { try SizePremiumRates(initialRatio: 0.1, maintenanceRatio: 0.05, premiumFactor: -1, premiumDiscount: 0.2) }
    }

    /// HL-2: position value 10,000 on a 20× asset (mmr 2.5 %): IM 1,000 at 10×, 500 at 20×; MM 250 either way.
    @Test("IM follows the chosen leverage, MM does not (HL-2)", arguments: [(10.0, 1_000.0), (20.0, 500.0), (40.0, 500.0)])
    func leverage(chosen: Double, initial: Double) throws {
        var market = TestMarket()
        try market.asset("USDC", decimals: 6, price: 1)
        try market.asset("XYZ", price: 100)
        try market.perpetual("XYZ-PERP", underlying: "XYZ", quote: "USDC", lot: "1", mark: 100,
                             schedule: MarginSchedule(shape: .tiered(try TierTable.halfInitial(floors: [0], maxLeverages: [20]))))
        let context = market.context()
        let position = try market.position("XYZ-PERP", size: "100", entry: "100", leverage: chosen)
        let figures = try PositionFigures(position, in: context)
        #expect(figures.notional == 10_000)
        #expect(abs(figures.initial - initial) < 1e-9)
        #expect(abs(figures.maintenance - 250) < 1e-9)
        #expect(figures.leverageCapped == (chosen > 20), "40× exceeds the 20× cap, which then applies")
    }
}
