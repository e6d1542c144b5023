import BallastCore
import BallastEngine
import BallastIO
import Foundation
import Testing

/// Hedge-mode legs in account files and what-if documents: `position_side` read, checked and shown.
@Suite("Hedge mode in account files")
struct HedgeModeInputTests {
    /// The core test's account (HedgeModeTests): 2,000 USDT, long leg 1 BTC at 60,000, short leg 0.4 BTC at 62,000, 10x,
    /// on Binance's 2021 BTCUSDT brackets at a mark of 61,000; `extra` positions or orders are spliced in.
    func document(positions: String = Self.legs, orders: String = "[]") -> Data {
        Data("""
            {"time": "2021-06-01T00:00:00Z",
             "assets": [{"symbol": "USDT", "decimals": 6, "index_price": 1}, {"symbol": "BTC", "decimals": 8, "index_price": 61000}],
             "instruments": [{"symbol": "BTCUSDT", "kind": "perpetual", "underlying": "BTC", "quote": "USDT", "tick_size": "0.1",
                              "lot_size": "0.001", "mark_price": 61000, "margin": "binance-btcusdt-2021-03-18"}],
             "account": {"id": "hedger", "balances": [{"asset": "USDT", "amount": "2000"}], "positions": \(positions), "open_orders": \(orders)}}
            """.utf8)
    }

    static let legs = """
        [{"instrument": "BTCUSDT", "size": "1", "entry_price": "60000", "leverage": 10, "position_side": "long"},
         {"instrument": "BTCUSDT", "size": "-0.4", "entry_price": "62000", "leverage": 10, "position_side": "short"}]
        """

    func json(_ output: CommandOutput) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    /// The figures of the core test through the CLI path: MM 352.6, IM 8,540, one liquidation price of 55,864.5
    /// (tick 0.1 toward the mark: 55,864.6 for the long's... both legs share it), and the legs named in the output.
    @Test("legs are read, margined apart and named in the text and JSON reports")
    func report() throws {
        let text = MarginCommand(accountData: document()).run()
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.contains("BTCUSDT long") && text.stdout.contains("BTCUSDT short"))
        let output = MarginCommand(accountData: document(), format: .json).run()
        let root = try json(output)
        let cross = try #require(root["cross"] as? [String: Any])
        #expect(cross["maintenance_margin"] as? String == "352.600000")
        #expect(cross["initial_margin"] as? String == "8540.000000")
        let positions = try #require(root["positions"] as? [[String: Any]])
        #expect(positions.map { $0["position_side"] as? String } == ["long", "short"])
        let prices = positions.compactMap { ($0["liquidation_price"] as? [String: Any])?["price"] as? Double }
        #expect(prices.count == 2 && prices.allSatisfy { abs($0 - 55_864.5096) < 0.01 }, "\(prices)")
    }

    /// A what-if sell of 0.5 on the long leg realises 500 and passes as a reduction; a one-way trade is refused.
    @Test("what-if trades name their leg")
    func whatIf() throws {
        let trade = #"{"trades": [{"instrument": "BTCUSDT", "size": "-0.5", "price": "61000", "position_side": "long"}]}"#
        let output = MarginCommand(accountData: document(), whatIfData: Data(trade.utf8), format: .json).run()
        #expect(output.exitCode == 0, "\(output.stderr)")
        let steps = try #require(try json(output)["trades"] as? [[String: Any]])
        #expect(steps.first?["realised_pnl"] as? String == "500.000000")
        #expect(steps.first?["reduces_only"] as? Bool == true)
        let oneWay = MarginCommand(accountData: document(), whatIfData: Data(#"{"trades": [{"instrument": "BTCUSDT", "size": "0.1"}]}"#.utf8)).run()
        #expect(oneWay.exitCode == 2)
        #expect(oneWay.stderr.contains("needs a position side"), "\(oneWay.stderr)")
    }

    @Test("bad legs are named by their path", arguments: [
        (#"[{"instrument": "BTCUSDT", "size": "-1", "entry_price": "60000", "position_side": "long"}]"#, "account.positions[0].size", "long leg"),
        (#"[{"instrument": "BTCUSDT", "size": "1", "entry_price": "60000", "position_side": "LONG"}]"#, "account.positions[0].position_side", "not long, short or both"),
        (#"[{"instrument": "BTCUSDT", "size": "1", "entry_price": "60000"}, {"instrument": "BTCUSDT", "size": "-1", "entry_price": "60000", "position_side": "short"}]"#,
         "account.positions[1].position_side", "both one way and in hedge-mode legs"),
        (#"[{"instrument": "BTCUSDT", "size": "1", "entry_price": "60000", "position_side": "long"}, {"instrument": "BTCUSDT", "size": "2", "entry_price": "60000", "position_side": "long"}]"#,
         "account.positions[1].instrument", "duplicate position in \"BTCUSDT\" (long leg)"),
    ])
    func badLegs(positions: String, path: String, mentions: String) {
        let output = MarginCommand(accountData: document(positions: positions)).run()
        #expect(output.exitCode == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains(path + ":") && output.stderr.contains(mentions), "\(output.stderr)")
    }

    /// Orders on both legs hold 3,050 + 1,220 = 4,270 (core test); mixing one-way and leg orders is refused.
    @Test("orders on legs hold their sum; one-way and leg orders do not mix")
    func orders() throws {
        let orders = """
            [{"instrument": "BTCUSDT", "size": "0.5", "price": "61000", "position_side": "long"},
             {"instrument": "BTCUSDT", "size": "-0.2", "price": "61000", "position_side": "short"},
             {"instrument": "BTCUSDT", "size": "-0.5", "price": "61000", "position_side": "long"}]
            """
        let output = MarginCommand(accountData: document(orders: orders), format: .json).run()
        #expect(output.exitCode == 0, "\(output.stderr)")
        let openOrders = try #require(try json(output)["open_orders"] as? [String: Any])
        #expect(openOrders["total"] as? String == "4270.000000")
        let mixed = #"[{"instrument": "BTCUSDT", "size": "0.5", "price": "61000", "position_side": "long"}, {"instrument": "BTCUSDT", "size": "0.5", "price": "61000"}]"#
        let refused = MarginCommand(accountData: document(positions: "[]", orders: mixed)).run()
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("account.open_orders[1].position_side:"), "\(refused.stderr)")
        // Closes of the long leg of 1 BTC: 0.6 and 0.4 close it exactly; another 0.1 would take it past zero.
        let closes = #"{"instrument": "BTCUSDT", "size": "-0.6", "price": "61000", "position_side": "long"}, "#
            + #"{"instrument": "BTCUSDT", "size": "-0.4", "price": "61500", "position_side": "long"}"#
        let more = #", {"instrument": "BTCUSDT", "size": "-0.1", "price": "62000", "position_side": "long"}"#
        let exact = MarginCommand(accountData: document(orders: "[" + closes + "]")).run()
        #expect(exact.exitCode == 0, "\(exact.stderr)")
        let beyond = MarginCommand(accountData: document(orders: "[" + closes + more + "]")).run()
        #expect(beyond.exitCode == 2)
        #expect(beyond.stderr.contains("account.open_orders[2].size: the orders closing the long leg of BTCUSDT add up to 1.1, more than the leg's 1"),
                "\(beyond.stderr)")
    }

    /// A what-if file's orders rest beside the account file's: the closes of a leg count across both files, and so does
    /// the rule that an instrument's orders are one way or on legs.
    @Test("what-if orders are checked together with the account file's")
    func whatIfOrders() throws {
        let resting = #"[{"instrument": "BTCUSDT", "size": "-0.6", "price": "61000", "position_side": "long"}]"#
        func whatIf(_ orders: String, account: Data? = nil) -> CommandOutput {
            let body = #"{"trades": [{"instrument": "BTCUSDT", "size": "0.1", "position_side": "long"}], "open_orders": "# + orders + "}"
            return MarginCommand(accountData: account ?? document(orders: resting), whatIfData: Data(body.utf8)).run()
        }
        let fits = whatIf(#"[{"instrument": "BTCUSDT", "size": "-0.4", "price": "61500", "position_side": "long"}]"#)
        #expect(fits.exitCode == 0, "\(fits.stderr)")
        // 0.6 resting and 0.5 more: 1.1 of a leg of 1.
        let beyond = whatIf(#"[{"instrument": "BTCUSDT", "size": "-0.5", "price": "61500", "position_side": "long"}]"#)
        #expect(beyond.exitCode == 2)
        #expect(beyond.stderr.contains("open_orders[0].size: the orders closing the long leg of BTCUSDT add up to 1.1, more than the leg's 1"),
                "\(beyond.stderr)")
        // No position in BTCUSDT, a resting buy on its long leg: a one-way order in the what-if file would mix the two.
        let legOrder = document(positions: "[]", orders: #"[{"instrument": "BTCUSDT", "size": "0.5", "price": "61000", "position_side": "long"}]"#)
        let mixed = whatIf(#"[{"instrument": "BTCUSDT", "size": "0.5", "price": "61000"}]"#, account: legOrder)
        #expect(mixed.exitCode == 2)
        #expect(mixed.stderr.contains("open_orders[0].position_side:") && mixed.stderr.contains("mix one-way and hedge-mode legs"), "\(mixed.stderr)")
    }

    /// Under portfolio margin the legs' scenario PnL adds up: a long and a short leg of 1 BTC each lose nothing in any
    /// scenario, so the requirement is 0, where standard margin charges both legs (IM 12,200, MM 2·(305 − 50) = 510).
    @Test("under portfolio margin equal legs offset")
    func portfolio() throws {
        let legs = """
            [{"instrument": "BTCUSDT", "size": "1", "entry_price": "60000", "leverage": 10, "position_side": "long"},
             {"instrument": "BTCUSDT", "size": "-1", "entry_price": "62000", "leverage": 10, "position_side": "short"}]
            """
        let standard = try json(MarginCommand(accountData: document(positions: legs), format: .json).run())
        #expect((standard["cross"] as? [String: Any])?["maintenance_margin"] as? String == "510.000000")
        let output = MarginCommand(accountData: document(positions: legs), format: .table, model: .portfolio, portfolioPreset: "ballast-crypto-default").run()
        #expect(output.exitCode == 0, "\(output.stderr)")
        #expect(output.stdout.contains("BTCUSDT long") && output.stdout.contains("BTCUSDT short"))
        let portfolio = try json(MarginCommand(accountData: document(positions: legs), format: .json, model: .portfolio,
                                               portfolioPreset: "ballast-crypto-default").run())
        #expect((portfolio["cross"] as? [String: Any])?["maintenance_margin"] as? String == "0.000000")
        // The scenario matrix lists the instrument's per-contract array once, not once per leg.
        let matrix = ScenariosCommand(accountData: document(positions: legs), portfolioPreset: "ballast-crypto-default", format: .json).run()
        let arrays = try #require(try json(matrix)["instruments"] as? [[String: Any]])
        #expect(arrays.map { $0["instrument"] as? String } == ["BTCUSDT"])
    }

    /// Under portfolio margin each leg shows its own share of the requirement: the lines add up to the pool's MM.
    @Test("under portfolio margin each leg's line is its own contribution")
    func portfolioLines() throws {
        let root = try json(MarginCommand(accountData: document(), format: .json, model: .portfolio, portfolioPreset: "ballast-crypto-default").run())
        let total = try #require(Double((root["cross"] as? [String: Any])?["maintenance_margin"] as? String ?? ""))
        let lines = try #require(root["positions"] as? [[String: Any]]).compactMap { Double($0["maintenance_margin"] as? String ?? "") }
        #expect(lines.count == 2)
        #expect(total > 0)
        #expect(abs(lines.reduce(0, +) - total) < 0.00001, "\(lines) against \(total)")
        #expect(lines[0] != lines[1])
    }

    /// `--position-side` names the leg of an inline trade and of a max-size search: a sell of 0.5 on the long leg at
    /// 61,000 realises 500 (as the what-if file above); the largest sell on the long leg closes it, 1 BTC.
    @Test("--position-side names the leg of --trade and --max-size")
    func commandLine() throws {
        let trade = MarginCommand(accountData: document(), inlineTrade: ("BTCUSDT", "-0.5", "61000"), positionSide: "long", format: .json).run()
        #expect(trade.exitCode == 0, "\(trade.stderr)")
        let steps = try #require(try json(trade)["trades"] as? [[String: Any]])
        #expect(steps.first?["realised_pnl"] as? String == "500.000000")
        let oneWay = MarginCommand(accountData: document(), inlineTrade: ("BTCUSDT", "-0.5", "61000")).run()
        #expect(oneWay.exitCode == 2 && oneWay.stderr.contains("--trade:") && oneWay.stderr.contains("needs a position side"), "\(oneWay.stderr)")
        let bad = MarginCommand(accountData: document(), inlineTrade: ("BTCUSDT", "-0.5", nil), positionSide: "up").run()
        #expect(bad.exitCode == 2 && bad.stderr.contains("--position-side") && bad.stderr.contains("not long, short or both"), "\(bad.stderr)")

        let close = MarginCommand(accountData: document(), maxSize: ("BTCUSDT", .sell, "61000"), positionSide: "long", format: .json).run()
        #expect(close.exitCode == 0, "\(close.stderr)")
        #expect(try json(close)["max_size"] as? String == "1")
    }

    /// An engine event line names each side's leg; a bad word is refused at its path.
    @Test("engine fill events carry position_side")
    func engineEvents() throws {
        let genesis = try EngineDocuments().decodeGenesis(Data(Self.engineMarket.utf8))
        func decode(_ side: String) throws -> EngineEvent {
            let line = #"{"seq": 5, "id": "f1", "time": "2026-01-01T00:00:00Z", "type": "fill", "instrument": "BTC-PERP", "price": "60000", "size": "0.1", "#
                + #""buyer": {"account": "a", "position_side": "# + side + #"}, "seller": {"account": "b"}}"#
            return try EventJSON.decode(Data(line.utf8), catalog: genesis.catalog, latest: genesis.parameters, documents: EngineDocuments())
        }
        guard case .fill(let fill) = try decode(#""long""#).body else { throw InputError(path: "(test)", message: "not a fill") }
        #expect(fill.buyer?.positionSide == .long && fill.seller?.positionSide == .net)
        #expect(throws: InputError(path: "buyer.position_side", message: "\"LONG\" is not long, short or both")) { _ = try decode(#""LONG""#) }
    }

    static let engineMarket = """
        {"format": "ballast.market/1", "time": "2026-01-01T00:00:00Z",
         "assets": [{"symbol": "USDC", "decimals": 6, "index_price": 1}, {"symbol": "BTC", "decimals": 8, "index_price": 60000}],
         "instruments": [{"symbol": "BTC-PERP", "kind": "perpetual", "underlying": "BTC", "quote": "USDC", "tick_size": "0.1", "lot_size": "0.001",
                          "mark_price": 60000, "margin": "hyperliquid-btc-mainnet"}]}
        """
}
