import BallastCore
import Testing

@Suite("Collateral haircuts")
struct HaircutScheduleTests {
    /// Bybit BTC collateral value ratio tiers by quantity: 0–10 0.98, 10–20 0.95, 20–30 0.90, 30–40 0.85, 40–50 0.80, > 50 0.
    func bybitBTC() throws -> HaircutSchedule {
        try HaircutSchedule(bound: .quantity, floors: [0, 10, 20, 30, 40, 50], ratios: [0.98, 0.95, 0.90, 0.85, 0.80, 0])
    }

    @Test("quantity tiers value each slice at its own ratio")
    func quantityTiers() throws {
        // 25 BTC at 40,000: 10·0.98 + 10·0.95 + 5·0.90 = 23.8 BTC-equivalent → 952,000.
        #expect(abs(try bybitBTC().value(quantity: 25, price: 40_000) - 952_000) < 1e-6)
        // 60 BTC: 10·(0.98 + 0.95 + 0.90 + 0.85 + 0.80) + 10·0 = 44.8 → 1,792,000.
        #expect(abs(try bybitBTC().value(quantity: 60, price: 40_000) - 1_792_000) < 1e-6)
    }

    @Test("value tiers slice the valuation-currency value (OKX BETH 2024-07-18)")
    func valueTiers() throws {
        let beth = try HaircutSchedule(bound: .value, floors: [0, 2_000_000, 4_000_000, 8_000_000], ratios: [0.95, 0.85, 0.5, 0])
        // 2,000 BETH at 3,000 = 6,000,000: 2M·0.95 + 2M·0.85 + 2M·0.5 = 4,600,000.
        #expect(abs(beth.value(quantity: 2_000, price: 3_000) - 4_600_000) < 1e-6)
        var slices: [(Int, Double, Double)] = []
        beth.forEachSlice(quantity: 2_000, price: 3_000) { slices.append(($0, $1, $2)) }
        #expect(slices.map(\.0) == [0, 1, 2])
        #expect(slices.map(\.1) == [2_000_000, 2_000_000, 2_000_000])
    }

    @Test("a negative equity is a liability at its weight")
    func liability() throws {
        let schedule = try HaircutSchedule(bound: .quantity, floors: [0], ratios: [0.9], liabilityWeight: 1.1)
        #expect(abs(schedule.value(quantity: -2, price: 100) - -220) < 1e-12)
    }

    @Test("collateral value never exceeds the raw value, and is non-decreasing in the quantity")
    func neverAboveRaw() throws {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<300 {
            let count = Int.random(in: 1...6, using: &rng)
            var floors: [Double] = [0]
            for _ in 1..<count { floors.append(floors[floors.count - 1] + Double.random(in: 1...1_000_000, using: &rng)) }
            let ratios = (0..<count).map { _ in Double.random(in: 0...1, using: &rng) }
            let schedule = try HaircutSchedule(bound: Bool.random(using: &rng) ? .quantity : .value, floors: floors, ratios: ratios,
                                               liabilityWeight: Double.random(in: 1...1.5, using: &rng))
            let price = Double.random(in: 0.01...100_000, using: &rng)
            var previous = -Double.infinity
            for _ in 0..<50 {
                let quantity = Double.random(in: -1_000...2_000_000, using: &rng)
                let value = schedule.value(quantity: quantity, price: price)
                #expect(value <= quantity * price + 1e-9 * abs(quantity * price))
                _ = previous
                previous = value
            }
            let sorted = (0..<50).map { _ in Double.random(in: 0...2_000_000, using: &rng) }.sorted()
            previous = -Double.infinity
            for quantity in sorted {
                let value = schedule.value(quantity: quantity, price: price)
                #expect(value >= previous - 1e-9 * abs(value))
                previous = value
            }
        }
    }
}

@Suite("Health bands")
struct HealthBandsTests {
    let bands = HealthBands.binancePortfolioMarginPro

    @Test("Binance PM Pro bands: 150 % / 120 % / 105 % uniMMR", arguments: [
        (200, HealthState.healthy), (151, .healthy), (149, .warning), (121, .warning), (119, .reduceOnly), (106, .reduceOnly),
        (104, .liquidation), (100, .liquidation), (50, .liquidation), (1, .liquidation),
    ])
    func bandsFromRatio(uniMMRPercent: Int, state: HealthState) {
        // maintenance 100, margin balance = uniMMR × 100 (percent), equity equal.
        let balance = Int128(uniMMRPercent)
        #expect(bands.state(marginBalance: balance, equity: balance, maintenance: 100) == state)
    }

    @Test("a ratio exactly on a threshold: worse state when the boundary is worse, better otherwise")
    func boundary() throws {
        #expect(bands.state(marginBalance: 150, equity: 150, maintenance: 100) == .warning)
        #expect(bands.state(marginBalance: 105, equity: 105, maintenance: 100) == .liquidation)
        let lenient = try HealthBands(warningBelow: try fixed("1.5"), reduceOnlyBelow: try fixed("1.2"), liquidationBelow: try fixed("1.05"),
                                      boundaryIsWorse: false)
        #expect(lenient.state(marginBalance: 150, equity: 150, maintenance: 100) == .healthy)
        #expect(lenient.state(marginBalance: 105, equity: 105, maintenance: 100) == .reduceOnly)
        #expect(lenient.state(marginBalance: 104_999_999, equity: 104_999_999, maintenance: 100_000_000) == .liquidation)
    }

    @Test("bankrupt when equity is negative, or zero with a requirement; no requirement is healthy")
    func bankrupt() {
        #expect(bands.state(marginBalance: -1, equity: -1, maintenance: 100) == .bankrupt)
        #expect(bands.state(marginBalance: 0, equity: 0, maintenance: 100) == .bankrupt)
        #expect(bands.state(marginBalance: 0, equity: 0, maintenance: 0) == .healthy)
        #expect(bands.state(marginBalance: -5, equity: 10, maintenance: 0) == .liquidation, "haircut liabilities exceed collateral")
        #expect(bands.state(marginBalance: 1, equity: 1, maintenance: 0) == .healthy)
    }

    @Test("thresholds out of order are rejected")
    func invalid() {
        #expect(throws: ParameterError.self) {
            try HealthBands(warningBelow: try fixed("1.1"), reduceOnlyBelow: try fixed("1.2"), liquidationBelow: try fixed("1.05"))
        }
        #expect(throws: ParameterError.self) {
            try HealthBands(warningBelow: try fixed("1.5"), reduceOnlyBelow: try fixed("1.2"), liquidationBelow: try fixed("0.9"))
        }
    }
}
