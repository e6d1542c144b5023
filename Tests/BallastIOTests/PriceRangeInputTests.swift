import BallastIO
import Foundation
import Testing

/// The account file's prices share the engine's range, and an option held at its expiry is worth its intrinsic value.
/// Both were found by fuzzing: a strike of 10^30 failed as "(document): equity is out of the range Ballast can report",
/// and an option expiring at the snapshot time with an implied volatility was refused for a missing mark, the message
/// asking for the implied volatility it had.
@Suite("Account file: the price range and options at their expiry")
struct PriceRangeInputTests {
    /// One BTC option (strike 110,000, index 100,000) held short 2, in a USDC account under standard option margin.
    func document(right: String = "put", strike: String = "110000", expiry: String = "2025-10-23T13:00:00Z", mark: String? = nil,
                  volatility: String = "0.5", index: String = "100000") -> Data {
        Data("""
            {"time": "2025-10-23T13:00:00Z",
             "assets": [{"symbol": "USDC", "decimals": 6, "index_price": 1}, {"symbol": "BTC", "decimals": 8, "index_price": \(index)}],
             "instruments": [{"symbol": "OPT", "kind": "option", "right": "\(right)", "strike": \(strike), "expiry": "\(expiry)",
                              "underlying": "BTC", "quote": "USDC", "tick_size": "0.01", "lot_size": "0.01",
                              "implied_volatility": \(volatility)\(mark.map { #", "mark_price": \#($0)"# } ?? "")}],
             "option_margin": {"BTC": "deribit-standard"},
             "account": {"id": "o", "balances": [{"asset": "USDC", "amount": "100000"}],
                         "positions": [{"instrument": "OPT", "size": "-2", "entry_price": "3000"}]}}
            """.utf8)
    }

    func rejection(_ data: Data) -> (exitCode: Int32, stderr: String, stdout: String) {
        let output = MarginCommand(accountData: data, format: .json).run()
        return (output.exitCode, output.stderr, output.stdout)
    }

    @Test("a price, strike or volatility outside [1e-18, 1e18] is refused at its field", arguments: [
        ("strike", "instruments[0].strike: 1e+30 is outside [1e-18, 1e18]"),
        ("index", "assets[1].index_price: 1e+19 is outside [1e-18, 1e18]"),
        ("mark", "instruments[0].mark_price: 1e-19 is outside [1e-18, 1e18]"),
        ("volatility", "instruments[0].implied_volatility: 2e+18 is outside [1e-18, 1e18]"),
    ])
    func outsideRange(field: String, message: String) {
        let later = "2025-12-26T08:00:00Z"
        let data = switch field {
        case "strike": document(strike: "1e30")
        case "index": document(index: "1e19")
        case "mark": document(expiry: later, mark: "1e-19")
        default: document(expiry: later, volatility: "2e18")
        }
        let output = rejection(data)
        #expect(output.exitCode == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }

    /// At the edges of the range the file is accepted: a strike of 10^18 on a put (worth at most 2·10^18 USD here,
    /// inside the 10^29 a report can hold).
    @Test("a strike of 1e18 is accepted")
    func strikeAtEdge() {
        let output = rejection(document(strike: "1e18", expiry: "2025-12-26T08:00:00Z"))
        #expect(output.exitCode == 0, "\(output.stderr)")
    }

    /// A put struck at 110,000 expiring at the snapshot time with BTC at 100,000: worth max(K − F, 0) = 10,000 per
    /// BTC, whatever its implied volatility. Short 2 entered at 3,000: unrealised PnL 2 × (3,000 − 10,000) = −14,000.
    @Test("an option without a mark expiring at the snapshot time is marked at its intrinsic value")
    func expiringInTheMoney() throws {
        let output = MarginCommand(accountData: document(), format: .json).run()
        #expect(output.exitCode == 0, "\(output.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let position = try #require((root["positions"] as? [[String: Any]])?.first)
        #expect(position["mark_price"] as? Double == 10_000)
        #expect(position["unrealised_pnl"] as? String == "-14000.000000")
    }

    /// Under portfolio margin the expiring put moves at its intrinsic value: deribit-pm-2024 moves BTC by up to −16 %
    /// (to 84,000), where the put is worth 110,000 − 84,000 = 26,000, a loss of 16,000 per BTC against its mark of
    /// 10,000; short 2: a scan risk of 32,000.
    @Test("an option expiring at the snapshot time is moved at its intrinsic value in portfolio scenarios")
    func expiringUnderPortfolioMargin() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: document()) as? [String: Any])
        object["portfolio"] = "deribit-pm-2024"
        var account = try #require(object["account"] as? [String: Any])
        account["model"] = "portfolio"
        object["account"] = account
        let output = MarginCommand(accountData: try JSONSerialization.data(withJSONObject: object), format: .json).run()
        #expect(output.exitCode == 0, "\(output.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let portfolio = try #require(root["portfolio"] as? [String: Any])
        let btc = try #require((portfolio["underlyings"] as? [[String: Any]])?.first)
        #expect(abs((btc["scan_risk"] as? Double ?? 0) - 32_000) < 1e-6)
    }

    /// The same put struck at 90,000 is worth 0 at its expiry: no mark can stand for it, and the message says so
    /// rather than asking for the implied volatility the file already gives.
    @Test("an option expiring out of the money at the snapshot time is refused with the reason")
    func expiringOutOfTheMoney() {
        let output = rejection(document(strike: "90000"))
        #expect(output.exitCode == 2)
        #expect(output.stderr.contains(#"instruments[0].mark_price: missing for held instrument "OPT", which expires worthless at the snapshot time (at or out of the money)"#),
                "\(output.stderr)")
        #expect(!output.stderr.contains("implied_volatility"))
    }
}
