import BallastCore
import Testing

@Suite("Tiered maintenance (cum rule)")
struct TierTableTests {
    /// BNB-3a: the published Binance BTCUSDT ladder; deductions derived, checked against the cum column of the vector.
    @Test("Binance BTCUSDT deductions follow the cum rule (BNB-3a)")
    func binanceDeductions() throws {
        guard case .tiered(let table) = try binanceBTCUSDT().shape else { Issue.record("not tiered"); return }
        let expected: [Double] = [0, 50, 1_300, 16_300, 266_300, 1_266_300, 2_516_300, 5_016_300, 25_016_300, 100_016_300]
        for (tier, cum) in zip(table.tiers, expected) {
            #expect(abs(tier.deduction - cum) <= 1e-9 * max(1, cum))
        }
    }

    @Test("Binance BTCUSDT published and derived maintenance amounts (BNB-3a)", arguments: [
        (264_000.0, 1_340.0), (500_000.0, 3_700.0), (50_000.0, 200.0), (250_000.0, 1_200.0), (1_000_000.0, 8_700.0),
    ])
    func binanceMaintenance(notional: Double, maintenance: Double) throws {
        guard case .tiered(let table) = try binanceBTCUSDT().shape else { Issue.record("not tiered"); return }
        #expect(abs(table.maintenance(notional: notional) - maintenance) <= 1e-9 * maintenance)
        // The published cross-checks: 264,000 is in the 1 % bracket, 500,000 has a maintenance amount of 1,300.
        if notional == 264_000 { #expect(table.tiers[table.tierIndex(notional: notional)].maintenanceRate == 0.01) }
        if notional == 500_000 { #expect(table.tiers[table.tierIndex(notional: notional)].deduction == 1_300) }
    }

    @Test("continuity at every floor: both adjacent tiers give the same MM (BNB-3a)")
    func continuity() throws {
        guard case .tiered(let table) = try binanceBTCUSDT().shape else { Issue.record("not tiered"); return }
        for k in 1..<table.tiers.count {
            let floor = table.tiers[k].floor
            let below = floor * table.tiers[k - 1].maintenanceRate - table.tiers[k - 1].deduction
            let above = floor * table.tiers[k].maintenanceRate - table.tiers[k].deduction
            #expect(abs(below - above) <= 1e-9 * max(1, above), "tier \(k) at \(floor)")
        }
    }

    /// BNB-3b: COIN-M BTCUSD level 5 = 50 BTC × (5 % − 2.5 %) + 0.56 = 1.81 BTC; 300 BTC at 12.5 % → 11.81 BTC.
    @Test("COIN-M cum chain: level 5 amount 1.81 BTC, 11.81 BTC at 300 BTC (BNB-3b)")
    func coinMargined() throws {
        // Only levels 4 to 7 are published; a ladder whose first three levels sum to cum 0.56 at floor 30 is the
        // published one from level 4 up. Floors 0/10/20/30 with 0.4/0.5/1 % give 10·0.001 + 20·0.005 + 30·0.015 = 0.56.
        let table = try TierTable(floors: [0, 10, 20, 30, 50, 100, 200],
                                  maxLeverages: [125, 100, 50, 20, 10, 5, 4],
                                  maintenanceRates: [0.004, 0.005, 0.01, 0.025, 0.05, 0.10, 0.125])
        #expect(abs(table.tiers[3].deduction - 0.56) < 1e-12)
        #expect(abs(table.tiers[4].deduction - 1.81) < 1e-12)
        let k = table.tierIndex(notional: 300)
        #expect(table.tiers[k].maintenanceRate == 0.125)
        #expect(abs(table.tiers[k].deduction - 11.81) < 1e-12)
        #expect(abs(table.maintenance(notional: 300) - (300 * 0.125 - 11.81)) < 1e-12)
    }

    @Test("ADA/BUSD and ZEC/USDT ladders (BNB-3c)")
    func extraLadders() throws {
        let ada = try TierTable(floors: [0, 100_000, 500_000, 1_000_000, 2_000_000, 5_000_000], maxLeverages: [20, 10, 5, 4, 2, 1],
                                maintenanceRates: [0.025, 0.05, 0.10, 0.15, 0.25, 0.50])
        for (tier, cum) in zip(ada.tiers, [0.0, 2_500, 27_500, 77_500, 277_500, 1_527_500]) {
            #expect(abs(tier.deduction - cum) <= 1e-9 * max(1, cum))
        }
        let zec = try TierTable(floors: [0, 50_000, 150_000, 250_000, 500_000, 1_000_000, 2_000_000], maxLeverages: [50, 20, 10, 5, 4, 2, 1],
                                maintenanceRates: [0.01, 0.025, 0.05, 0.10, 0.125, 0.25, 0.50])
        for (tier, cum) in zip(zec.tiers, [0.0, 750, 4_500, 17_000, 29_500, 154_500, 654_500]) {
            #expect(abs(tier.deduction - cum) <= 1e-9 * max(1, cum))
        }
    }

    @Test("Hyperliquid BTC mainnet: mmr = 1/(2·maxLev), deduction 1,875,000 (HL-1a)")
    func hyperliquidMainnet() throws {
        let table = try TierTable.halfInitial(floors: [0, 150_000_000], maxLeverages: [40, 20])
        #expect(table.tiers[1].deduction == 1_875_000)
        #expect(abs(table.maintenance(notional: 100_000_000) - 1_250_000) <= 1e-6)
        #expect(abs(table.maintenance(notional: 150_000_000) - 1_875_000) <= 1e-6)
        #expect(abs(150_000_000 * table.tiers[0].maintenanceRate - 1_875_000) <= 1e-6, "continuous from below")
        #expect(abs(table.maintenance(notional: 200_000_000) - 3_125_000) <= 1e-6)
    }

    @Test("Hyperliquid BTC testnet deductions 0/75/1,575/6,575/26,575 (HL-1b)")
    func hyperliquidTestnet() throws {
        let table = try TierTable.halfInitial(floors: [0, 10_000, 50_000, 100_000, 300_000], maxLeverages: [40, 25, 10, 5, 3])
        for (tier, deduction) in zip(table.tiers, [0.0, 75, 1_575, 6_575, 26_575]) {
            #expect(abs(tier.deduction - deduction) <= 1e-6)
        }
    }

    @Test("a stated deduction that breaks continuity is rejected with the tier named")
    func inconsistentDeduction() {
        #expect(throws: ParameterError.self) {
            try TierTable(floors: [0, 50_000], maxLeverages: [125, 100], maintenanceRates: [0.004, 0.005], statedDeductions: [0, 60])
        }
        do {
            _ = try TierTable(floors: [0, 50_000], maxLeverages: [125, 100], maintenanceRates: [0.004, 0.005], statedDeductions: [0, 60])
        } catch {
            #expect(error.field == "tiers[1].deduction")
            #expect(error.reason.contains("50"))
        }
    }

    @Test("invalid ladders are rejected", arguments: [
        ([0.0, 100], [10.0, 5], [0.05, 0.04]),   // rate decreases
        ([0.0, 100], [10.0, 5], [0.05, 0.5]),    // rate above 1/maxLeverage
        ([10.0, 100], [10.0, 5], [0.01, 0.02]),  // first floor not 0
        ([0.0, 0], [10.0, 5], [0.01, 0.02]),     // floors not ascending
        ([0.0], [0.5], [0.01]),                  // leverage below 1
        ([0.0], [10], [Double.nan]),             // NaN rate
    ])
    func invalid(floors: [Double], leverages: [Double], rates: [Double]) {
        #expect(throws: ParameterError.self) { try TierTable(floors: floors, maxLeverages: leverages, maintenanceRates: rates) }
    }

    @Test("maintenance is continuous and non-decreasing across random notionals and ladders")
    func monotoneProperty() throws {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            let count = Int.random(in: 1...10, using: &rng)
            var floors: [Double] = [0]
            var rates: [Double] = [Double.random(in: 0.001...0.02, using: &rng)]
            for _ in 1..<count {
                floors.append(floors[floors.count - 1] + Double.random(in: 1_000...5_000_000, using: &rng))
                rates.append(min(0.5, rates[rates.count - 1] + Double.random(in: 0...0.05, using: &rng)))
            }
            let table = try TierTable(floors: floors, maxLeverages: rates.map { 1 / (2 * $0) }, maintenanceRates: rates)
            var previous = -Double.infinity
            let top = floors[floors.count - 1] * 1.5 + 10_000
            for step in 0...2_000 {
                let notional = top * Double(step) / 2_000
                let mm = table.maintenance(notional: notional)
                #expect(mm >= previous - 1e-9 * max(1, abs(mm)))
                previous = mm
            }
            for k in 1..<count {
                let f = floors[k]
                let justBelow = table.maintenance(notional: f.nextDown)
                #expect(abs(table.maintenance(notional: f) - justBelow) <= 1e-7 * max(1, f * rates[k]))
            }
        }
    }
}
