import BallastIO
import Foundation
import Testing

/// An isolated position's loss beyond its margin through the CLI path: the what-if names it and the cross balance
/// does not pay it.
@Suite("Isolated shortfall in what-ifs")
struct IsolatedShortfallInputTests {
    /// 1,000 USDT in the cross pool; an isolated long of 1 ETH entered at 2,000 holding 300 of margin, marked at
    /// `mark`; the what-if sells it at the mark.
    func closeAt(_ mark: String) throws -> [String: Any] {
        let account = Data("""
            {"time": "2025-10-23T13:00:00Z",
             "assets": [{"symbol": "USDT", "decimals": 6, "index_price": 1}, {"symbol": "ETH", "decimals": 8, "index_price": \(mark)}],
             "instruments": [{"symbol": "ETHUSDT", "kind": "perpetual", "underlying": "ETH", "quote": "USDT", "tick_size": "0.01",
                              "lot_size": "0.001", "mark_price": \(mark),
                              "margin": {"shape": "tiered", "tiers": [{"floor": 0, "max_leverage": 50, "maintenance_rate": 0.01}]}}],
             "account": {"id": "iso", "balances": [{"asset": "USDT", "amount": "1000"}],
                         "positions": [{"instrument": "ETHUSDT", "size": "1", "entry_price": "2000", "leverage": 10,
                                        "margin_mode": "isolated", "isolated_margin": "300"}]}}
            """.utf8)
        let trade = Data(#"{"trades": [{"instrument": "ETHUSDT", "size": "-1"}]}"#.utf8)
        let output = MarginCommand(accountData: account, whatIfData: trade, format: .json).run()
        #expect(output.exitCode == 0, "\(output.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    /// At 1,650 the close realises 1 × (1,650 − 2,000) = −350 against the 300 released: 50 beyond the margin, which
    /// the cross balance does not pay (it stays 1,000).
    @Test("a close past the bankruptcy price names the shortfall, and the cross balance keeps its 1,000")
    func pastBankruptcy() throws {
        let object = try closeAt("1650")
        #expect(value(object, "trades", 0, "realised_pnl") as? String == "-350.000000")
        #expect(value(object, "trades", 0, "isolated_transfer") as? String == "-300.000000")
        #expect(value(object, "trades", 0, "isolated_shortfall") as? String == "50.000000")
        #expect(value(object, "after", "assets", 0, "balance") as? String == "1000.000000")
    }

    /// At 1,800: −200 realised, 300 released, 100 back to the cross balance; no shortfall, so no member.
    @Test("a solvent close has no shortfall member and credits what the margin leaves")
    func solvent() throws {
        let object = try closeAt("1800")
        #expect(value(object, "trades", 0, "isolated_shortfall") == nil)
        #expect(value(object, "after", "assets", 0, "balance") as? String == "1100.000000")
    }
}
