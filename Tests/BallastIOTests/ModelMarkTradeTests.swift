import BallastCore
import BallastIO
import Foundation
import Testing

/// An option quoted only by its implied volatility has the model mark the report shows (Black-76), and trades without
/// a price fill at that mark: `--trade`, `--max-size` and what-if files used to refuse it with "no mark price".
@Suite("Trades at an option's model mark")
struct ModelMarkTradeTests {
    /// Short 3 BTC 105,000 puts, coin-settled, with no `mark_price` but an implied volatility of 45.13 %.
    func document(mark: String = "\"implied_volatility\": 0.4513") -> Data {
        Data("""
        {"time": "2025-10-23T13:00:00Z",
         "assets": [{"symbol": "BTC", "decimals": 8, "index_price": 109135}],
         "instruments": [{"symbol": "BTC-31OCT25-105000-P", "kind": "option", "right": "put", "strike": 105000,
                          "expiry": "2025-10-31T08:00:00Z", "settlement": "inverse", "underlying": "BTC", "quote": "USD",
                          "tick_size": "0.0005", "lot_size": "0.1", \(mark)}],
         "option_margin": {"BTC": "deribit-standard"},
         "account": {"id": "a", "balances": [{"asset": "BTC", "amount": "3.5"}],
                     "positions": [{"instrument": "BTC-31OCT25-105000-P", "size": "-3", "entry_price": "0.0090"}]}}
        """.utf8)
    }

    /// The model mark of the report, as a decimal of 8 places (what a trade without a price fills at).
    func modelMark() throws -> String {
        let report = try runJSON(document())
        let line = try #require(position(report, "BTC-31OCT25-105000-P"))
        let mark = try #require(number(line, "mark_price"))
        return String(format: "%.8f", mark)
    }

    /// By hand (Black-76 with the forward at the index, no rate, ACT/365): F = 109,135, K = 105,000, σ = 0.4513,
    /// T = 7 days 19 hours = 0.0213470 years; d₁ = (ln(F/K) + σ²T/2)/(σ√T) = 0.61875…, d₂ = 0.55282…; put =
    /// K·N(−d₂) − F·N(−d₁) = 1,217.97… USD, ÷ F = 0.0111602616 BTC: 0.01116026 at 8 decimals.
    @Test("a what-if sale without a price fills at the model mark, and equals one at that price given")
    func whatIf() throws {
        let mark = try modelMark()
        #expect(mark == "0.01116026")
        let atMark = try runJSON(document(), whatIf: Data(#"{"trades": [{"instrument": "BTC-31OCT25-105000-P", "size": "-1"}]}"#.utf8))
        let priced = try runJSON(document(), whatIf: Data(#"{"trades": [{"instrument": "BTC-31OCT25-105000-P", "size": "-1", "price": "\#(mark)"}]}"#.utf8))
        #expect(value(atMark, "trades", 0, "passes") as? Bool == true)
        #expect(value(atMark, "trades", 0, "trade") as? String == "sell 1 BTC-31OCT25-105000-P @ \(mark)")
        #expect(value(atMark, "after", "cross") as? [String: String] == value(priced, "after", "cross") as? [String: String])
        #expect(value(atMark, "after", "cross") != nil)
    }

    @Test("--max-size and --trade take the model mark")
    func maxSizeAndTrade() throws {
        let maxSize = MarginCommand(accountData: document(), maxSize: ("BTC-31OCT25-105000-P", .sell, nil), format: .json).run()
        #expect(maxSize.exitCode == 0, "\(maxSize.stderr)")
        let sized = try #require(try JSONSerialization.jsonObject(with: Data(maxSize.stdout.utf8)) as? [String: Any])
        #expect((value(sized, "max_size") as? String).flatMap(Double.init).map { $0 > 0 } == true)
        let trade = MarginCommand(accountData: document(), inlineTrade: ("BTC-31OCT25-105000-P", "-1", nil), format: .json).run()
        #expect(trade.exitCode == 0, "\(trade.stderr)")
    }

    @Test("a quoted mark that is 0 at 8 decimals is named with its value")
    func markBelowPrecision() throws {
        let output = MarginCommand(accountData: document(mark: "\"mark_price\": 0.000000001"), inlineTrade: ("BTC-31OCT25-105000-P", "-1", nil),
                                   format: .json).run()
        #expect(output.exitCode == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("--price: no price given, and the mark price 1e-09 of \"BTC-31OCT25-105000-P\" is 0 at 8 decimals"))
    }
}
