import BallastIO
import Foundation
import Testing

/// `parameters.isolated_increase` through the CLI path: what a what-if increase of an isolated position moves in.
@Suite("Isolated increases in account files")
struct IsolatedIncreaseInputTests {
    /// 1,000 USDT in the cross pool; an isolated long of 1 ETH at 2,000 at 10x holding 300 (IM 200, so 100 above it);
    /// the what-if buys 0.5 more at the mark.
    func run(_ parameters: String) -> CommandOutput {
        let account = Data("""
            {"time": "2025-10-23T13:00:00Z", \(parameters)
             "assets": [{"symbol": "USDT", "decimals": 6, "index_price": 1}, {"symbol": "ETH", "decimals": 8, "index_price": 2000}],
             "instruments": [{"symbol": "ETHUSDT", "kind": "perpetual", "underlying": "ETH", "quote": "USDT", "tick_size": "0.01",
                              "lot_size": "0.001", "mark_price": 2000,
                              "margin": {"shape": "tiered", "tiers": [{"floor": 0, "max_leverage": 50, "maintenance_rate": 0.01}]}}],
             "account": {"id": "iso", "balances": [{"asset": "USDT", "amount": "1000"}],
                         "positions": [{"instrument": "ETHUSDT", "size": "1", "entry_price": "2000", "leverage": 10,
                                        "margin_mode": "isolated", "isolated_margin": "300"}]}}
            """.utf8)
        let trade = Data(#"{"trades": [{"instrument": "ETHUSDT", "size": "0.5"}]}"#.utf8)
        return MarginCommand(accountData: account, whatIfData: trade, format: .json).run()
    }

    /// By hand: the added 0.5 ETH's IM at 10x is 1,000 × 0.1 = 100 (`added_initial`, the default); under `top_up` the
    /// 300 held already covers the IM of 1.5 ETH, 300, so nothing moves.
    @Test("added_initial brings in the added size's IM, top_up only what the new IM lacks; an unknown value is named",
          arguments: [("", "100.000000"), (#""parameters": {"name": "p", "isolated_increase": "added_initial"},"#, "100.000000"),
                      (#""parameters": {"name": "p", "isolated_increase": "top_up"},"#, "0.000000")])
    func transfer(parameters: String, moved: String) throws {
        let output = run(parameters)
        #expect(output.exitCode == 0, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(value(object, "trades", 0, "isolated_transfer") as? String == moved)
    }

    @Test("an unknown isolated_increase is refused at its path")
    func refused() {
        let output = run(#""parameters": {"name": "p", "isolated_increase": "keep"},"#)
        #expect(output.exitCode == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("parameters.isolated_increase: \"keep\" is not added_initial or top_up"), "\(output.stderr)")
    }
}
