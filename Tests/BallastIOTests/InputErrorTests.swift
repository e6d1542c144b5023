import BallastCore
@testable import BallastIO
import Foundation
import Testing

/// Bad input gets a clear error naming the JSON path and the value, status 2, nothing on stdout, and never a crash.
@Suite("Input errors")
struct InputErrorTests {
    /// A valid base document (BNB-1) edited by `change`.
    func edited(_ change: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: try vector("bnb-1")) as? [String: Any])
        change(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    func expectRejected(_ data: Data, path: String, mentions: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let output = MarginCommand(accountData: data).run()
        #expect(output.exitCode == 2, sourceLocation: sourceLocation)
        #expect(output.stdout.isEmpty, "nothing on stdout", sourceLocation: sourceLocation)
        #expect(output.stderr.contains(path + ":"), "path \(path) in: \(output.stderr)", sourceLocation: sourceLocation)
        for text in mentions {
            #expect(output.stderr.contains(text), "\(text) in: \(output.stderr)", sourceLocation: sourceLocation)
        }
    }

    static func positions(_ object: inout [String: Any], _ change: (inout [[String: Any]]) -> Void) {
        var account = object["account"] as? [String: Any] ?? [:]
        var positions = account["positions"] as? [[String: Any]] ?? []
        change(&positions)
        account["positions"] = positions
        object["account"] = account
    }

    static func instruments(_ object: inout [String: Any], _ change: (inout [[String: Any]]) -> Void) {
        var instruments = object["instruments"] as? [[String: Any]] ?? []
        change(&instruments)
        object["instruments"] = instruments
    }

    static func assets(_ object: inout [String: Any], _ change: (inout [[String: Any]]) -> Void) {
        var assets = object["assets"] as? [[String: Any]] ?? []
        change(&assets)
        object["assets"] = assets
    }

    @Test("unknown instrument")
    func unknownInstrument() throws {
        expectRejected(try edited { Self.positions(&$0) { $0[1]["instrument"] = "SOLUSDT" } },
                       path: "account.positions[1].instrument", mentions: ["unknown instrument \"SOLUSDT\""])
    }

    @Test("NaN, negative and zero prices", arguments: [("NaN", "NaN"), ("-5", "-5.0"), ("0", "0.0")])
    func badPrice(price: String, shown: String) throws {
        expectRejected(try edited { Self.instruments(&$0) { $0[0]["mark_price"] = price } },
                       path: "instruments[0].mark_price", mentions: [shown])
        expectRejected(try edited { Self.assets(&$0) { $0[1]["index_price"] = price } },
                       path: "assets[1].index_price", mentions: [shown])
    }

    @Test("a size with more decimals than the lot allows")
    func tooManyDecimals() throws {
        expectRejected(try edited { Self.positions(&$0) { $0[0]["size"] = "109.4885" } },
                       path: "account.positions[0].size", mentions: ["109.4885", "BTCUSDT", "0.001"])
    }

    @Test("a balance with more decimals than the asset has")
    func balanceDecimals() throws {
        expectRejected(try edited { object in
            var account = object["account"] as? [String: Any] ?? [:]
            account["balances"] = [["asset": "USDT", "amount": "1.123456789"]]
            object["account"] = account
        }, path: "account.balances[0].amount", mentions: ["1.123456789", "USDT", "(8)"])
    }

    @Test("duplicate symbols in assets, instruments, balances and positions")
    func duplicates() throws {
        expectRejected(try edited { Self.assets(&$0) { $0.append(["symbol": "USDT", "decimals": 6, "index_price": 1]) } },
                       path: "assets[3].symbol", mentions: ["duplicate asset symbol \"USDT\""])
        expectRejected(try edited { Self.instruments(&$0) { $0.append($0[0]) } },
                       path: "instruments[2].symbol", mentions: ["duplicate instrument symbol \"BTCUSDT\""])
        expectRejected(try edited { Self.positions(&$0) { $0.append($0[0]) } },
                       path: "account.positions[2].instrument", mentions: ["duplicate position in \"BTCUSDT\""])
        expectRejected(try edited { object in
            var account = object["account"] as? [String: Any] ?? [:]
            account["balances"] = [["asset": "USDT", "amount": "1"], ["asset": "USDT", "amount": "2"]]
            object["account"] = account
        }, path: "account.balances[1].asset", mentions: ["duplicate balance of \"USDT\""])
    }

    @Test("missing price for a held asset or instrument")
    func missingPrices() throws {
        expectRejected(try edited { object in
            Self.assets(&object) { $0[1].removeValue(forKey: "index_price") }
            var account = object["account"] as? [String: Any] ?? [:]
            account["balances"] = [["asset": "BTC", "amount": "1"]]
            account["positions"] = []
            object["account"] = account
        }, path: "account.balances[0].asset", mentions: ["no index price for held asset \"BTC\""])
        expectRejected(try edited { Self.instruments(&$0) { $0[1].removeValue(forKey: "mark_price") } },
                       path: "instruments[1].mark_price", mentions: ["missing for held instrument \"ETHUSDT\""])
    }

    /// An inverse perpetual settles in BTC: its PnL and margin need BTC's index price even when no BTC balance is held.
    @Test("missing index price of the coin an inverse position settles in, named at the asset")
    func missingSettlementPrice() {
        expectRejected(Data("""
            {"time": "2025-10-23T13:00:00Z",
             "assets": [{"symbol": "USD", "decimals": 2, "index_price": 1}, {"symbol": "BTC", "decimals": 8}],
             "instruments": [{"symbol": "BTCUSD", "kind": "perpetual", "underlying": "BTC", "quote": "USD", "settlement": "inverse",
                              "contract_size": "100", "tick_size": "0.5", "lot_size": "1", "mark_price": 60000,
                              "margin": {"shape": "tiered", "tiers": [{"floor": 0, "max_leverage": 50, "maintenance_rate": 0.01}]}}],
             "account": {"id": "inv", "balances": [], "positions": [{"instrument": "BTCUSD", "size": "10", "entry_price": "60000"}]}}
            """.utf8), path: "assets[1].index_price", mentions: ["missing for asset \"BTC\" of held instrument \"BTCUSD\""])
    }

    @Test("unknown fields, wrong types, missing fields, unknown presets")
    func structure() throws {
        expectRejected(try edited { Self.positions(&$0) { $0[0]["entry_prise"] = "1" } },
                       path: "account.positions[0].entry_prise", mentions: ["unknown field \"entry_prise\""])
        expectRejected(try edited { Self.positions(&$0) { $0[0]["size"] = true } }, path: "account.positions[0].size", mentions: ["decimal"])
        expectRejected(try edited { $0.removeValue(forKey: "time") }, path: "time", mentions: ["missing required field"])
        expectRejected(try edited { Self.instruments(&$0) { $0[0]["margin"] = "binance-btcusdt-1999" } },
                       path: "instruments[0].margin", mentions: ["unknown margin preset \"binance-btcusdt-1999\"", "binance-btcusdt-2021-03-18"])
        expectRejected(try edited { Self.instruments(&$0) { $0[0]["kind"] = "swap" } }, path: "instruments[0].kind", mentions: ["\"swap\""])
        expectRejected(try edited { Self.positions(&$0) { $0[0]["leverage"] = 0.5 } }, path: "account.positions[0].leverage", mentions: ["0.5"])
        expectRejected(try edited { $0["time"] = "2021-02-30" }, path: "time", mentions: ["2021-02-30"])
    }

    @Test("a stated calendar pair charge that breaks a rule is named by its index")
    func badPairCharge() throws {
        var document = try #require(try JSONSerialization.jsonObject(with: try vector("cme-intra")) as? [String: Any])
        var portfolio = try #require(document["portfolio"] as? [String: Any])
        var underlying = try #require(portfolio["default_underlying"] as? [String: Any])
        for (pairs, path, mention) in [([["expiries": ["2026-02-20T00:00:00Z"], "charge": 1]], "expiries", "two different tenors"),
                                       ([["expiries": ["2026-02-20T00:00:00Z", NSNull()], "charge": -1]], "charge", "-1.0 is not a charge from 0 to 1e15")] {
            underlying["calendar_spread"] = ["pair_charges": pairs]
            portfolio["default_underlying"] = underlying
            document["portfolio"] = portfolio
            let output = MarginCommand(accountData: try JSONSerialization.data(withJSONObject: document)).run()
            #expect(output.exitCode == 2)
            #expect(output.stderr.contains("calendar_spread.pair_charges[0].\(path)"), "\(output.stderr)")
            #expect(output.stderr.contains(mention), "\(output.stderr)")
        }
    }

    /// Found by fuzzing portfolio margin: a scan range times a multiple of the grid (−2 × 0.5) can move the price by
    /// −100 % or more, which only relative moves were checked for. The scenario then read NaN and dropped out of the
    /// worst loss, hiding every other position's loss in it (the shipped ballast-crypto-default's −3 tail at its
    /// default 0.35 was −105 %). A negative volatility shock "up" priced options at a negative volatility.
    @Test("a scan range that moves a scenario's price by −100 % or more, and a negative volatility shock, are named")
    func impossibleScenarios() throws {
        var document = try #require(try JSONSerialization.jsonObject(with: try vector("cme-intra")) as? [String: Any])
        var portfolio = try #require(document["portfolio"] as? [String: Any])
        var underlying = try #require(portfolio["default_underlying"] as? [String: Any])
        func run(_ edit: (inout [String: Any]) -> Void) throws -> CommandOutput {
            var edited = underlying
            edit(&edited)
            portfolio["default_underlying"] = edited
            document["portfolio"] = portfolio
            return MarginCommand(accountData: try JSONSerialization.data(withJSONObject: document)).run()
        }
        // span-16: scenario 16 is −2 scan ranges; 0.5 moves it −100 %, 0.49 −98 %.
        let half = try run { $0["price_scan_range"] = 0.5 }
        #expect(half.exitCode == 2 && half.stdout.isEmpty)
        #expect(half.stderr.contains("portfolio.default_underlying.price_scan_range: 0.5: scenario 16 (-2 PSR extreme (35 %), -2.0 scan ranges) would move the price -100.0 %"),
                "\(half.stderr)")
        #expect(try run { $0["price_scan_range"] = 0.49 }.exitCode == 0)
        let shock = try run { $0["volatility_shock"] = ["kind": "absolute", "up": -1, "down": 0.2] }
        #expect(shock.exitCode == 2)
        #expect(shock.stderr.contains("portfolio.default_underlying.volatility_shock.up: -1.0: must be ≥ 0"), "\(shock.stderr)")
        underlying["price_scan_range"] = 0.15
        portfolio["underlyings"] = ["X": ["price_scan_range": 0.6]]
        let own = try run { _ in }
        #expect(own.stderr.contains("portfolio.underlyings.X.price_scan_range: 0.6"), "\(own.stderr)")
    }

    /// A named preset of the user's (`--presets DIR`) whose underlying X has a scan range of 0.6: span-16's −2 tail would
    /// move X by −120 %. The error is located inside the preset (it named only the field, not which underlying).
    @Test("a named portfolio preset's impossible scenario is located inside the preset")
    func presetScenarioLocated() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-presets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("portfolio"), withIntermediateDirectories: true)
        let preset = #"""
            {"name": "wide-x", "version": "1", "effective": "2025-01-01T00:00:00Z", "grid": "span-16",
             "default_underlying": {"price_scan_range": 0.15}, "underlyings": {"X": {"price_scan_range": 0.6}}}
            """#
        try Data(preset.utf8).write(to: directory.appendingPathComponent("portfolio/wide-x.json"))
        var document = try #require(try JSONSerialization.jsonObject(with: try vector("cme-intra")) as? [String: Any])
        document["portfolio"] = "wide-x"
        let output = MarginCommand(accountData: try JSONSerialization.data(withJSONObject: document),
                                   presets: PresetLibrary(directory: directory.path)).run()
        #expect(output.exitCode == 2)
        #expect(output.stderr.contains("portfolio (preset wide-x) underlyings.X.price_scan_range: 0.6: scenario 16 (-2 PSR extreme (35 %), -2.0 scan ranges) would move the price -120.0 %"),
                "\(output.stderr)")
    }

    /// Found by fuzzing: a correlation matrix listing an underlying twice was accepted, its second row never read.
    @Test("a correlation matrix that lists an underlying twice is refused at the repeat")
    func correlationRepeat() throws {
        var document = try #require(try JSONSerialization.jsonObject(with: try vector("cme-intra")) as? [String: Any])
        var portfolio = try #require(document["portfolio"] as? [String: Any])
        portfolio["aggregation"] = ["kind": "correlation", "underlyings": ["X", "X"], "matrix": [[1, 0.5], [0.5, 1]]]
        document["portfolio"] = portfolio
        let output = MarginCommand(accountData: try JSONSerialization.data(withJSONObject: document)).run()
        #expect(output.exitCode == 2)
        #expect(output.stderr.contains(#"portfolio.aggregation.underlyings[1]: "X" is listed twice"#), "\(output.stderr)")
        // The core refuses repeated assets too, for parameters built in code.
        do {
            _ = try CorrelationOffsets(underlyings: [AssetID(1), AssetID(1)], matrix: [[1, 0.5], [0.5, 1]], maximumCreditFraction: 1)
            Issue.record("a repeated underlying was accepted")
        } catch {
            #expect(error.field == "underlyings[1]")
        }
    }

    @Test("an unknown open-gain convention names the parameter")
    func badOpenGain() throws {
        expectRejected(try edited { $0["parameters"] = ["open_gain": "maybe"] }, path: "parameters.open_gain", mentions: ["maybe", "counted or ignored"])
    }

    /// Inline option margin rates: the right and the member are named.
    @Test("inline option margin rates that break a rule name the right and the member")
    func badOptionRates() throws {
        let rates: [String: Any] = ["otm_initial_rate": 0.15, "minimum_initial_rate": 0.1, "maintenance_rate": 0.075]
        var put = rates
        put["initial_premium"] = "entry"
        expectRejected(try edited { $0["option_margin"] = ["BTC": ["call": rates, "put": put]] },
                       path: "option_margin.BTC.put.initial_premium", mentions: ["entry", "mark or max_entry_mark"])
        var call = rates
        call["maintenance_rate"] = 1.5
        expectRejected(try edited { $0["option_margin"] = ["BTC": ["call": call, "put": rates]] },
                       path: "option_margin.BTC.call.maintenance_rate", mentions: ["1.5", "must be in [0, 1]"])
        var factor = rates
        factor["margin_factor"] = 0
        expectRejected(try edited { $0["option_margin"] = ["BTC": ["call": rates, "put": factor]] },
                       path: "option_margin.BTC.put.margin_factor", mentions: ["0", "must be in (0, 10]"])
    }

    @Test("an inline schedule that breaks a rule names the tier and field")
    func badSchedule() throws {
        expectRejected(try edited { Self.instruments(&$0) {
            $0[0]["margin"] = ["shape": "tiered", "tiers": [["floor": 0, "max_leverage": 10, "maintenance_rate": 0.05],
                                                            ["floor": 1000, "max_leverage": 5, "maintenance_rate": 0.04]]]
        } }, path: "instruments[0].margin.tiers[1].maintenance_rate", mentions: ["0.04", "must not decrease"])
        expectRejected(try edited { Self.instruments(&$0) {
            $0[0]["margin"] = ["shape": "tiered", "initial_rule": "stepped", "tiers": [["floor": 0, "max_leverage": 10, "maintenance_rate": 0.05]]]
        } }, path: "instruments[0].margin.initial_rule", mentions: ["stepped", "whole or sliced"])
        expectRejected(try edited { Self.instruments(&$0) {
            $0[0]["margin"] = ["shape": "size_scaled", "initial_rule": "sliced", "base_initial_rate": 0.02, "base_maintenance_rate": 0.01,
                               "initial_per_unit": 0.00005, "maintenance_per_unit": 0.00005]
        } }, path: "instruments[0].margin.initial_rule", mentions: ["does not apply to shape \"size_scaled\""])
        expectRejected(try edited { Self.instruments(&$0) {
            $0[0]["margin"] = ["shape": "tiered", "close_fee_rate": 0.5, "tiers": [["floor": 0, "max_leverage": 10, "maintenance_rate": 0.05]]]
        } }, path: "instruments[0].margin.close_fee_rate", mentions: ["0.5", "from 0 to 0.05"])
        expectRejected(try edited { Self.instruments(&$0) {
            $0[0]["margin"] = ["shape": "tiered", "close_fee_rate": 0.001, "close_fee_basis": "entry",
                               "tiers": [["floor": 0, "max_leverage": 10, "maintenance_rate": 0.05]]]
        } }, path: "instruments[0].margin.close_fee_basis", mentions: ["entry", "mark or bankruptcy"])
        expectRejected(try edited { Self.instruments(&$0) {
            $0[0]["margin"] = ["shape": "tiered", "tiers": [["floor": 0, "max_leverage": 10, "maintenance_rate": 0.05, "adjustment_factor": 0.5]]]
        } }, path: "instruments[0].margin.tiers[0].adjustment_factor", mentions: ["only to an initial_fraction ladder"])
        expectRejected(try edited { Self.instruments(&$0) {
            $0[0]["margin"] = ["shape": "initial_fraction", "tiers": [["floor": 0, "max_leverage": 10, "maintenance_rate": 0.05]]]
        } }, path: "instruments[0].margin.tiers[0].maintenance_rate", mentions: ["adjustment_factor instead"])
        expectRejected(try edited { Self.instruments(&$0) {
            $0[0]["margin"] = ["shape": "initial_fraction", "tiers": [["floor": 0, "max_leverage": 10, "adjustment_factor": 2]]]
        } }, path: "instruments[0].margin.tiers[0].adjustment_factor", mentions: ["2", "must be in (0, 1]"])
        expectRejected(try edited { Self.instruments(&$0) {
            $0[0]["margin"] = ["shape": "tiered", "fixed_margin_per_position": -5, "tiers": [["floor": 0, "max_leverage": 10, "maintenance_rate": 0.05]]]
        } }, path: "instruments[0].margin.fixed_margin_per_position", mentions: ["-5", "from 0 to 1e15"])
        expectRejected(try edited { Self.instruments(&$0) {
            $0[0]["margin"] = ["shape": "tiered", "tier_measure": "lots", "tiers": [["floor": 0, "max_leverage": 10, "maintenance_rate": 0.05]]]
        } }, path: "instruments[0].margin.tier_measure", mentions: ["lots", "notional or contracts"])
        expectRejected(try edited { Self.instruments(&$0) {
            $0[0]["margin"] = ["shape": "tiered", "tier_measure": "contracts",
                               "tiers": [["floor": 0, "max_leverage": 10, "maintenance_rate": 0.05, "deduction": 0]]]
        } }, path: "instruments[0].margin.tiers[0].deduction", mentions: ["no deductions"])
        expectRejected(try edited { Self.instruments(&$0) {
            $0[0]["margin"] = ["shape": "size_premium", "initial_ratio": 0.1, "maintenance_ratio": 0.05, "premium_factor": 0.001, "premium_discount": 1.5]
        } }, path: "instruments[0].margin.premium_discount", mentions: ["1.5", "[0, 1]"])
        expectRejected(try edited { Self.instruments(&$0) {
            $0[0]["margin"] = ["shape": "size_premium", "initial_ratio": 0.1, "maintenance_ratio": 0.05, "premium_factor": 0.001]
        } }, path: "instruments[0].margin.premium_discount", mentions: ["required"])
    }

    @Test("an expired held future")
    func expired() throws {
        expectRejected(try edited { Self.instruments(&$0) { $0[0]["kind"] = "future"; $0[0]["expiry"] = "2021-03-26T08:00:00Z" } },
                       path: "instruments[0].expiry", mentions: ["expired", "BTCUSDT"])
    }

    @Test("not JSON at all, or empty")
    func notJSON() {
        for text in ["", "{", "[1,2]", "null", "{\"time\": }", "\u{FEFF}{}"] {
            let output = MarginCommand(accountData: Data(text.utf8)).run()
            #expect(output.exitCode == 2)
            #expect(output.stdout.isEmpty)
            #expect(!output.stderr.isEmpty)
        }
    }

    /// A syntax error names the line and column (in characters) of the first character that breaks the grammar and
    /// what was expected there (a one-line text: the column); positions counted by hand in each text.
    @Test("a syntax error says where: line, column and what was expected", arguments: [
        ("{\n  \"time\": \"2024-01-01\",\n  \"assets\": [{\"symbol\": \"USDC\",, \"decimals\": 6}]\n}", "line 3, column 32: expected a quoted key, found ','"),
        ("{\"time\" \"2024-01-01\"}", "column 9: expected ':' after the key, found '\"'"),
        ("{\"é\": x}", "column 7: expected a value"),
        ("{\"assets\": [1, 2", "column 17: the document ends inside an array"),
        ("{\"assets\": [1 2]}", "column 15: expected ',' or ']' after an array element, found '2'"),
        ("{\"time\": \"2024\"} x", "column 18: unexpected 'x' after the end of the document"),
        ("{\"time\": nul}", "column 10: expected a value (an object, array, string, number, true, false or null), found 'n'"),
        ("\n\n   ", "the document is empty"),
        ("{\"time\": \"2024-01-01\",\r\n \"é\": [tru]}", "line 2, column 8: expected a value"),
        // Trailing commas, which Foundation's decoder reads without a word.
        ("{\"time\": \"2024-01-01\",}", "column 23: expected a quoted key, found '}'"),
        ("{\"assets\": [1, 2,]}", "column 18: expected a value (an object, array, string, number, true, false or null), found ']'"),
        // Valid JSON nested deeper than Foundation's decoder reads (it said only "not valid JSON"): the 513th container, the
        // 512th '[' after the object's '{'.
        ("{\"description\": " + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}",
         "column 528: objects and arrays nested deeper than 512 levels"),
        // Escaped surrogates come in pairs; Foundation refused a lone one without saying where.
        ("{\"id\": \"\\ud800\"}", "column 9: a lone surrogate escape in a string (\\ud800 needs a low surrogate after it)"),
        ("{\"id\": \"\\udc00x\"}", "column 9: a lone surrogate escape in a string (\\udc00 follows no high surrogate)"),
    ])
    func syntaxErrorLocation(text: String, expected: String) {
        for whatIf in [false, true] {
            let output = whatIf ? MarginCommand(accountData: (try? vector("bnb-1")) ?? Data(), whatIfData: Data(text.utf8)).run()
                                : MarginCommand(accountData: Data(text.utf8)).run()
            #expect(output.exitCode == 2 && output.stdout.isEmpty)
            #expect(output.stderr.contains("not valid JSON at " + expected) || output.stderr.contains("not valid JSON: " + expected), "\(output.stderr)")
            #expect(output.stderr.hasPrefix(whatIf ? "error: what-if" : "error: (document)"), "\(output.stderr)")
        }
    }

    /// RFC 8259 §8.1: a JSON text is UTF-8. An overlong form (C0 AF) inside a string was accepted in some members and
    /// refused without a position in others; a valid pair of escapes and a two-byte 'é' pass the grammar.
    @Test("invalid UTF-8 in a string is refused where it is; valid escapes and characters pass")
    func invalidUTF8() {
        let bad = MarginCommand(accountData: Data([UInt8]("{\"id\": \"a".utf8) + [0xC0, 0xAF] + [UInt8]("b\"}".utf8))).run()
        #expect(bad.exitCode == 2 && bad.stdout.isEmpty)
        #expect(bad.stderr.contains("not valid JSON at column 10: invalid UTF-8 (byte 0xC0) in a string"), "\(bad.stderr)")
        let good = MarginCommand(accountData: Data("{\"description\": \"\\ud83d\\ude00 é\"}".utf8)).run()
        #expect(good.exitCode == 2 && !good.stderr.contains("not valid JSON"), "\(good.stderr)")
    }

    /// A trade that cannot be applied (here its cost overflows the ledger: 10^11 BTC at 10^18 − 1) is named by its
    /// position in the file, or as the inline trade after the file's.
    @Test("a what-if trade that cannot be applied is named by its position")
    func whatIfTradeNamed() throws {
        let absurd = #"{"instrument": "BTCUSDT", "size": "100000000000", "price": "999999999999999999"}"#
        let inFile = MarginCommand(accountData: try vector("bnb-1"),
                                   whatIfData: Data(#"{"trades": [{"instrument": "BTCUSDT", "size": "0.1"}, \#(absurd)]}"#.utf8)).run()
        #expect(inFile.exitCode == 2 && inFile.stdout.isEmpty)
        #expect(inFile.stderr.hasPrefix("error: what-if trades[1]: trade of BTCUSDT overflows"), "\(inFile.stderr)")
        let inline = MarginCommand(accountData: try vector("bnb-1"), whatIfData: Data(#"{"trades": [{"instrument": "BTCUSDT", "size": "0.1"}]}"#.utf8),
                                   inlineTrade: ("BTCUSDT", "100000000000", "999999999999999999")).run()
        #expect(inline.exitCode == 2 && inline.stderr.hasPrefix("error: --trade: trade of BTCUSDT overflows"), "\(inline.stderr)")
    }

    @Test("what-if and max-size arguments are checked too")
    func commandArguments() throws {
        let bad = MarginCommand(accountData: try vector("bnb-1"), whatIfData: Data(#"{"trades":[{"instrument":"BTCUSDT","size":"0.0001"}]}"#.utf8)).run()
        #expect(bad.exitCode == 2 && bad.stdout.isEmpty && bad.stderr.contains("trades[0].size"))
        let unknown = MarginCommand(accountData: try vector("bnb-1"), maxSize: ("DOGEUSDT", .buy, nil)).run()
        #expect(unknown.exitCode == 2 && unknown.stderr.contains("DOGEUSDT"))
        let inline = MarginCommand(accountData: try vector("bnb-1"), inlineTrade: ("BTCUSDT", "-0.5", nil)).run()
        #expect(inline.exitCode == 0, "a negative inline size parses: \(inline.stderr)")
    }

    @Test("a number beyond a Double's range is named with its path, in the first and in a later element")
    func numberOutOfRange() throws {
        let member = Data(#"""
            {"time": "2025-10-23T13:00:00Z", "assets": [{"symbol": "USDC", "decimals": 1e309, "index_price": 1}], "instruments": [],
             "account": {"id": "a", "balances": [{"asset": "USDC", "amount": "100"}], "positions": []}}
            """#.utf8)
        expectRejected(member, path: "assets[0].decimals", mentions: ["1e309", "beyond the range of a number"])
        let element = Data(#"""
            {"time": "2025-10-23T13:00:00Z", "instruments": [],
             "assets": [{"symbol": "USDC", "decimals": 6, "index_price": 1}, {"symbol": "BTC", "decimals": -2e400, "index_price": 1}],
             "account": {"id": "a", "balances": [{"asset": "USDC", "amount": "100"}], "positions": []}}
            """#.utf8)
        expectRejected(element, path: "assets[1].decimals", mentions: ["-2e400"])
        // A field read as a number (or a decimal string) names the text too, not only "expected a number".
        let price = Data(#"""
            {"time": "2025-10-23T13:00:00Z", "assets": [{"symbol": "USDC", "decimals": 6, "index_price": 1e309}], "instruments": [],
             "account": {"id": "a", "balances": [{"asset": "USDC", "amount": "100"}], "positions": []}}
            """#.utf8)
        expectRejected(price, path: "assets[0].index_price", mentions: ["1e309", "beyond the range of a number"])
    }

    @Test("a field of the wrong JSON type names the value it got, not only the type it wants")
    func wrongTypeNamesValue() throws {
        let document = #"""
            {"time": "2025-10-23T13:00:00Z", "assets": [{"symbol": SYMBOL, "decimals": 6, "index_price": 1}], "instruments": [],
             "account": {"id": "a", "balances": [{"asset": "USDC", "amount": "100"}], "positions": []}}
            """#
        for (symbol, found) in [("true", "not true"), ("12.5", "not 12.5"), ("[1]", "not an array"), (#"{"a": 1}"#, "not an object")] {
            let data = Data(document.replacingOccurrences(of: "SYMBOL", with: symbol).utf8)
            expectRejected(data, path: "assets[0].symbol", mentions: ["expected a string, \(found)"])
        }
        // Arrays and objects are named by kind, whatever they hold.
        let long = String(repeating: "x", count: 100)
        let decimals = Data(document.replacingOccurrences(of: "SYMBOL", with: #""USDC""#)
            .replacingOccurrences(of: #""decimals": 6"#, with: #""decimals": [""# + long + #""]"#).utf8)
        expectRejected(decimals, path: "assets[0].decimals", mentions: ["not an array"])
        let id = Data(document.replacingOccurrences(of: "SYMBOL", with: #""USDC""#)
            .replacingOccurrences(of: #""id": "a""#, with: #""id": {"name": ""# + long + #""}"#).utf8)
        expectRejected(id, path: "account.id", mentions: ["expected a string, not an object"])
        // A long string is cut at 40 characters (not bytes or scalars: a skin-toned emoji is one character).
        #expect(JSONValue.string(long).shortDescription == "\"" + String(repeating: "x", count: 40) + "…\"")
        #expect(JSONValue.string(String(repeating: "👍🏽", count: 41)).shortDescription == "\"" + String(repeating: "👍🏽", count: 40) + "…\"")
        #expect(JSONValue.string(String(repeating: "👍🏽", count: 40)).shortDescription == "\"" + String(repeating: "👍🏽", count: 40) + "\"")
        // Beyond 1 MiB the text is not read again: the message names the type wanted only.
        let padded = Data(document.replacingOccurrences(of: "SYMBOL", with: "true")
            .replacingOccurrences(of: #"{"time""#, with: #"{"description": ""# + String(repeating: "y", count: 1 << 20) + #"", "time""#).utf8)
        expectRejected(padded, path: "assets[0].symbol", mentions: ["expected a string"])
        #expect(JSONValue.found(in: padded, at: []) == nil)
        // A description is free text that nothing reads, but still text (or null), wherever a document has one.
        let described = document.replacingOccurrences(of: "SYMBOL", with: #""USDC""#)
        expectRejected(Data(described.replacingOccurrences(of: #"{"time""#, with: #"{"description": 12, "time""#).utf8),
                       path: "description", mentions: ["expected a string, not 12"])
        expectRejected(Data(described.replacingOccurrences(of: #""instruments": []"#, with: #""instruments": [], "option_margin": {"BTC": {"description": ["a"]}}"#).utf8),
                       path: "option_margin.BTC.description", mentions: ["expected a string, not an array"])
        // A member whose name reads as a number is still a member, not an array element.
        expectRejected(Data(described.replacingOccurrences(of: #""instruments": []"#, with: #""instruments": [], "option_margin": {"3": {"description": 5}}"#).utf8),
                       path: "option_margin.3.description", mentions: ["expected a string, not 5"])
        #expect(MarginCommand(accountData: Data(described.replacingOccurrences(of: #"{"time""#, with: #"{"description": null, "time""#).utf8))
            .run().exitCode == 0)
    }

    @Test("a position or a trade that is not a whole number of lots is refused, naming the lot size")
    func wholeLots() throws {
        // BTCUSDT's lot becomes 0.005: 109.488 is 21,897.6 lots.
        let data = try edited { Self.instruments(&$0) { $0[0]["lot_size"] = "0.005" } }
        expectRejected(data, path: "account.positions[0].size", mentions: ["109.488", "not a whole number of BTCUSDT lots", "0.005"])
        let whole = try edited {
            Self.instruments(&$0) { $0[0]["lot_size"] = "0.005" }
            Self.positions(&$0) { $0[0]["size"] = "109.49" }
        }
        #expect(MarginCommand(accountData: whole).run().exitCode == 0)
        let output = MarginCommand(accountData: whole, inlineTrade: ("BTCUSDT", "0.001", nil)).run()
        #expect(output.exitCode == 2 && output.stderr.contains("--size") && output.stderr.contains("not a whole number"), "\(output.stderr)")
    }

    @Test("an exact amount given as the wrong kind of value, or too large a number, names what it got")
    func wrongKindOfAmount() throws {
        func balance(_ amount: Any) throws -> Data {
            try edited {
                var account = $0["account"] as? [String: Any] ?? [:]
                var balances = account["balances"] as? [[String: Any]] ?? []
                balances[0]["amount"] = amount
                account["balances"] = balances
                $0["account"] = account
            }
        }
        expectRejected(try balance(true), path: "account.balances[0].amount", mentions: ["not true"])
        expectRejected(try balance([1]), path: "account.balances[0].amount", mentions: ["not an array or an object"])
        expectRejected(try balance(1e300), path: "account.balances[0].amount", mentions: ["1e+300", "not a decimal number"])
    }

    @Test("an implied volatility so small that it prices a held option at 0 is named, not a missing mark")
    func volatilityPricingAtZero() throws {
        // BTC 109,135, a call struck at 120,000 with 36 days left: at σ = 1e-10, d₁ ≈ ln(109,135/120,000)/(σ√T) ≈ −3e8,
        // so Black-76 gives exactly 0; at σ = 0.3 it has a value and the report runs.
        func document(volatility: String) -> Data {
            Data("""
                {"time": "2025-10-23T13:00:00Z",
                 "assets": [{"symbol": "USDC", "decimals": 6, "index_price": 1}, {"symbol": "BTC", "decimals": 8, "index_price": 109135}],
                 "option_margin": {"BTC": "bybit-usdc-options"},
                 "instruments": [{"symbol": "C120", "kind": "option", "right": "call", "strike": 120000, "expiry": "2025-11-28T08:00:00Z",
                   "underlying": "BTC", "quote": "USDC", "tick_size": "5", "lot_size": "0.01", "implied_volatility": \(volatility)}],
                 "account": {"id": "a", "balances": [{"asset": "USDC", "amount": "40000"}],
                   "positions": [{"instrument": "C120", "size": "-1", "entry_price": "2650"}]}}
                """.utf8)
        }
        expectRejected(document(volatility: "1e-10"), path: "instruments[0].implied_volatility", mentions: ["1e-10", "at 0", "mark_price"])
        #expect(MarginCommand(accountData: document(volatility: "0.3")).run().exitCode == 0)
    }

    /// Random byte- and structure-level mutations of every vector: the command answers with 0 or 2 and never crashes.
    @Test("mutated documents never crash (seeded)")
    func fuzz() throws {
        var rng = SeededGenerator(seed: 2026)
        let seeds = try ["bnb-1", "bnb-2", "bnb-3", "hl-1", "hl-2", "bmx-1", "byb-1"].map { Array(try vector($0)) }
        let tokens: [[UInt8]] = ["-", "0", "1e400", "\"NaN\"", "null", "[]", "{}", "\"\"", ".", "9999999999999999999999", "-0.000000000000000000001", ","]
            .map { Array($0.utf8) }
        for _ in 0..<600 {
            var bytes = seeds[Int(rng.next() % UInt64(seeds.count))]
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(max(1, bytes.count)))
                switch rng.next() % 3 {
                case 0: bytes.remove(at: min(at, bytes.count - 1))
                case 1: bytes.insert(contentsOf: tokens[Int(rng.next() % UInt64(tokens.count))], at: at)
                default: bytes[min(at, bytes.count - 1)] = UInt8(truncatingIfNeeded: rng.next())
                }
            }
            let output = MarginCommand(accountData: Data(bytes)).run()
            #expect(output.exitCode == 0 || output.exitCode == 2)
            if output.exitCode == 2 { #expect(output.stdout.isEmpty) }
        }
    }
}
