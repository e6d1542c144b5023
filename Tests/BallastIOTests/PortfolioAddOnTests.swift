import BallastIO
import Foundation
import Testing

/// Portfolio add-ons where collateral and hedge-mode legs meet them. Both were found by fuzzing portfolio margin
/// against an independent recomputation.
@Suite("Portfolio margin: add-ons with collateral and hedge-mode legs")
struct PortfolioAddOnTests {
    /// A BTC December future at 100,000 (index 100,000) under SPAN-16 with scan range 0.16, a calendar floor of 0.1
    /// per unit of spread and a roll shock of 1 % of dated-future notional.
    func document(collateral: String, balances: String, positions: String) -> Data {
        Data("""
            {"time": "2025-10-23T13:00:00Z",
             "assets": [{"symbol": "USDC", "decimals": 6, "index_price": 1}, {"symbol": "BTC", "decimals": 8, "index_price": 100000}],
             "instruments": [{"symbol": "BTC-26DEC25", "kind": "future", "expiry": "2025-12-26T08:00:00Z", "underlying": "BTC", "quote": "USDC",
                              "tick_size": "0.5", "lot_size": "0.001", "mark_price": 100000}],
             "portfolio": {"name": "add-ons", "version": "1", "effective": "2025-01-01T00:00:00Z", "grid": "span-16", "look_ahead_days": 0,
                           "default_underlying": {"price_scan_range": 0.16, "calendar_spread": {"floor_rate": 0.1}, "roll_shock_rate": 0.01},
                           "collateral_in_scenarios": "\(collateral)"},
             "account": {"id": "pm", "model": "portfolio", "balances": \(balances), "positions": \(positions)}}
            """.utf8)
    }

    func underlying(_ data: Data) throws -> [String: Any] {
        let output = MarginCommand(accountData: data, format: .json).run()
        #expect(output.exitCode == 0, "\(output.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let portfolio = try #require(root["portfolio"] as? [String: Any])
        return try #require((portfolio["underlyings"] as? [[String: Any]])?.first)
    }

    /// Short 1 BTC future beside 1.9 BTC of collateral. Without the collateral: the scan is the +1 PSR loss,
    /// 1 × 100,000 × 0.16 = 16,000 (the +2 extreme counts 0.35 × 32,000 = 11,200), roll shock 0.01 × 100,000 = 1,000,
    /// one tenor so no calendar spread: risk 17,000. With it: the −1 PSR scenario loses 1.9 × 16,000 − 16,000 = 14,400,
    /// but its 1.9 BTC of delta forms a spread of min(1, 1.9) = 1 BTC with the future, charged 100,000 × 0.1 = 10,000:
    /// 14,400 + 10,000 + 1,000 = 25,400. Offset-only keeps the lower, 17,000 (it compared scans only and took 25,400);
    /// collateral included takes 25,400.
    @Test("offset-only collateral never raises an underlying's risk, add-ons included")
    func offsetOnlyWholeRisk() throws {
        let balances = #"[{"asset": "USDC", "amount": "100000"}, {"asset": "BTC", "amount": "1.9"}]"#
        let short = #"[{"instrument": "BTC-26DEC25", "size": "-1", "entry_price": "100000"}]"#
        let offset = try underlying(document(collateral: "offset_only", balances: balances, positions: short))
        #expect(offset["risk"] as? Double == 17_000)
        #expect(offset["scan_risk"] as? Double == 16_000)
        #expect(offset["calendar_spread"] as? Double == 0)
        let included = try underlying(document(collateral: "included", balances: balances, positions: short))
        #expect(abs((included["risk"] as? Double ?? 0) - 25_400) < 1e-6)
        #expect(abs((included["calendar_spread"] as? Double ?? 0) - 10_000) < 1e-6)
    }

    /// Long and short legs of 10 BTC in one future: no scenario loses, and the roll shock, charged on the net size of
    /// an instrument, is 0 (it was 0.01 × (1,000,000 + 1,000,000) = 20,000 on the gross legs). Legs of +10 and −4
    /// carry the roll shock of a one-way +6: 0.01 × 600,000 = 6,000.
    @Test("the roll shock of hedge-mode legs is charged on their net size")
    func rollShockOnNetLegs() throws {
        let usdc = #"[{"asset": "USDC", "amount": "10000"}]"#
        func legs(_ long: String, _ short: String) -> String {
            """
            [{"instrument": "BTC-26DEC25", "size": "\(long)", "entry_price": "100000", "position_side": "long"},
             {"instrument": "BTC-26DEC25", "size": "\(short)", "entry_price": "100000", "position_side": "short"}]
            """
        }
        let flat = try underlying(document(collateral: "excluded", balances: usdc, positions: legs("10", "-10")))
        #expect(flat["roll_shock"] as? Double == 0)
        #expect(flat["risk"] as? Double == 0)
        let partial = try underlying(document(collateral: "excluded", balances: usdc, positions: legs("10", "-4")))
        let oneWay = try underlying(document(collateral: "excluded", balances: usdc,
                                             positions: #"[{"instrument": "BTC-26DEC25", "size": "6", "entry_price": "100000"}]"#))
        #expect(abs((partial["roll_shock"] as? Double ?? 0) - 6_000) < 1e-6)
        #expect(partial["roll_shock"] as? Double == oneWay["roll_shock"] as? Double)
        #expect(partial["risk"] as? Double == oneWay["risk"] as? Double)
        // Each leg's line is its Euler share, sign(net)·q·notional of the roll shock: +10 → 10,000, −4 → −4,000; the
        // scenario losses of the legs cancel at the worst scenario in the same way, and the lines sum to the whole.
        let output = MarginCommand(accountData: document(collateral: "excluded", balances: usdc, positions: legs("10", "-4")), format: .json).run()
        let root = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let contributions = try #require((root["portfolio"] as? [String: Any])?["contributions"] as? [[String: Any]])
        let maintenance = contributions.compactMap { $0["maintenance"] as? Double }
        #expect(maintenance.count == 2)
        #expect(abs(maintenance.reduce(0, +) - (partial["risk"] as? Double ?? 0)) < 1e-6)
        let worst = try #require(partial["worst_scenario"] as? Int)
        let legLosses = contributions.compactMap { ($0["losses"] as? [Double])?[worst - 1] }
        #expect(abs(maintenance[0] - (legLosses[0] + 10_000)) < 1e-6, "\(maintenance) \(legLosses)")
        #expect(abs(maintenance[1] - (legLosses[1] - 4_000)) < 1e-6, "\(maintenance) \(legLosses)")
    }
    /// Deribit's extended moves are weighted range/|move| so that a delta-one position's extended loss equals its edge
    /// loss. The weights came from the default underlying's range (0.16) for every underlying: short 10 ETH at 4,000
    /// with ETH's own range 0.08 lost 10 × 4,000 × 0.5 × 0.16/0.5 = 6,400 in "extended +50 %", twice its edge loss
    /// 10 × 4,000 × 0.08 = 3,200. With ETH's weight 0.08/0.5 the extended loss is 3,200, and the scan the edge's.
    @Test("Deribit's extended moves are weighted by each underlying's own range")
    func extendedWeightsPerUnderlying() throws {
        let data = Data("""
            {"time": "2025-10-23T13:00:00Z",
             "assets": [{"symbol": "USDC", "decimals": 6, "index_price": 1}, {"symbol": "ETH", "decimals": 8, "index_price": 4000}],
             "instruments": [{"symbol": "ETH-PERP", "kind": "perpetual", "underlying": "ETH", "quote": "USDC", "tick_size": "0.05",
                              "lot_size": "0.001", "mark_price": 4000}],
             "portfolio": {"name": "extended", "version": "1", "effective": "2025-01-01T00:00:00Z", "grid": "deribit-9x3-extended",
                           "look_ahead_days": 0, "default_underlying": {"price_scan_range": 0.16}, "underlyings": {"ETH": {"price_scan_range": 0.08}}},
             "account": {"id": "pm", "model": "portfolio", "balances": [{"asset": "USDC", "amount": "100000"}],
                         "positions": [{"instrument": "ETH-PERP", "size": "-10", "entry_price": "4000"}]}}
            """.utf8)
        let eth = try underlying(data)
        #expect(abs((eth["scan_risk"] as? Double ?? 0) - 3_200) < 1e-9)
        let losses = try #require(eth["losses"] as? [Double])
        // Scenario 30 is "extended +50 %, vol up" (27 grid points, then −66 %, −33 %, +50 %).
        #expect(abs(losses[29] - 3_200) < 1e-9)
    }
}
