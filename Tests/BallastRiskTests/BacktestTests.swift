import BallastCore
import BallastRisk
import Testing

@Suite("Backtests: Kupiec and the Basel traffic light")
struct BacktestTests {
    /// HC-12: LR_uc and its χ²(1) p-value for each row of the vector. The first row is PUBLISHED (aifinhub.io, "Kupiec
    /// vs bootstrap": LR 32.34, p 1.3e-8); the others are DERIVED by the vector's authors from the same formula.
    /// Tolerance: rel 1e-9 on the statistic; the p-values to the digits printed.
    @Test("Kupiec POF (HC-12)", arguments: [
        (30, 7, 0.01, 32.33833117288029, 1.2953273e-08),
        (250, 4, 0.01, 0.7691383643858, 0.3804837382),
        (250, 0, 0.01, 5.025167926751, 0.0249815031),
        (250, 10, 0.01, 12.95549106236, 0.0003189845),
        (500, 6, 0.005, 3.530305910451, 0.0602566697),
        (1000, 9, 0.005, 2.596261961943, 0.1071160901),
    ])
    func kupiec(observations: Int, exceptions: Int, rate: Double, statistic: Double, pValue: Double) throws {
        let test = try KupiecTest(observations: observations, exceptions: exceptions, expectedRate: rate)
        #expect(abs(test.statistic - statistic) <= 1e-9 * statistic)
        #expect(abs(test.pValue - pValue) <= 1e-7 * pValue)
        // The 5 % decision is the comparison with the χ²(1) critical value 3.841458820694124.
        #expect(test.rejects(atLevel: 0.05) == (statistic > 3.841458820694124))
    }

    /// With exactly the expected rate of exceptions the statistic is 0 and the p-value 1.
    @Test("no evidence at the expected rate")
    func expectedRate() throws {
        let test = try KupiecTest(observations: 1_000, exceptions: 10, expectedRate: 0.01)
        #expect(abs(test.statistic) < 1e-9)
        #expect(abs(test.pValue - 1) < 1e-6)
        #expect(!test.rejects(atLevel: 0.05))
    }

    /// BCBS (1996), "Supervisory framework for the use of backtesting in conjunction with the internal models
    /// approach", Table 2, 250 observations at 99 %: green 0–4 exceptions, yellow 5–9, red 10 or more.
    @Test("Basel zones at 250 days and 99 %")
    func baselZones() throws {
        for exceptions in 0...15 {
            let expected: TrafficLight = exceptions <= 4 ? .green : exceptions <= 9 ? .yellow : .red
            #expect(try TrafficLight(exceptions: exceptions, observations: 250, expectedRate: 0.01) == expected, "\(exceptions)")
        }
    }

    @Test("bad counts and rates name the field")
    func refused() {
        for (t, x, p, field) in [(0, 0, 0.01, "observations"), (10, 11, 0.01, "exceptions"), (10, -1, 0.01, "exceptions"), (10, 1, 1.0, "expected_rate")] {
            #expect { try KupiecTest(observations: t, exceptions: x, expectedRate: p) } throws: { ($0 as? ParameterError)?.field == field }
            #expect { try TrafficLight(exceptions: x, observations: t, expectedRate: p) } throws: { ($0 as? ParameterError)?.field == field }
        }
    }
}
