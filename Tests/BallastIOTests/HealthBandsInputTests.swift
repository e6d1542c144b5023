import BallastCore
import BallastIO
import Foundation
import Testing

/// Inline health bands with a hysteresis buffer, read from an account file and shown in the report.
@Suite("Health bands input")
struct HealthBandsInputTests {
    func document(bands: String) -> Data {
        Data("""
            {"time": "2021-06-01T00:00:00Z",
             "parameters": {"health_bands": \(bands)},
             "assets": [{"symbol": "USDT", "decimals": 6, "index_price": 1}, {"symbol": "BTC", "decimals": 8, "index_price": 61000}],
             "instruments": [{"symbol": "BTCUSDT", "kind": "perpetual", "underlying": "BTC", "quote": "USDT", "tick_size": "0.1",
                              "lot_size": "0.001", "mark_price": 61000, "margin": "binance-btcusdt-2021-03-18"}],
             "account": {"id": "a", "balances": [{"asset": "USDT", "amount": "2000"}],
                         "positions": [{"instrument": "BTCUSDT", "size": "1", "entry_price": "60000"}]}}
            """.utf8)
    }

    @Test("exit_buffer is read, shown in the JSON report, and a negative one is refused at its path")
    func exitBuffer() throws {
        let bands = #"{"name": "sticky", "warning_below": "1.5", "reduce_only_below": "1.2", "liquidation_below": "1.05", "exit_buffer": "0.1"}"#
        let output = MarginCommand(accountData: document(bands: bands), format: .json).run()
        #expect(output.exitCode == 0, "\(output.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect((root["health_bands"] as? [String: Any])?["exit_buffer"] as? String == "0.1")
        let plain = try #require(try JSONSerialization.jsonObject(with: Data(MarginCommand(accountData: document(bands: #""binance-pm-pro""#),
                                                                                            format: .json).run().stdout.utf8)) as? [String: Any])
        #expect((plain["health_bands"] as? [String: Any])?["exit_buffer"] == nil)

        let negative = bands.replacingOccurrences(of: #""0.1""#, with: #""-0.1""#)
        let refused = MarginCommand(accountData: document(bands: negative)).run()
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("parameters.health_bands.exit_buffer: -0.1: must be between 0 and 1000"), "\(refused.stderr)")
    }
}
