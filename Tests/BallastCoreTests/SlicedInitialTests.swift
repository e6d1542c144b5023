import BallastCore
import Testing

/// The sliced initial rule of a tier ladder: IM = Σⱼ sliceⱼ·max(1/max_leverageⱼ, 1/leverage), each slice of notional at
/// its own tier's leverage cap (WhiteBIT collateral brackets), against the whole rule (the whole notional at the tier it
/// falls in).
@Suite("Sliced initial margin of a tier ladder")
struct SlicedInitialTests {
    /// WhiteBIT's published shape: 100x up to 50,000, 10x above; plus a third tier at 2x from 1,000,000.
    func ladder(_ rule: TierTable.InitialRule) throws -> TierTable {
        try TierTable(floors: [0, 50_000, 1_000_000], maxLeverages: [100, 10, 2], maintenanceRates: [0.005, 0.025, 0.1], initialRule: rule)
    }

    /// IM of `notional` at chosen leverage rate `leverageRate`, as the position kernel computes it:
    /// V·max(rate, leverage rate).
    func initial(_ table: TierTable, _ notional: Double, leverageRate: Double = -.infinity) -> Double {
        let tier = table.tierIndex(notional: notional)
        return notional * max(table.initialRate(notional: notional, tier: tier, leverageRate: leverageRate), leverageRate)
    }

    /// Hand derivations (slices of 200,000: 50,000 in tier 0, 150,000 in tier 1; of 1,500,000: 50,000, 950,000, 500,000):
    /// - no leverage: 50,000/100 + 150,000/10 = 15,500 (WhiteBIT's published figure);
    /// - 20x: 50,000/20 + 150,000/10 = 2,500 + 15,000 = 17,500 (the first slice capped by the user's leverage);
    /// - 5x: every slice at 1/5 (above both caps' rates): 200,000/5 = 40,000;
    /// - 1,500,000 at 100x: 500 + 95,000 + 250,000 = 345,500;
    /// - inside the first tier the rules agree: 30,000/100 = 300.
    @Test("hand-derived sliced amounts, with and without a chosen leverage", arguments: [
        (200_000.0, -Double.infinity, 15_500.0), (200_000.0, 1.0 / 20, 17_500.0), (200_000.0, 1.0 / 5, 40_000.0),
        (1_500_000.0, 1.0 / 100, 345_500.0), (30_000.0, -Double.infinity, 300.0),
    ])
    func handDerived(notional: Double, leverageRate: Double, expected: Double) throws {
        let table = try ladder(.sliced)
        #expect(abs(initial(table, notional, leverageRate: leverageRate) - expected) <= 1e-9 * expected)
    }

    @Test("the whole rule charges the whole notional at its tier: 200,000 × 1/10 = 20,000")
    func wholeRule() throws {
        let table = try ladder(.whole)
        #expect(abs(initial(table, 200_000) - 20_000) <= 1e-9 * 20_000)
        #expect(abs(initial(table, 30_000) - 300) <= 1e-9 * 300)
    }

    /// Property: sliced IM is continuous at every floor (the whole rule jumps there) and non-decreasing in the
    /// notional, for random ladders (leverage caps non-increasing) and chosen leverages; it never exceeds the whole
    /// rule's amount and never falls below V × leverage rate.
    @Test("continuous at every floor, non-decreasing, between V·leverage rate and the whole rule")
    func properties() throws {
        var rng = SeededGenerator(seed: 0x511C_ED)
        for _ in 0..<200 {
            let count = Int.random(in: 1...8, using: &rng)
            var floors = [0.0], leverages = [Double(Int.random(in: 20...125, using: &rng))]
            for _ in 1..<count {
                floors.append(floors[floors.count - 1] + Double.random(in: 1_000...5_000_000, using: &rng))
                leverages.append(max(1, (leverages[leverages.count - 1] * Double.random(in: 0.3...1, using: &rng)).rounded(.down)))
            }
            let rates = leverages.map { 1 / (2 * $0) }
            let sliced = try TierTable(floors: floors, maxLeverages: leverages, maintenanceRates: rates, initialRule: .sliced)
            let whole = try TierTable(floors: floors, maxLeverages: leverages, maintenanceRates: rates, initialRule: .whole)
            let leverageRate = Bool.random(using: &rng) ? -Double.infinity : 1 / Double(Int.random(in: 1...125, using: &rng))
            for floor in floors.dropFirst() {
                let below = initial(sliced, floor.nextDown, leverageRate: leverageRate)
                let at = initial(sliced, floor, leverageRate: leverageRate)
                #expect(abs(at - below) <= 1e-9 * max(1, at), "jump at floor \(floor): \(below) → \(at)")
            }
            var previous = 0.0
            for _ in 0..<50 {
                let notional = previous + Double.random(in: 0...(floors[floors.count - 1] / Double(count) + 10_000), using: &rng)
                let amount = initial(sliced, notional, leverageRate: leverageRate)
                #expect(amount >= initial(sliced, previous, leverageRate: leverageRate) * (1 - 1e-12))
                #expect(amount <= initial(whole, notional, leverageRate: leverageRate) * (1 + 1e-12))
                #expect(amount >= notional * max(leverageRate, 0) * (1 - 1e-12))
                previous = notional
            }
        }
    }
}
