import BallastCore
import BallastRisk
import RealModule
import Testing

private func log(_ x: Double) -> Double { Double.log(x) }
private func exp(_ x: Double) -> Double { Double.exp(x) }

@Suite("Christoffersen's tests, VaR and expected shortfall")
struct ChristoffersenVaRTests {
    /// Exceptions 1, 1, 0, 0, 0 at p = 0.25, by hand: transitions (1,1), (1,0), (0,0), (0,0): n₁₁ = 1, n₁₀ = 1, n₀₀ = 2,
    /// n₀₁ = 0; π₀₁ = 0, π₁₁ = ½, π = ¼ over the 4 transitions.
    /// LR_ind = −2[3·ln ¾ + ln ¼] + 2[2·ln 1 + ln ½ + ln ½] = −6·ln ¾ − 2·ln ¼ + 4·ln ½ = 6·ln(4/3) = 1.726092…
    /// LR_uc (2 of 5 at ¼) = −2[3·ln ¾ + 2·ln ¼] + 2[3·ln ⅗ + 2·ln ⅖].
    @Test("a clustered pair of exceptions: LR_ind = 6·ln(4/3), LR_cc = LR_uc + LR_ind (by hand)")
    func clustered() throws {
        let test = try ChristoffersenTest(exceptions: [true, true, false, false, false], expectedRate: 0.25)
        #expect(test.counts == ChristoffersenTest.TransitionCounts(n00: 2, n01: 0, n10: 1, n11: 1))
        #expect(abs(test.independence - 6 * log(4.0 / 3)) < 1e-12)
        let uc = -2 * (3 * log(0.75) + 2 * log(0.25)) + 2 * (3 * log(0.6) + 2 * log(0.4))
        #expect(abs(test.unconditional.statistic - uc) < 1e-12)
        #expect(abs(test.conditionalCoverage - (uc + 6 * log(4.0 / 3))) < 1e-12)
        // χ²(2) survival is e^(−s/2).
        #expect(abs(test.conditionalCoveragePValue - exp(-test.conditionalCoverage / 2)) < 1e-15)
    }

    /// Exceptions spread evenly (every 10th of 100 periods at 10 %): over the 99 transitions n₀₀ = 80, n₀₁ = 10, n₁₀ = 9,
    /// n₁₁ = 0, so π₁₁ = 0 and π₀₁ = 10/90 ≈ π = 10/99; LR_uc is 0 (exactly the expected rate) and neither test rejects.
    /// The same 10 exceptions in one run of 10 periods reject independence (π₁₁ = 9/10 against π₀₁ = 1/89).
    @Test("spread exceptions pass, a run of them fails independence")
    func spreadAndRun() throws {
        let spread = (0..<100).map { $0 % 10 == 9 }
        let even = try ChristoffersenTest(exceptions: spread, expectedRate: 0.1)
        #expect(even.counts == ChristoffersenTest.TransitionCounts(n00: 80, n01: 10, n10: 9, n11: 0))
        #expect(even.unconditional.statistic < 1e-12)
        #expect(!even.rejectsIndependence(atLevel: 0.05) && !even.rejectsConditionalCoverage(atLevel: 0.05))
        let run = (0..<100).map { (45..<55).contains($0) }
        let clustered = try ChristoffersenTest(exceptions: run, expectedRate: 0.1)
        #expect(clustered.counts == ChristoffersenTest.TransitionCounts(n00: 88, n01: 1, n10: 1, n11: 9))
        #expect(clustered.rejectsIndependence(atLevel: 0.05) && clustered.rejectsConditionalCoverage(atLevel: 0.05))
    }

    /// π over all T periods instead of the T − 1 transitions: 1, 1, 0, 0, 0 gives π = ⅖ instead of ¼, so
    /// LR_ind = −2[3·ln ⅗ + ln ⅖] + 2[2·ln ½] (the n₀₁ = 0 and n₀₀ terms of the unrestricted part are 0).
    @Test("the unconditional rate over all periods is a parameter")
    func allPeriods() throws {
        let test = try ChristoffersenTest(exceptions: [true, true, false, false, false], expectedRate: 0.25, rate: .allPeriods)
        #expect(abs(test.independence - (-2 * (3 * log(0.6) + log(0.4)) + 4 * log(0.5))) < 1e-12)
        #expect(throws: ParameterError.self) { try ChristoffersenTest(exceptions: [true], expectedRate: 0.01) }
    }

    /// Φ⁻¹ at the usual confidences (values to 16 digits from the inverse error function) and round trips.
    @Test("the normal quantile")
    func quantile() {
        #expect(abs(NormalQuantile.of(0.99) - 2.3263478740408408) < 1e-14)
        #expect(abs(NormalQuantile.of(0.975) - 1.959963984540054) < 1e-14)
        #expect(abs(NormalQuantile.of(0.995) - 2.5758293035489004) < 1e-14)
        #expect(NormalQuantile.of(0.5) == 0)
        // Deep in both tails (references from mpmath at 50 digits: Φ⁻¹(10⁻³⁰⁰), Φ⁻¹(10⁻¹²), Φ⁻¹(0.99999999)).
        #expect(abs(NormalQuantile.of(1e-300) / -37.047096299361199 - 1) < 1e-13)
        #expect(abs(NormalQuantile.of(1e-12) / -7.0344838253011319 - 1) < 1e-14)
        #expect(abs(NormalQuantile.of(0.99999999) / 5.6120012441747887 - 1) < 1e-9)
        #expect(NormalQuantile.of(Double.leastNonzeroMagnitude).isFinite)
        for p in stride(from: 1e-10, to: 1, by: 0.0137) {
            #expect(abs(NormalDistribution.cdf(NormalQuantile.of(p)) - p) <= 1e-14 * max(p, 1e-3), "p = \(p)")
            // Symmetry, away from the far tail where 1 − p itself is rounded.
            if p > 1e-4 { #expect(abs(NormalQuantile.of(p) + NormalQuantile.of(1 - p)) < 1e-9, "symmetry at \(p)") }
        }
        #expect(NormalQuantile.of(0) == -.infinity && NormalQuantile.of(1) == .infinity && NormalQuantile.of(1.5).isNaN)
    }

    /// σ = 2 % a day on 1,000,000 at 99 % over 1 day: VaR = 2.326348 × 20,000 = 46,526.96, ES = 20,000 × φ(2.326348)/0.01 =
    /// 2.665214 × 20,000 = 53,304.28 (the textbook ES/σ ratio at 99 %); over 10 days × √10.
    @Test("parametric VaR and ES at 99 % (textbook ratios 2.3263 and 2.6652)")
    func parametric() throws {
        let oneDay = try ValueAtRisk.parametric(volatility: 0.02, value: 1_000_000, confidence: 0.99)
        #expect(abs(oneDay.valueAtRisk - 46_526.957_480_8) < 1e-6)
        #expect(abs(oneDay.expectedShortfall / 20_000 - 2.665_214_220_345_8) < 1e-9)
        let tenDays = try ValueAtRisk.parametric(volatility: 0.02, value: 1_000_000, confidence: 0.99, horizon: 10)
        #expect(abs(tenDays.valueAtRisk - oneDay.valueAtRisk * 10.0.squareRoot()) < 1e-6)
        #expect(throws: ParameterError.self) { try ValueAtRisk.parametric(volatility: -1, value: 1, confidence: 0.99) }
    }

    /// Losses 1…100 at 95 %: n(1 − α) = 5, so VaR is the 5th largest, 96, and ES the mean of 100…96 = 98; under
    /// ⌊n(1 − α)⌋ + 1 the 6th largest, 95, and ES (100 + … + 95)/6 = 97.5. At 99 % (1 loss): VaR = ES = 100.
    @Test("historical VaR and ES: the quantile rule is explicit")
    func historical() throws {
        let losses = (1...100).map(Double.init).shuffled()
        let ceiling = try ValueAtRisk.historical(losses: losses, confidence: 0.95)
        #expect(ceiling == ValueAtRisk.Figures(valueAtRisk: 96, expectedShortfall: 98))
        let deeper = try ValueAtRisk.historical(losses: losses, confidence: 0.95, rule: .floorPlusOne)
        #expect(deeper == ValueAtRisk.Figures(valueAtRisk: 95, expectedShortfall: 97.5))
        #expect(try ValueAtRisk.historical(losses: losses, confidence: 0.99) == ValueAtRisk.Figures(valueAtRisk: 100, expectedShortfall: 100))
        #expect(throws: ParameterError.self) { try ValueAtRisk.historical(losses: [], confidence: 0.99) }
        #expect(throws: ParameterError.self) { try ValueAtRisk.historical(losses: [1, .nan], confidence: 0.99) }
    }
}
