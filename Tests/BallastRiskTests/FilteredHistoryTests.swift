import BallastCore
import BallastRisk
import Testing

@Suite("Filtered historical simulation and anti-procyclicality tools")
struct FilteredHistoryTests {
    /// λ = 0.5 seeded with the first return 0.02 (σ² = 0.0004): day 2's forecast σ = 0.02 gives 0.01/0.02 = 0.5; then
    /// σ² = 0.5·0.0004 + 0.5·0.0001 = 0.00025, day 3's −0.03/√0.00025 = −1.8973666; then σ² = 0.5·0.00025 + 0.5·0.0009 =
    /// 0.000575, σ_now = √0.000575 = 0.0239792 (latest included); rescaled: 0.5·σ_now, −1.8973666·σ_now. Without the
    /// latest return σ_now is day 3's forecast √0.00025.
    @Test("FHS by hand: each return at today's volatility")
    func filtered() throws {
        let returns = [0.02, 0.01, -0.03]
        let now = 0.000_575.squareRoot()
        let filtered = try #require(EWMA(lambda: 0.5, seeding: .firstReturn).filteredReturns(returns))
        #expect(filtered.count == 2)
        #expect(abs(filtered[0] - 0.5 * now) < 1e-15)
        #expect(abs(filtered[1] - (-0.03 / 0.000_25.squareRoot()) * now) < 1e-15)
        let withoutLatest = try #require(EWMA(lambda: 0.5, seeding: .firstReturn, includeLatest: false).filteredReturns(returns))
        #expect(abs(withoutLatest[0] - 0.5 * 0.000_25.squareRoot()) < 1e-15)
        #expect(EWMA(lambda: 0.5, seeding: .sample(count: 3)).filteredReturns(returns) == nil)
    }

    /// EMIR's tools on a margin of 100 (stressed 180, ten-year 130): buffer 25 % → 125; 25 % stressed weight → 120;
    /// floor → 130 (and 100 when the ten-year margin is lower).
    @Test("EMIR buffer, stressed weight and ten-year floor")
    func procyclicality() throws {
        #expect(try ProcyclicalityTool.buffer(0.25).apply(to: 100) == 125)
        #expect(try ProcyclicalityTool.stressedWeight(0.25).apply(to: 100, stressed: 180) == 120)
        #expect(try ProcyclicalityTool.tenYearFloor.apply(to: 100, tenYear: 130) == 130)
        #expect(try ProcyclicalityTool.tenYearFloor.apply(to: 100, tenYear: 90) == 100)
        #expect(throws: ParameterError.self) { try ProcyclicalityTool.stressedWeight(0.25).apply(to: 100) }
        #expect(throws: ParameterError.self) { try ProcyclicalityTool.buffer(-1).apply(to: 100) }
    }
}
