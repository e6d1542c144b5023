import BallastCore
import BallastIO
import Foundation
import Testing

/// `account.open_orders` through the CLI path: the report holds their margin back from the available balance, the
/// what-if and max-size tools count it, and a bad order is named by its JSON path.
@Suite("Open orders in account files")
struct OpenOrdersInputTests {
    /// 20,000 USDT, long 1 BTC at 10x on a one-tier 20x schedule, mark 60,000; `orders` is the JSON array.
    func document(orders: String, parameters: String = "") -> Data {
        Data("""
        {"format": "ballast.account/1", "time": "2025-10-23T13:00:00Z", \(parameters)
         "assets": [{"symbol": "USDT", "decimals": 6, "index_price": 1}, {"symbol": "BTC", "decimals": 8, "index_price": 60000}],
         "instruments": [{"symbol": "BTCUSDT", "kind": "perpetual", "underlying": "BTC", "quote": "USDT", "tick_size": "0.1",
                          "lot_size": "0.001", "mark_price": 60000,
                          "margin": {"name": "flat-20x", "shape": "tiered", "maintenance_rule": "half_initial",
                                     "tiers": [{"floor": 0, "max_leverage": 20}]}},
                         {"symbol": "ETHUSDT", "kind": "perpetual", "underlying": "BTC", "quote": "USDT", "tick_size": "0.01",
                          "lot_size": "0.01"}],
         "account": {"id": "orders", "balances": [{"asset": "USDT", "amount": "20000"}],
                     "positions": [{"instrument": "BTCUSDT", "size": "1", "entry_price": "60000", "leverage": 10}],
                     "open_orders": \(orders)}}
        """.utf8)
    }

    /// The orders of the core test (sell 3 at 60,000, buy 0.5 at 59,000, a reduce-only sell): they hold 6,000, so the
    /// available balance is 20,000 − 6,000 − 6,000 = 8,000, and the largest buy is 1.833 (see OpenOrderMarginTests).
    let orders = """
        [{"instrument": "BTCUSDT", "size": "-3", "price": "60000"}, {"instrument": "BTCUSDT", "size": "0.5", "price": "59000"},
         {"instrument": "BTCUSDT", "size": "-0.5", "price": "61000", "reduce_only": true}]
        """

    @Test("the JSON report lists the orders' margin and the available balance after it")
    func report() throws {
        let output = MarginCommand(accountData: document(orders: orders), format: .json).run()
        #expect(output.exitCode == 0, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let cross = try #require(object["cross"] as? [String: Any])
        #expect(cross["open_order_margin"] as? String == "6000.000000")
        #expect(cross["available"] as? String == "8000.000000")
        let open = try #require(object["open_orders"] as? [String: Any])
        let lines = try #require(open["instruments"] as? [[String: Any]])
        #expect(lines.count == 1)
        #expect(lines.first?["buy_cost"] as? String == "3000.000000")
        #expect(lines.first?["sell_cost"] as? String == "6000.000000")
        #expect(lines.first?["sells"] as? String == "3.000")

        let text = MarginCommand(accountData: document(orders: orders)).run().stdout
        #expect(text.contains("open order margin"))
        #expect(text.contains("8,000.000000"))
        // Without orders the document has no such members and the available balance is 14,000.
        let plain = MarginCommand(accountData: document(orders: "[]"), format: .json).run().stdout
        #expect(!plain.contains("open_order"))
        #expect(plain.contains("\"available\" : \"14000.000000\""))
    }

    /// Under `order_initial_price: limit` the bid of 0.5 at 59,000 holds 0.5 × 59,000/10 = 2,950 instead of 3,000.
    @Test("order_initial_price: limit margins a bid at its price, and is echoed; an unknown value is named")
    func limitPrice() throws {
        let limit = #""parameters": {"name": "p", "order_initial_price": "limit"},"#
        let output = MarginCommand(accountData: document(orders: orders, parameters: limit), format: .json).run()
        #expect(output.exitCode == 0, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let open = try #require(object["open_orders"] as? [String: Any])
        #expect(open["initial_price"] as? String == "limit")
        #expect((open["instruments"] as? [[String: Any]])?.first?["buy_cost"] as? String == "2950.000000")
        let bad = MarginCommand(accountData: document(orders: orders, parameters: #""parameters": {"name": "p", "order_initial_price": "last"},"#)).run()
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("parameters.order_initial_price: \"last\" is not mark or limit"), "\(bad.stderr)")
    }

    @Test("max-size and what-if count the orders")
    func tools() throws {
        let max = MarginCommand(accountData: document(orders: orders), maxSize: ("BTCUSDT", .buy, "60000")).run()
        #expect(max.stdout.contains(": 1.833 contracts"), "\(max.stdout)")
        let whatIf = MarginCommand(accountData: document(orders: orders), inlineTrade: ("BTCUSDT", "2", "60000")).run()
        #expect(whatIf.exitCode == 0)
        #expect(whatIf.stdout.contains("FAILS: initial margin 18,000.000000 + open orders 3,000.000000 exceeds margin balance 20,000.000000 by 1,000.000000"),
                "\(whatIf.stdout)")
    }

    @Test("a bad order is named by its path", arguments: [
        (#"[{"instrument": "SOLUSDT", "size": "1", "price": "1"}]"#, "account.open_orders[0].instrument", "unknown instrument \"SOLUSDT\""),
        (#"[{"instrument": "BTCUSDT", "size": "0", "price": "60000"}]"#, "account.open_orders[0].size", "must not be zero"),
        (#"[{"instrument": "BTCUSDT", "size": "0.0001", "price": "60000"}]"#, "account.open_orders[0].size", "decimals"),
        (#"[{"instrument": "BTCUSDT", "size": "1", "price": "-5"}]"#, "account.open_orders[0].price", "must be positive"),
        (#"[{"instrument": "BTCUSDT", "size": "1"}]"#, "account.open_orders[0].price", "missing"),
        (#"[{"instrument": "BTCUSDT", "size": "1", "price": "60000", "leverage": 0.5}]"#, "account.open_orders[0].leverage", "≥ 1"),
        (#"[{"instrument": "BTCUSDT", "size": "1", "price": "60000", "margin_mode": "hedge"}]"#, "account.open_orders[0].margin_mode", "hedge"),
        (#"[{"instrument": "BTCUSDT", "size": "1", "price": "60000", "side": "buy"}]"#, "account.open_orders[0]", "side"),
        (#"[{"instrument": "ETHUSDT", "size": "1", "price": "2000"}]"#, "instruments[1].mark_price", "account.open_orders[0]"),
        (#"[{"instrument": "BTCUSDT", "size": "700000000000000", "price": "1"}, {"instrument": "BTCUSDT", "size": "700000000000000", "price": "1"}]"#,
         "account.open_orders:", "together"),
    ])
    func rejected(orders: String, path: String, mention: String) {
        let output = MarginCommand(accountData: document(orders: orders)).run()
        #expect(output.exitCode == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains(path), "\(output.stderr)")
        #expect(output.stderr.contains(mention), "\(output.stderr)")
    }
}
