import BallastCore
import BallastEngine
@testable import BallastIO
import Foundation
import Testing

/// A size-0 position entry keeps a leverage for an instrument with no position, as Binance's position risk lists every
/// symbol's leverage at size 0. ETHUSDT: one tier, cap 50×, marked at 2,000; 1,000 USDT of cash.
@Suite("Leverage settings in account files")
struct LeverageSettingInputTests {
    func document(_ positions: String) -> Data {
        Data("""
            {"time": "2025-10-23T13:00:00Z",
             "assets": [{"symbol": "USDT", "decimals": 6, "index_price": 1}, {"symbol": "ETH", "decimals": 8, "index_price": 2000}],
             "instruments": [{"symbol": "ETHUSDT", "kind": "perpetual", "underlying": "ETH", "quote": "USDT", "tick_size": "0.01",
                              "lot_size": "0.001", "mark_price": 2000,
                              "margin": {"shape": "tiered", "tiers": [{"floor": 0, "max_leverage": 50, "maintenance_rate": 0.01}]}},
                             {"symbol": "ETHUSDT-SPOT", "kind": "spot", "underlying": "ETH", "quote": "USDT", "tick_size": "0.01",
                              "lot_size": "0.001", "mark_price": 2000}],
             "account": {"id": "kept", "balances": [{"asset": "USDT", "amount": "1000"}], "positions": [\(positions)]}}
            """.utf8)
    }

    /// By hand: at 10× a buy of x ETH at 2,000 needs 200·x ≤ 1,000, so 5 ETH; at the cap, 40·x ≤ 1,000, so 25.
    @Test("--max-size opens at the leverage setting", arguments: [("", "25"), (#"{"instrument": "ETHUSDT", "size": "0", "leverage": 10}"#, "5")])
    func maxSize(positions: String, size: String) throws {
        let output = MarginCommand(accountData: document(positions), maxSize: ("ETHUSDT", .buy, nil), format: .json).run()
        #expect(output.exitCode == 0, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(number(object, "max_size") == Double(size), "\(output.stdout)")
    }

    /// A what-if buy of 1 ETH opens at 10×: IM 200. The report lists the setting before, not after.
    @Test("a what-if trade opens at the leverage setting; the report lists it while no position is held")
    func whatIf() throws {
        let trade = Data(#"{"trades": [{"instrument": "ETHUSDT", "size": "1"}]}"#.utf8)
        let output = MarginCommand(accountData: document(#"{"instrument": "ETHUSDT", "size": "0", "leverage": 10}"#), whatIfData: trade,
                                   format: .json).run()
        #expect(output.exitCode == 0, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(value(object, "after", "cross", "initial_margin") as? String == "200.000000")
        #expect(value(object, "after", "positions", 0, "chosen_leverage") as? Double == 10)
        #expect(value(object, "before", "instrument_settings", 0, "instrument") as? String == "ETHUSDT")
        #expect(value(object, "before", "instrument_settings", 0, "leverage") as? Double == 10)
        #expect(value(object, "before", "instrument_settings", 0, "margin_mode") as? String == "cross")
        #expect(value(object, "after", "instrument_settings") == nil)

        let text = MarginCommand(accountData: document(#"{"instrument": "ETHUSDT", "size": "0", "leverage": 10}"#)).run()
        #expect(text.stdout.contains("Set for instruments without a position (the next position there opens with these): ETHUSDT 10x"), "\(text.stdout)")
    }

    /// A what-if that closes the 10× position leaves 10× with the account; a second trade in the same file reopens at it:
    /// 2 ETH at 2,000 at 10× hold IM 400.
    @Test("a what-if close leaves the position's leverage, and the next trade opens at it")
    func closeAndReopen() throws {
        let held = #"{"instrument": "ETHUSDT", "size": "1", "entry_price": "2000", "leverage": 10}"#
        let close = Data(#"{"trades": [{"instrument": "ETHUSDT", "size": "-1"}]}"#.utf8)
        let closed = MarginCommand(accountData: document(held), whatIfData: close, format: .json).run()
        #expect(closed.exitCode == 0, "\(closed.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(closed.stdout.utf8)) as? [String: Any])
        #expect(value(object, "after", "instrument_settings", 0, "leverage") as? Double == 10)
        #expect(value(object, "before", "instrument_settings") == nil)

        let reopen = Data(#"{"trades": [{"instrument": "ETHUSDT", "size": "-1"}, {"instrument": "ETHUSDT", "size": "2"}]}"#.utf8)
        let reopened = MarginCommand(accountData: document(held), whatIfData: reopen, format: .json).run()
        let after = try #require(try JSONSerialization.jsonObject(with: Data(reopened.stdout.utf8)) as? [String: Any])
        #expect(value(after, "after", "cross", "initial_margin") as? String == "400.000000", "\(reopened.stdout)")
    }

    @Test("bad size-0 entries are refused at their field", arguments: [
        (#"{"instrument": "ETHUSDT", "size": "0"}"#, "account.positions[0].size: 0 needs a leverage or a margin_mode"),
        (#"{"instrument": "ETHUSDT", "size": "0", "leverage": 0.5}"#, "account.positions[0].leverage: 0.5 must be a number ≥ 1"),
        (#"{"instrument": "ETHUSDT", "size": "0", "leverage": 10, "entry_price": "2000"}"#,
         "account.positions[0].entry_price: does not apply to a size-0 entry"),
        (#"{"instrument": "ETHUSDT", "size": "1", "entry_price": "2000"}, {"instrument": "ETHUSDT", "size": "0", "leverage": 10}"#,
         "account.positions[1].size: 0 sets the leverage or margin mode of an instrument without a position, but \"ETHUSDT\" is listed again"),
        (#"{"instrument": "ETHUSDT", "size": "1", "entry_price": "2000", "position_side": "long"}, {"instrument": "ETHUSDT", "size": "0", "leverage": 10, "position_side": "short"}"#,
         "account.positions[1].size: 0 sets the leverage or margin mode of an instrument without a position, but \"ETHUSDT\" is listed again"),
        (#"{"instrument": "ETHUSDT", "size": "0", "leverage": 10}, {"instrument": "ETHUSDT", "size": "1", "entry_price": "2000"}"#,
         "account.positions[1].instrument: \"ETHUSDT\" is also listed with size 0"),
        (#"{"instrument": "ETHUSDT-SPOT", "size": "0", "leverage": 10}"#, "account.positions[0].size: must not be zero"),
        (#"{"instrument": "ETHUSDT", "size": "0", "leverage": "0x10"}"#, "account.positions[0].leverage"),
        (#"{"instrument": "ETHUSDT", "size": "0", "leverage": "nan"}"#, "account.positions[0].leverage"),
    ])
    func refused(positions: String, message: String) {
        let output = MarginCommand(accountData: document(positions)).run()
        #expect(output.exitCode == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }

    /// A `leverage` event line: account, instrument and leverage; members of other events are refused.
    @Test("engine leverage events are read from JSON lines")
    func engineEvent() throws {
        let genesis = try EngineDocuments().decodeGenesis(Data(HedgeModeInputTests.engineMarket.utf8))
        func decode(_ members: String) throws -> EngineEvent {
            let line = #"{"seq": 5, "id": "l1", "time": "2026-01-01T00:00:00Z", "type": "leverage", "account": "a", "# + members + "}"
            return try EventJSON.decode(Data(line.utf8), catalog: genesis.catalog, latest: genesis.parameters, documents: EngineDocuments())
        }
        guard case .leverage(let change) = try decode(#""instrument": "BTC-PERP", "leverage": 12.5"#).body else {
            throw InputError(path: "(test)", message: "not a leverage change")
        }
        #expect(change.account == "a" && change.leverage == 12.5 && genesis.catalog[instrument: change.instrument].symbol == "BTC-PERP")
        #expect(throws: InputError(path: "leverage", message: "missing required member of a leverage event")) {
            _ = try decode(#""instrument": "BTC-PERP""#)
        }
        #expect(throws: InputError(path: "instrument", message: "unknown instrument \"ETH-PERP\"")) {
            _ = try decode(#""instrument": "ETH-PERP", "leverage": 2"#)
        }
        #expect(throws: InputError.self) { _ = try decode(#""instrument": "BTC-PERP", "leverage": 2, "size": "1""#) }
    }

    /// Numeric strings in decimal notation only: `Double(_:)` alone also reads hexadecimal, `nan` and `inf`.
    @Test("real numbers given as strings are read in decimal notation only")
    func decimalNotation() {
        for text in ["5", "-5", "+5", "5.", ".5", "5.25", "1e3", "1E-3", "2.5e+2"] { #expect(RealNumber.isDecimal(text), "\(text)") }
        for text in ["", "-", ".", "e3", "0x10", "0x1p4", "nan", "inf", "infinity", "1e", "1e+", "1_0", "5 5", "--5", "1.2.3"] {
            #expect(!RealNumber.isDecimal(text), "\(text)")
        }
    }

    /// A group's pool merges cross holdings and keeps no member's settings; the member's report shows its own.
    @Test("a group member's report lists the member's leverage settings")
    func groupMember() throws {
        let genesis = try EngineDocuments().decodeGenesis(Data(HedgeModeInputTests.engineMarket.utf8))
        var engine = Engine(genesis: genesis)
        let perp = try #require(genesis.catalog.instrument("BTC-PERP"))
        let bodies: [EventBody] = [
            .openAccount(AccountOpening(account: "a")), .openAccount(AccountOpening(account: "b")),
            .deposit(FundsMovement(account: "a", asset: AssetID(0), amount: 10_000_000_000)),
            .group(GroupMembership(account: "a", group: "desk")), .group(GroupMembership(account: "b", group: "desk")),
            .leverage(LeverageChange(account: "a", instrument: perp, leverage: 7)),
        ]
        for (i, body) in bodies.enumerated() {
            let outcome = engine.apply(EngineEvent(id: "e\(i)", sequence: UInt64(i + 1), time: genesis.snapshot.time, body: body))
            guard case .applied = outcome else { throw InputError(path: "(test)", message: "event \(i): \(outcome)") }
        }
        let report = try EngineAccountReport.render(engine, account: "a", json: true)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
        #expect(value(object, "instrument_settings", 0, "instrument") as? String == "BTC-PERP")
        #expect(value(object, "instrument_settings", 0, "leverage") as? Double == 7)
        let other = try JSONSerialization.jsonObject(with: Data(try EngineAccountReport.render(engine, account: "b", json: true).utf8))
        #expect(value(other, "instrument_settings") == nil)
    }
}
