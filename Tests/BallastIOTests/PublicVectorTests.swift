import BallastCore
import BallastIO
import BallastPresets
import Foundation
import Testing

/// The public vectors (../shared/reference/vectors-public.md), each run through the path the CLI uses:
/// account JSON → validation → margin report → JSON document.
@Suite("Public vectors through the CLI path")
struct PublicVectorTests {
    @Test("BNB-1: cross liquidation prices 26,316.89 and 1,153.26; MM and UPnL intermediates")
    func bnb1() throws {
        let report = try runJSON(try vector("bnb-1"))
        let btc = try #require(position(report, "BTCUSDT"))
        let eth = try #require(position(report, "ETHUSDT"))
        #expect(btc["maintenance_margin"] as? String == "71200.81144400")
        #expect(eth["maintenance_margin"] as? String == "356512.50812200")
        #expect(btc["unrealised_pnl"] as? String == "-56354.56848000")
        #expect(eth["unrealised_pnl"] as? String == "-448192.88514000")
        // Published to 2 dp, tolerance 0.005.
        #expect(abs(try #require(number(btc, "liquidation_price", "price")) - 26_316.89) <= 0.005)
        #expect(abs(try #require(number(eth, "liquidation_price", "price")) - 1_153.26) <= 0.005)
        #expect(value(btc, "liquidation_price", "method") as? String == "account-level search")
    }

    @Test("BNB-2: isolated liquidation prices 18,778.73 and 1,114.78")
    func bnb2() throws {
        let report = try runJSON(try vector("bnb-2"))
        let btc = try #require(position(report, "BTCUSDT"))
        let eth = try #require(position(report, "ETHUSDT"))
        #expect(abs(try #require(number(btc, "liquidation_price", "price")) - 18_778.73) <= 0.005)
        #expect(abs(try #require(number(eth, "liquidation_price", "price")) - 1_114.78) <= 0.005)
        #expect(value(btc, "liquidation_price", "method") as? String == "closed form (isolated)")
    }

    @Test("BNB-3: MM 1,340 at 264,000 USDT notional (1 % bracket); COIN-M 300 BTC at 12.5 % minus 11.81 BTC")
    func bnb3() throws {
        let report = try runJSON(try vector("bnb-3"))
        let linear = try #require(position(report, "BTCUSDT"))
        #expect(linear["notional"] as? String == "264000.00000000")
        #expect(linear["maintenance_margin"] as? String == "1340.00000000")
        #expect(linear["tier"] as? Int == 3)
        let inverse = try #require(position(report, "BTCUSD_PERP"))
        #expect(inverse["notional"] as? String == "300.00000000")
        #expect(inverse["tier"] as? Int == 7)
        // 300 × 12.5 % − 11.81 = 25.69 BTC.
        #expect(inverse["maintenance_margin"] as? String == "25.69000000")
    }

    @Test("BNB-3: every shipped tiered preset is continuous at its floors and non-decreasing in notional")
    func presetsContinuous() throws {
        for name in PresetLibrary().names(.margin) {
            let schedule = try #require(try PresetLibrary().schedule(named: name))
            guard case .tiered(let table) = schedule.shape else { continue }
            var previous = 0.0
            let top = (table.tiers.last?.floor ?? 0) * 2 + 1
            for step in 0...5_000 {
                let notional = top * Double(step) / 5_000
                let mm = table.maintenance(notional: notional)
                #expect(mm >= previous - 1e-9 * max(1, mm), "\(name) at \(notional)")
                previous = mm
            }
            for k in 1..<table.tiers.count {
                let floor = table.tiers[k].floor
                let fromBelow = floor * table.tiers[k - 1].maintenanceRate - table.tiers[k - 1].deduction
                #expect(abs(table.maintenance(notional: floor) - fromBelow) <= 1e-9 * max(1, fromBelow), "\(name) tier \(k)")
            }
        }
    }

    @Test("HL-1: Hyperliquid mainnet MM 1,250,000 at 100M and 3,125,000 at 200M (deduction 1,875,000)")
    func hl1() throws {
        let report = try runJSON(try vector("hl-1"))
        #expect(position(report, "BTC-A")?["maintenance_margin"] as? String == "1250000.000000")
        #expect(position(report, "BTC-B")?["maintenance_margin"] as? String == "3125000.000000")
        #expect(position(report, "BTC-B")?["tier"] as? Int == 2)
        let testnet = try #require(try PresetLibrary().schedule(named: "hyperliquid-btc-testnet"))
        guard case .tiered(let table) = testnet.shape else { Issue.record("not tiered"); return }
        for (tier, deduction) in zip(table.tiers, [0.0, 75, 1_575, 6_575, 26_575]) {
            #expect(abs(tier.deduction - deduction) <= 1e-6)
        }
    }

    @Test("HL-2: IM 1,000 at 10x and 500 at 20x, MM 250 at both")
    func hl2() throws {
        let report = try runJSON(try vector("hl-2"))
        #expect(position(report, "XYZ-10X")?["initial_margin"] as? String == "1000.000000")
        #expect(position(report, "XYZ-20X")?["initial_margin"] as? String == "500.000000")
        #expect(position(report, "XYZ-10X")?["maintenance_margin"] as? String == "250.000000")
        #expect(position(report, "XYZ-20X")?["maintenance_margin"] as? String == "250.000000")
    }

    @Test("BMX-1: 180 XBT at 0.50 %/1.00 %; after adding 50 XBT, 230 XBT at 1.00 %/1.50 % (MM 2.30, IM 3.45 XBT)")
    func bmx1() throws {
        let report = try runJSON(try vector("bmx-1"), whatIf: try vector("bmx-1.what-if"))
        let before = try #require(value(report, "before", "positions", 0) as? [String: Any])
        #expect(before["maintenance_margin"] as? String == "0.90000000")
        #expect(before["initial_margin"] as? String == "1.80000000")
        let after = try #require(value(report, "after", "positions", 0) as? [String: Any])
        #expect(after["notional"] as? String == "230.00000000")
        #expect(after["maintenance_margin"] as? String == "2.30000000")
        #expect(after["initial_margin"] as? String == "3.45000000")
        #expect(after["tier"] as? Int == 2, "one step above the base limit (1-based)")
        #expect(value(report, "trades", 0, "passes") as? Bool == true)
    }

    @Test("BYB-1: isolated long 1 BTC at 20,000, 50x: IM 400, MM 100, LP 19,700")
    func byb1() throws {
        let report = try runJSON(try vector("byb-1"))
        let btc = try #require(position(report, "BTCUSDT"))
        #expect(btc["initial_margin"] as? String == "400.00000000")
        #expect(btc["maintenance_margin"] as? String == "100.00000000")
        #expect(number(btc, "liquidation_price", "price") == 19_700)
    }
}

extension PresetLibrary {
    /// A named margin preset, resolved as the account file resolves it.
    func schedule(named name: String) throws -> MarginSchedule? {
        let document = #"{"time":"2021-01-01","assets":[{"symbol":"Q","decimals":6},{"symbol":"U","decimals":8}],"instruments":[{"symbol":"P","kind":"perpetual","underlying":"U","quote":"Q","tick_size":"1","lot_size":"1","margin":"\#(name)"}],"account":{"id":"a"}}"#
        let input = try MarginInput.decode(Data(document.utf8), presets: self)
        return input.context.parameters.instrumentMargin[0]
    }
}

/// The SPAN vectors through the CLI path: published risk arrays in the account file, the shipped span-16 preset.
@Suite("SPAN vectors through the CLI path")
struct SpanVectorTests {
    @Test("HC-01: scan risk 10,000 at scenario 13")
    func hc01() throws {
        let report = try runJSON(try vector("hc-01"))
        let underlying = try #require(value(report, "portfolio", "underlyings", 0) as? [String: Any])
        #expect(underlying["scan_risk"] as? Double == 10_000)
        #expect(underlying["worst_scenario"] as? Int == 13)
        #expect(value(report, "cross", "maintenance_margin") as? String == "10000.000000")
    }

    @Test("HC-03: covered write, scan risk 6,620 at scenario 13; SPAN adds the short call's value to the requirement")
    func hc03() throws {
        let report = try runJSON(try vector("hc-03"))
        let underlying = try #require(value(report, "portfolio", "underlyings", 0) as? [String: Any])
        #expect(underlying["scan_risk"] as? Double == 6_620)
        #expect(underlying["worst_scenario"] as? Int == 13)
        #expect((underlying["losses"] as? [Double]) == [460, -610, -690, -1600, 2060, 990, -1460, -2130, 4130, 3240, -1940, -2360, 6620, 6010, -3870, 5500])
        // Net option value −1 × 12 × 500 = −6,000 (a short): requirement = 6,620 + 6,000.
        #expect(value(report, "portfolio", "net_option_value") as? Double == -6_000)
        #expect(value(report, "cross", "maintenance_margin") as? String == "12620.000000")
    }

    @Test("scenarios command prints the risk matrix and the account vector")
    func scenariosCommand() throws {
        let output = ScenariosCommand(accountData: try vector("hc-03")).run()
        #expect(output.exitCode == 0, "\(output.stderr)")
        #expect(output.stdout.contains("worst: scenario 13"))
        let json = ScenariosCommand(accountData: try vector("hc-03"), format: .json).run()
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((document["instruments"] as? [Any])?.count == 2)
        #expect(value(document, "instruments", 0, "pnl_per_contract", 12) as? Double == -10_000)
    }

    @Test("portfolio input errors name the path")
    func errors() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: try vector("hc-01")) as? [String: Any])
        object["portfolio"] = "span-17"
        var output = MarginCommand(accountData: try JSONSerialization.data(withJSONObject: object)).run()
        #expect(output.exitCode == 2 && output.stderr.contains("portfolio: unknown portfolio preset \"span-17\""))
        object["portfolio"] = "deribit-pm-2024"
        output = MarginCommand(accountData: try JSONSerialization.data(withJSONObject: object)).run()
        #expect(output.exitCode == 2 && output.stderr.contains("instruments[0].risk_array.losses: has 16 losses; the scenario grid has 35"))
        object.removeValue(forKey: "portfolio")
        output = MarginCommand(accountData: try JSONSerialization.data(withJSONObject: object)).run()
        #expect(output.exitCode == 2 && output.stderr.contains("portfolio: missing for a portfolio-margined account"))
        output = MarginCommand(accountData: try JSONSerialization.data(withJSONObject: object), model: .standard).run()
        #expect(output.exitCode == 2 && output.stderr.contains("instruments[0].margin: missing for held instrument \"ES\""))
    }
}
