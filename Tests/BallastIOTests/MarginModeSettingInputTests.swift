import BallastCore
import BallastEngine
@testable import BallastIO
import Foundation
import Testing

/// A size-0 position entry keeps a margin mode for an instrument with no position, as Binance's position risk lists
/// every symbol's margin type at size 0; the `margin_mode` engine event sets it. ETHUSDT: one tier, cap 50×, marked at
/// 2,000; 1,000 USDT of cash, so 1 ETH at 10× holds IM 200.
@Suite("Margin mode settings in account files and event lines")
struct MarginModeSettingInputTests {
    func document(_ positions: String) -> Data { LeverageSettingInputTests().document(positions) }

    static let isolatedAt10 = #"{"instrument": "ETHUSDT", "size": "0", "leverage": 10, "margin_mode": "isolated"}"#

    @Test("a what-if trade opens in the kept mode: 200 moves into the isolated position, the cross pool holds no IM")
    func whatIf() throws {
        let trade = Data(#"{"trades": [{"instrument": "ETHUSDT", "size": "1"}]}"#.utf8)
        let output = MarginCommand(accountData: document(Self.isolatedAt10), whatIfData: trade, format: .json).run()
        #expect(output.exitCode == 0, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(value(object, "after", "cross", "initial_margin") as? String == "0.000000")
        #expect(value(object, "after", "cross", "margin_balance") as? String == "800.000000")
        #expect(value(object, "after", "positions", 0, "isolated", "initial_margin") as? String == "200.000000", "\(output.stdout)")
        #expect(value(object, "before", "instrument_settings", 0, "margin_mode") as? String == "isolated")
        #expect(value(object, "before", "instrument_settings", 0, "leverage") as? Double == 10)
        #expect(value(object, "after", "instrument_settings") == nil)

        let modeOnly = MarginCommand(accountData: document(#"{"instrument": "ETHUSDT", "size": "0", "margin_mode": "isolated"}"#), format: .json).run()
        let report = try #require(try JSONSerialization.jsonObject(with: Data(modeOnly.stdout.utf8)) as? [String: Any])
        #expect(value(report, "instrument_settings", 0, "leverage") == nil)
        #expect(value(report, "instrument_settings", 0, "margin_mode") as? String == "isolated")
        let text = MarginCommand(accountData: document(Self.isolatedAt10)).run()
        #expect(text.stdout.contains("Set for instruments without a position (the next position there opens with these): ETHUSDT 10x isolated"), "\(text.stdout)")
    }

    /// By hand: 1,000 USDT at 10× buys 1,000 × 10 / 2,000 = 5 ETH, the whole balance moving into the position.
    @Test("--max-size opens in the kept mode")
    func maxSize() throws {
        let output = MarginCommand(accountData: document(Self.isolatedAt10), maxSize: ("ETHUSDT", .buy, nil), format: .json).run()
        #expect(output.exitCode == 0, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(number(object, "max_size") == 5, "\(output.stdout)")
        // At 2,100 against the 2,000 mark: isolated keeps 5 (the open loss stays in the position's pool); cross at 10×
        // needs 200·x ≤ 1,000 − 100·x, so 3.333.
        for (mode, size) in [("isolated", 5.0), ("cross", 3.333)] {
            let entry = #"{"instrument": "ETHUSDT", "size": "0", "leverage": 10, "margin_mode": ""# + mode + #""}"#
            let dear = MarginCommand(accountData: document(entry), maxSize: ("ETHUSDT", .buy, "2100"), format: .json).run()
            let found = try #require(try JSONSerialization.jsonObject(with: Data(dear.stdout.utf8)) as? [String: Any])
            #expect(number(found, "max_size") == size, "\(mode): \(dear.stdout)")
        }
    }

    /// The same terms from the command line: 5 ETH at 10× isolated, and 1 ETH holding 200 of its own.
    @Test("--leverage and --margin-mode give the terms of --max-size and --trade")
    func commandLineTerms() throws {
        let search = MarginCommand(accountData: document(""), maxSize: ("ETHUSDT", .buy, nil), leverage: "10", marginMode: "isolated", format: .json).run()
        #expect(search.exitCode == 0, "\(search.stderr)")
        let found = try #require(try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any])
        #expect(number(found, "max_size") == 5, "\(search.stdout)")
        let trade = MarginCommand(accountData: document(""), inlineTrade: ("ETHUSDT", "1", nil), leverage: "10", marginMode: "isolated", format: .json).run()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(trade.stdout.utf8)) as? [String: Any])
        #expect(value(object, "after", "positions", 0, "isolated", "initial_margin") as? String == "200.000000", "\(trade.stdout)")
        #expect(value(object, "after", "cross", "initial_margin") as? String == "0.000000")

        // A mode other than the held position's is the option's.
        let held = MarginCommand(accountData: document(#"{"instrument": "ETHUSDT", "size": "1", "entry_price": "2000"}"#),
                                 inlineTrade: ("ETHUSDT", "1", nil), marginMode: "isolated").run()
        #expect(held.stderr.contains("--margin-mode: trade of ETHUSDT is isolated, but the account holds ETHUSDT in cross margin"), "\(held.stderr)")
        for (leverage, mode, instrument, message) in [("0.5", nil, "ETHUSDT", "--leverage: \"0.5\" is not a leverage of at least 1"),
                                                      (nil, "both", "ETHUSDT", "--margin-mode: \"both\" is not cross or isolated"),
                                                      (nil, "isolated", "ETHUSDT-SPOT", "--margin-mode: spot pairs cannot be isolated")] as [(String?, String?, String, String)] {
            let refused = MarginCommand(accountData: document(""), inlineTrade: (instrument, "0.01", nil), leverage: leverage, marginMode: mode).run()
            #expect(refused.exitCode == 2 && refused.stdout.isEmpty)
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
        }
    }

    @Test("a what-if trade naming the other mode than its position is refused at its index")
    func namedMode() {
        let trades = Data(#"{"trades": [{"instrument": "ETHUSDT", "size": "1"}, {"instrument": "ETHUSDT", "size": "1", "margin_mode": "cross"}]}"#.utf8)
        let output = MarginCommand(accountData: document(Self.isolatedAt10), whatIfData: trades).run()
        #expect(output.exitCode == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("trades[1]: trade of ETHUSDT is cross, but the account holds ETHUSDT in isolated margin"), "\(output.stderr)")
    }

    @Test("a spot trade or order cannot be isolated")
    func spotIsolated() {
        let trade = Data(#"{"trades": [{"instrument": "ETHUSDT-SPOT", "size": "0.01", "margin_mode": "isolated"}]}"#.utf8)
        let output = MarginCommand(accountData: document(""), whatIfData: trade).run()
        #expect(output.exitCode == 2)
        #expect(output.stderr.contains("trades[0].margin_mode: spot pairs cannot be isolated: isolated margin applies to futures and perpetuals"),
                "\(output.stderr)")
    }

    @Test("bad size-0 margin modes are refused at their field", arguments: [
        (#"{"instrument": "ETHUSDT", "size": "0", "margin_mode": "both"}"#, "account.positions[0].margin_mode: \"both\" is not cross or isolated"),
        (#"{"instrument": "ETHUSDT", "size": "0", "margin_mode": "isolated", "isolated_margin": "5"}"#,
         "account.positions[0].isolated_margin: does not apply to a size-0 entry"),
        (#"{"instrument": "ETHUSDT-SPOT", "size": "0", "margin_mode": "cross"}"#, "account.positions[0].size: must not be zero"),
        // A size-0 entry after a leg: listed again, whatever its sides.
        (#"{"instrument": "ETHUSDT", "size": "1", "entry_price": "2000", "position_side": "long"}, {"instrument": "ETHUSDT", "size": "0", "margin_mode": "isolated"}"#,
         "account.positions[1].size: 0 sets the leverage or margin mode of an instrument without a position, but \"ETHUSDT\" is listed again"),
        (#"{"instrument": "ETHUSDT", "size": "0", "margin_mode": "isolated"}, {"instrument": "ETHUSDT", "size": "0", "leverage": 5}"#,
         "account.positions[1].size: 0 sets the leverage or margin mode of an instrument without a position, but \"ETHUSDT\" is listed again"),
    ])
    func refused(positions: String, message: String) {
        LeverageSettingInputTests().refused(positions: positions, message: message)
    }

    @Test("engine margin_mode events and a fill side's mode are read from JSON lines")
    func engineEvent() throws {
        let genesis = try EngineDocuments().decodeGenesis(Data(HedgeModeInputTests.engineMarket.utf8))
        func decode(_ type: String, _ members: String) throws -> EngineEvent {
            let line = #"{"seq": 5, "id": "m1", "time": "2026-01-01T00:00:00Z", "type": ""# + type + #"", "# + members + "}"
            return try EventJSON.decode(Data(line.utf8), catalog: genesis.catalog, latest: genesis.parameters, documents: EngineDocuments())
        }
        guard case .marginMode(let change) = try decode("margin_mode", #""account": "a", "instrument": "BTC-PERP", "mode": "isolated""#).body else {
            throw InputError(path: "(test)", message: "not a margin mode change")
        }
        #expect(change.account == "a" && change.isolated && genesis.catalog[instrument: change.instrument].symbol == "BTC-PERP")
        #expect(throws: InputError(path: "mode", message: "missing required member of a margin_mode event")) {
            _ = try decode("margin_mode", #""account": "a", "instrument": "BTC-PERP""#)
        }
        #expect(throws: InputError(path: "mode", message: "\"ISOLATED\" is not cross or isolated")) {
            _ = try decode("margin_mode", #""account": "a", "instrument": "BTC-PERP", "mode": "ISOLATED""#)
        }
        #expect(throws: InputError.self) { _ = try decode("margin_mode", #""account": "a", "instrument": "BTC-PERP", "mode": "cross", "leverage": 2"#) }
        // The instrument is the engine's to refuse (at `instrument`, for an option or spot pair whatever the mode): the
        // word alone is checked here.
        let withOption = try EngineDocuments().decodeGenesis(Data(Self.optionMarket.utf8))
        let line = #"{"seq": 5, "id": "m2", "time": "2026-01-01T00:00:00Z", "type": "margin_mode", "account": "a", "instrument": "BTC-C", "mode": "isolated"}"#
        let event = try EventJSON.decode(Data(line.utf8), catalog: withOption.catalog, latest: withOption.parameters, documents: EngineDocuments())
        guard case .marginMode(let optionChange) = event.body else { throw InputError(path: "(test)", message: "not a margin mode change") }
        #expect(optionChange.isolated)

        for (member, isolated) in [("", nil), (#", "isolated": false"#, false), (#", "isolated": true"#, true)] as [(String, Bool?)] {
            let fill = try decode("fill", #""instrument": "BTC-PERP", "price": "60000", "size": "1", "buyer": {"account": "a""# + member + "}")
            guard case .fill(let body) = fill.body else { throw InputError(path: "(test)", message: "not a fill") }
            #expect(body.buyer?.isolated == isolated)
        }
    }

    static let optionMarket = """
        {"format": "ballast.market/1", "time": "2026-01-01T00:00:00Z",
         "assets": [{"symbol": "USDC", "decimals": 6, "index_price": 1}, {"symbol": "BTC", "decimals": 8, "index_price": 60000}],
         "instruments": [{"symbol": "BTC-C", "kind": "option", "right": "call", "strike": 70000, "expiry": "2026-06-26T08:00:00Z",
                          "underlying": "BTC", "quote": "USDC", "tick_size": "0.1", "lot_size": "0.01", "mark_price": 1500}]}
        """
}
