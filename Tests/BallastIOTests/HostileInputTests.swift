import BallastCore
import BallastIO
import Foundation
import Testing

/// Inputs found by fuzzing the CLI that used to trap (a crash ends the test process, so each of these fails by
/// crashing if its guard is removed) or to answer wrongly: each now gets an answer or a clear error naming the field.
@Suite("Hostile inputs")
struct HostileInputTests {
    /// A shipped vector edited by `change`.
    func edited(_ name: String, _ change: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: try vector(name)) as? [String: Any])
        change(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    func expectRejected(_ output: CommandOutput, path: String, mentions: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(output.exitCode == 2, "stderr: \(output.stderr)", sourceLocation: sourceLocation)
        #expect(output.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(output.stderr.contains(path + ":"), "path \(path) in: \(output.stderr)", sourceLocation: sourceLocation)
        for text in mentions { #expect(output.stderr.contains(text), "\(text) in: \(output.stderr)", sourceLocation: sourceLocation) }
    }

    /// BitMEX risk-limit steps: a notional of 10^17 XBT counts more steps than an `Int` converts from exactly (it used
    /// to trap); the count saturates and both rates sit at their cap of 100 %, so the order fails the pre-trade check.
    @Test("risk-limit steps of an absurd notional saturate instead of trapping")
    func riskLimitSteps() throws {
        let output = MarginCommand(accountData: try vector("bmx-1"), inlineTrade: ("XBTUSD", "-100000000000000000", nil), format: .json).run()
        #expect(output.exitCode == 0, "stderr: \(output.stderr)")
        let steps = try RiskLimitSteps(baseLimit: 200, stepSize: 100, baseMaintenanceRate: 0.0035, baseInitialRate: 0.01,
                                       maintenanceIncrement: 0.0005, initialIncrement: 0.0005)
        #expect(steps.steps(notional: .infinity) == RiskLimitSteps.maximumSteps)
        #expect(steps.steps(notional: 1e300) == RiskLimitSteps.maximumSteps)
        #expect(steps.steps(notional: .nan) == 0)
        #expect(steps.initialRate(steps: steps.steps(notional: 1e300)) == 1)
        // Below the saturation the count is exact: 200 + 3 × 100 + 1 is in the fourth started step.
        #expect(steps.steps(notional: 501) == 4)
    }

    /// Milliseconds near Int64.min overflowed the day arithmetic when printed; input is bounded to the years an ISO
    /// 8601 time names, and the core's own arithmetic no longer overflows for any Int64.
    @Test("a time in milliseconds outside 0000–9999 is rejected; the calendar and year fractions take any Int64")
    func extremeTimes() throws {
        for milliseconds in [Int64.min, -62_167_219_200_001, 253_402_300_800_000, Int64.max] {
            let output = MarginCommand(accountData: try edited("bnb-1") { $0["time"] = NSNumber(value: milliseconds) }).run()
            expectRejected(output, path: "time", mentions: ["\(milliseconds)", "0000–9999"])
        }
        let first = CivilTime(Timestamp(millisecondsSinceEpoch: Int64.min))
        #expect((0..<24).contains(first.hour) && (1...12).contains(first.month))
        // −9,223,372,036,854,775,808 ms = −106,751,991,168 days (floored) + 60,424,192 ms: 16:47:04.192 of that day.
        #expect(first.hour == 16 && first.minute == 47 && first.second == 4 && first.millisecond == 192)
        #expect(CivilTime(Timestamp(millisecondsSinceEpoch: -1)).millisecond == 999)
        let years = Timestamp(millisecondsSinceEpoch: Int64.min).years(until: Timestamp(millisecondsSinceEpoch: Int64.max))
        #expect(years.isFinite && years > 5.8e8)
        // The edges of the accepted range print as the ISO text that parses back to them.
        #expect(Timestamp(millisecondsSinceEpoch: -62_167_219_200_000).description == "0000-01-01T00:00:00Z")
        #expect(Timestamp(millisecondsSinceEpoch: 253_402_300_799_000).description == "9999-12-31T23:59:59Z")
    }

    /// size × contract size × price beyond Int128 at 10^-18 used to trap in an unchecked multiplication while the
    /// input was read.
    @Test("a position whose cost overflows is rejected with its path")
    func costOverflow() throws {
        let data = try edited("bnb-1") { object in
            var instruments = object["instruments"] as? [[String: Any]] ?? []
            instruments[0]["contract_size"] = "1000000000000000000"
            object["instruments"] = instruments
            var account = object["account"] as? [String: Any] ?? [:]
            var positions = account["positions"] as? [[String: Any]] ?? []
            positions[0]["size"] = "1000000000000000"
            account["positions"] = positions
            object["account"] = account
        }
        expectRejected(MarginCommand(accountData: data).run(), path: "account.positions[0]", mentions: ["size × entry price is out of range"])
    }

    /// A short at a price far above the mark is credited more than any loss it can take on, so every size passes
    /// until the ledger's range: the search stops below ``Trade/maximumSize`` and below any overflow (it used to
    /// report an overflow error, or 2,305,843,009,213,693.952 BTC, a size no input could place).
    @Test("--max-size at a price better than the mark stops at the size limit", arguments: [
        (MaxOrderSize.Side.sell, "200000"), (.buy, "50000"),
    ])
    func maxSizeBound(side: MaxOrderSize.Side, price: String) throws {
        let data = try Data(contentsOf: ExamplesTests.folder.appendingPathComponent("usdc-perp-trader.json"))
        let output = MarginCommand(accountData: data, maxSize: ("BTC-PERP", side, price), format: .json).run()
        #expect(output.exitCode == 0, "stderr: \(output.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let text = try #require(value(report, "max_size") as? String)
        let size = try #require(Double(text))
        // BTC-PERP trades in lots of 0.001: the limit is (2^60 − 1) thousandths of a contract.
        #expect(size > 0 && size <= Double(Trade.maximumSize) / 1000)
        // At that limit the answer says margin did not bound it (a metamorphic check took the limit for an answer).
        #expect(value(report, "unbounded") as? Bool == true)
        let table = MarginCommand(accountData: data, maxSize: ("BTC-PERP", side, price)).run().stdout
        #expect(table.contains("unbounded: every size passes up to the largest Ballast represents"))
        // Bounded by margin at the mark: no such member.
        let atMark = MarginCommand(accountData: data, maxSize: ("BTC-PERP", side, nil), format: .json).run()
        #expect(!atMark.stdout.contains("unbounded"))
    }

    /// A whole-contract instrument (lot size 1) at a price where margin never binds: the size limit is then the
    /// largest size a decimal input can give, 10^18 contracts (``FixedPoint/maximumMagnitude``), not 2^60 − 1 =
    /// 1,152,921,504,606,846,975, which the search reported before and no `--size` could give back.
    @Test("--max-size of a whole-contract instrument stops at a size that can be given back")
    func maxSizeWholeContracts() throws {
        let data = try Data(contentsOf: ExamplesTests.folder.appendingPathComponent("usdc-perp-trader.json"))
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var instruments = try #require(object["instruments"] as? [[String: Any]])
        var assets = try #require(object["assets"] as? [[String: Any]])
        var account = try #require(object["account"] as? [String: Any])
        // SOL-PERP in whole contracts at a mark of 0.01, no SOL position and no orders: a short sold at 0.1 is credited
        // more than it can lose, and its cost (10^18 · 0.1 at 10^-18) stays far inside the ledger's range.
        instruments[2]["lot_size"] = "1"
        instruments[2]["tick_size"] = "0.0001"
        instruments[2]["mark_price"] = 0.01
        assets[3]["index_price"] = 0.01
        account["positions"] = Array(try #require(account["positions"] as? [Any]).prefix(2))
        account["open_orders"] = nil
        object["instruments"] = instruments
        object["assets"] = assets
        object["account"] = account
        let edited = try JSONSerialization.data(withJSONObject: object)

        let output = MarginCommand(accountData: edited, maxSize: ("SOL-PERP", .sell, "0.1"), format: .json).run()
        #expect(output.exitCode == 0, "stderr: \(output.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(value(report, "max_size") as? String == "1000000000000000000")
        #expect(value(report, "unbounded") as? Bool == true)
        #expect(Trade.maximumSize(sizeDecimals: 0) == 1_000_000_000_000_000_000)
        #expect(Trade.maximumSize(sizeDecimals: 3) == Trade.maximumSize)

        // The reported size given back as a trade is read and passes the pre-trade check.
        let fedBack = MarginCommand(accountData: edited, inlineTrade: ("SOL-PERP", "-1000000000000000000", "0.1"), format: .json).run()
        #expect(fedBack.exitCode == 0, "stderr: \(fedBack.stderr)")
        let whatIf = try #require(try JSONSerialization.jsonObject(with: Data(fedBack.stdout.utf8)) as? [String: Any])
        let steps = try #require(value(whatIf, "trades") as? [[String: Any]])
        #expect(steps.first?["passes"] as? Bool == true)
    }

    /// HC-03's future bought at 1 against a mark of 400: every size passes until the position's cost overflows
    /// Int128 (the sum used to trap); the overflowing order now counts as failing.
    @Test("--max-size stops where the position's cost would overflow")
    func maxSizeCostOverflow() throws {
        let output = MarginCommand(accountData: try vector("hc-03"), maxSize: ("ES", .buy, "1"), format: .json).run()
        #expect(output.exitCode == 0, "stderr: \(output.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let text = try #require(value(report, "max_size") as? String)
        let size = try #require(Double(text))
        #expect(size > 0 && size <= Double(Trade.maximumSize))
    }

    /// An index price of 10^308 made the scenario figures infinite, and `scenarios` printed them as inf with status 0
    /// (`margin` already refused the same file). Both now refuse the price itself, outside the price range.
    @Test("scenarios refuses figures that cannot be money, as margin does")
    func scenariosOutOfRange() throws {
        let data = try edited("bnb-1") { object in
            var assets = object["assets"] as? [[String: Any]] ?? []
            assets[0]["index_price"] = 1e308
            object["assets"] = assets
        }
        let output = ScenariosCommand(accountData: data, portfolioPreset: "deribit-pm-2024", format: .json).run()
        expectRejected(output, path: "assets[0].index_price", mentions: ["1e+308 is outside [1e-18, 1e18]"])
        #expect(!output.stdout.contains("inf") && !output.stdout.contains("nan"))
    }

    /// A supplied risk array of 10^308 per contract made every scenario sum infinite, and `scenarios` printed NaN.
    @Test("a risk array beyond 1e20 per contract is rejected with its path")
    func riskArrayBound() throws {
        let data = try edited("hc-03") { object in
            var instruments = object["instruments"] as? [[String: Any]] ?? []
            var array = instruments[0]["risk_array"] as? [String: Any] ?? [:]
            array["delta"] = 1e308
            instruments[0]["risk_array"] = array
            object["instruments"] = instruments
        }
        expectRejected(ScenariosCommand(accountData: data, format: .json).run(), path: "instruments[0].risk_array.delta", mentions: ["out of range"])
        expectRejected(MarginCommand(accountData: data).run(), path: "instruments[0].risk_array.delta", mentions: ["out of range"])
    }

    /// Foundation rejects 6.5 or 1e40 for an integer as "not valid JSON" with no path; whole-number members now say
    /// which member and value.
    @Test("a number that is not a whole number in an integer member is named with its path and value", arguments: [6.5, 1e40, -1.5])
    func wholeNumbers(number: Double) throws {
        let data = try edited("bnb-1") { object in
            var assets = object["assets"] as? [[String: Any]] ?? []
            assets[0]["decimals"] = number
            object["assets"] = assets
        }
        expectRejected(MarginCommand(accountData: data).run(), path: "assets[0].decimals", mentions: ["\(number)", "not a whole number"])
    }

    /// A quoted value in a whole-number member ("NaN", "8") was refused as "expected a whole number", not naming it.
    @Test("text in a whole-number member is named", arguments: ["NaN", "8"])
    func wholeNumberText(text: String) throws {
        let data = try edited("bnb-1") { object in
            var assets = object["assets"] as? [[String: Any]] ?? []
            assets[0]["decimals"] = text
            object["assets"] = assets
        }
        expectRejected(MarginCommand(accountData: data).run(), path: "assets[0].decimals", mentions: ["\"\(text)\" is text: write a whole number, unquoted"])
    }

    @Test("the checked product of fixed-point amounts: exact, rounded at scale 36, nil on overflow")
    func checkedProduct() throws {
        let tiny = FixedPoint(units: 1, scale: 20)  // 10^-20
        #expect(tiny.multiplied(by: tiny, rounding: .up) == FixedPoint(units: 1, scale: 36))
        #expect(tiny.multiplied(by: tiny, rounding: .down) == FixedPoint(units: 0, scale: 36))
        let price = try #require(FixedPoint(parsing: "97500.000000000000000001"))
        let rate = try #require(FixedPoint(parsing: "0.000000000000000001"))
        // 97500.000000000000000001 (97,500·10^18 + 1 units at 10^-18) × 10^-18: the same units at scale 36, exactly.
        #expect(price.multiplied(by: rate, rounding: .up) == FixedPoint(units: 97_500_000_000_000_000_000_001, scale: 36))
        let huge = FixedPoint(units: Int128.max / 2, scale: 0)
        #expect(huge.multiplied(by: FixedPoint(units: 3, scale: 0), rounding: .up) == nil)
    }

    /// An index price of 10^30 valued a balance of 1 USDC beyond the 10^36 units of 10^-6 money figures are held in: the
    /// report failed with "(document): equity is out of the range Ballast can report", naming neither field nor value.
    /// Prices now stop at 10^18; a balance or a position of 10^12 at that price is still worth 10^30 USD.
    @Test("a holding worth more than Ballast can report is refused at the price that makes it so", arguments: [
        ("assets", 0, "index_price", "values the USDT balance"),
        ("instruments", 0, "mark_price", "values the BTCUSDT position"),
    ])
    func holdingBeyondRange(list: String, index: Int, key: String, mentions: String) throws {
        let data = try edited("bnb-1") { object in
            var entries = object[list] as? [[String: Any]] ?? []
            entries[index][key] = 1e18
            object[list] = entries
            var account = object["account"] as? [String: Any] ?? [:]
            let field = list == "assets" ? "balances" : "positions"
            var holdings = account[field] as? [[String: Any]] ?? []
            holdings[0][list == "assets" ? "amount" : "size"] = "1000000000000"
            account[field] = holdings
            object["account"] = account
        }
        let output = MarginCommand(accountData: data, format: .json).run()
        expectRejected(output, path: "\(list)[\(index)].\(key)", mentions: [mentions, "beyond the 1e+29 USD Ballast can report at 6 decimals"])
    }

    /// Two longs of 1,000 contracts entered at 10^17 USDT have cost bases of 10^20 USDT each, 2·10^38 together at
    /// 10^-18, beyond Int128: the margin sums wrapped and the report's sum of unrealised PnL trapped (a crash).
    @Test("cost bases that sum beyond the exact range are refused as out of range, not wrapped or trapped")
    func costBasesBeyondExactRange() throws {
        let data = try edited("bnb-1") { object in
            InputErrorTests.positions(&object) { positions in
                for i in positions.indices {
                    positions[i]["size"] = "1000"
                    positions[i]["entry_price"] = "100000000000000000"
                }
            }
        }
        let output = MarginCommand(accountData: data, format: .json).run()
        expectRejected(output, path: "(document)", mentions: ["USDT equity", "out of the range Ballast can report"])
    }

    /// `-0` (a negated zero loss or PnL) was printed in the portfolio explanation and the scenario arrays.
    @Test("the portfolio and scenario JSON write no negative zero")
    func noNegativeZero() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/hedged-options-book.json"))
        let scenarios = ScenariosCommand(accountData: data, portfolioPreset: "deribit-pm-2024", format: .json).run()
        let margin = MarginCommand(accountData: data, format: .json, model: .portfolio, portfolioPreset: "deribit-pm-2024").run()
        for output in [scenarios, margin] {
            #expect(output.exitCode == 0, "\(output.stderr)")
            #expect(output.stdout.range(of: #"-0(?![.0-9eE])"#, options: .regularExpression) == nil)
        }
    }
}
