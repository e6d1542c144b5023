import BallastCore
import BallastEngine
import BallastIO
import Foundation
import Testing

/// The read API under hysteresis: reports and what-ifs decide their states from the ones the engine holds. Alice holds
/// 1 BTC of BTC-PERP bought at 60,000 with 1,000 USDC; MM is 0.5 % of the notional (100x, maintenance half the IM); the
/// bands are 150 % / 120 % / 105 % with an exit buffer of 0.1.
@Suite("Queries under hysteresis")
struct HysteresisQueryTests {
    static let market = """
        {"format": "ballast.market/1", "time": "2026-01-01T00:00:00Z",
         "parameters": {"name": "sticky-venue", "version": "1", "effective": "2026-01-01T00:00:00Z",
                        "health_bands": {"name": "sticky", "warning_below": "1.5", "reduce_only_below": "1.2", "liquidation_below": "1.05",
                                         "exit_buffer": "0.1"}},
         "assets": [{"symbol": "USDC", "decimals": 6, "index_price": 1}, {"symbol": "BTC", "decimals": 8, "index_price": 60000}],
         "instruments": [{"symbol": "BTC-PERP", "kind": "perpetual", "underlying": "BTC", "quote": "USDC", "tick_size": "0.1", "lot_size": "0.001",
                          "mark_price": 60000,
                          "margin": {"name": "btc-100x", "shape": "tiered", "maintenance_rule": "half_initial", "tiers": [{"floor": 0, "max_leverage": 100}]}}]}
        """

    /// ``market`` with an ETH-PERP beside BTC-PERP (ETH at 3,000, the same 100x schedule).
    static let twoPerpMarket = market
        .replacingOccurrences(of: #"{"symbol": "BTC", "decimals": 8, "index_price": 60000}"#,
                              with: #"{"symbol": "BTC", "decimals": 8, "index_price": 60000}, {"symbol": "ETH", "decimals": 8, "index_price": 3000}"#)
        .replacingOccurrences(of: #""tiers": [{"floor": 0, "max_leverage": 100}]}}]"#, with: """
            "tiers": [{"floor": 0, "max_leverage": 100}]}}, {"symbol": "ETH-PERP", "kind": "perpetual", "underlying": "ETH", "quote": "USDC", \
            "tick_size": "0.01", "lot_size": "0.01", "mark_price": 3000, "margin": {"name": "eth-100x", "shape": "tiered", \
            "maintenance_rule": "half_initial", "tiers": [{"floor": 0, "max_leverage": 100}]}}]
            """)

    /// The engine of `market` (``market`` unless given) after `lines` (JSON events), each of which must be applied.
    static func applying(_ lines: [String], market: String = market) throws -> Engine {
        let documents = EngineDocuments()
        var engine = Engine(genesis: try documents.decodeGenesis(Data(market.utf8)))
        for line in lines {
            let event = try EventJSON.decode(Data(line.utf8), catalog: engine.catalog, latest: engine.latestParameters, documents: documents)
            guard case .applied = engine.apply(event) else { throw InputError(path: "(test)", message: "event \(event.id) not applied") }
        }
        return engine
    }

    static func engine() throws -> Engine {
        let lines = [
            #"{"seq": 1, "id": "o", "time": "2026-01-01T00:00:00Z", "type": "open_account", "account": "alice"}"#,
            #"{"seq": 2, "id": "d", "time": "2026-01-01T00:00:00Z", "type": "deposit", "account": "alice", "asset": "USDC", "amount": "1000"}"#,
            #"{"seq": 3, "id": "f", "time": "2026-01-01T00:00:00Z", "type": "fill", "instrument": "BTC-PERP", "price": "60000", "size": "1", "buyer": {"account": "alice"}}"#,
            // 59,310: 310 / 296.55 = 1.045 ≤ 1.05: liquidation. 59,320: 320 / 296.6 = 1.079, reduce-only by the entry
            // bands, but ≤ 1.15: held in liquidation.
            #"{"seq": 4, "id": "p1", "time": "2026-01-01T00:01:00Z", "type": "prices", "index": {"BTC": 59310}, "marks": {"BTC-PERP": 59310}}"#,
            #"{"seq": 5, "id": "p2", "time": "2026-01-01T00:02:00Z", "type": "prices", "index": {"BTC": 59320}, "marks": {"BTC-PERP": 59320}}"#,
        ]
        return try applying(lines)
    }

    func json(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func crossState(_ report: Any?) -> String? {
        ((report as? [String: Any])?["cross"] as? [String: Any])?["state"] as? String
    }

    @Test("the report shows the held state; a what-if decides its states trade by trade")
    func heldStates() throws {
        let engine = try Self.engine()
        #expect(engine.status(of: engine.unit(ofAccount: 0)).cross.state == .liquidation)
        let report = try json(try AccountQueries.report(engine, account: "alice"))
        #expect(crossState(report) == "liquidation")

        // Sell 0.2 then buy it back, at the mark, no fee: equity stays 320. After the sale MM = 0.8 × 59,320 × 0.5 % =
        // 237.28 (1.349 > 1.30: warning from liquidation); after the buy-back 296.6 again (1.079 ≤ 1.2: reduce-only, a
        // worse state entered from warning). Decided from the state before both trades it would still be liquidation.
        let body = #"{"trades": [{"instrument": "BTC-PERP", "size": "-0.2"}, {"instrument": "BTC-PERP", "size": "0.2"}]}"#
        let whatIf = try json(try AccountQueries.whatIf(PoolSnapshot(engine, account: "alice"), body: Data(body.utf8)))
        #expect(crossState(whatIf["before"]) == "liquidation")
        #expect(crossState(whatIf["after"]) == "reduce-only")
    }

    /// Carol holds 1 BTC of BTC-PERP isolated, bought at 60,000 at 100x: the fill moved its initial margin, 600, into
    /// the position. At a price P the pool's margin balance is 600 + P − 60,000 and its maintenance 0.5 % × P.
    static func isolatedEngine() throws -> Engine {
        let lines = [
            #"{"seq": 1, "id": "o", "time": "2026-01-01T00:00:00Z", "type": "open_account", "account": "carol"}"#,
            #"{"seq": 2, "id": "d", "time": "2026-01-01T00:00:00Z", "type": "deposit", "account": "carol", "asset": "USDC", "amount": "5000"}"#,
            #"{"seq": 3, "id": "f", "time": "2026-01-01T00:00:00Z", "type": "fill", "instrument": "BTC-PERP", "price": "60000", "size": "1", "buyer": {"account": "carol", "isolated": true}}"#,
            // 59,710: 310 / 298.55 = 1.038 ≤ 1.05: liquidation. 59,720: 320 / 298.6 = 1.072, reduce-only by the entry
            // bands, but ≤ 1.15: held in liquidation.
            #"{"seq": 4, "id": "p1", "time": "2026-01-01T00:01:00Z", "type": "prices", "index": {"BTC": 59710}, "marks": {"BTC-PERP": 59710}}"#,
            #"{"seq": 5, "id": "p2", "time": "2026-01-01T00:02:00Z", "type": "prices", "index": {"BTC": 59720}, "marks": {"BTC-PERP": 59720}}"#,
        ]
        return try applying(lines)
    }

    func isolatedState(_ report: Any?) -> String? {
        let positions = (report as? [String: Any])?["positions"] as? [[String: Any]]
        return (positions?.first?["isolated"] as? [String: Any])?["state"] as? String
    }

    @Test("a what-if decides an isolated pool's state trade by trade")
    func isolatedTradeByTrade() throws {
        let engine = try Self.isolatedEngine()
        #expect(engine.status(of: engine.unit(ofAccount: 0)).isolated.map(\.pool.state) == [.liquidation])
        let report = try json(try AccountQueries.report(engine, account: "carol"))
        #expect(isolatedState(report) == "liquidation")

        // Buy 1 at the mark, 59,720: the initial margin of the added BTC comes in, 1,194.4 − 597.2 = 597.2 (IMs at the
        // mark), so the margin is 600 + 597.2 = 1,197.2; cost 119,720, value 119,440, margin balance 1,197.2 − 280 =
        // 917.2 against MM 597.2: 1.536 > 1.30, warning from liquidation. Then buy 0.5 at 60,500: 1,493 − 1,194.4 =
        // 298.6 more, 1,495.8; cost 149,970, value 149,300, margin balance 1,495.8 − 670 = 825.8 against MM 746.5:
        // 1.106 ≤ 1.2, reduce-only, entered from warning. Decided from the state before both trades it would be
        // liquidation (1.106 ≤ 1.15).
        let body = #"{"trades": [{"instrument": "BTC-PERP", "size": "1"}, {"instrument": "BTC-PERP", "size": "0.5", "price": "60500"}]}"#
        let whatIf = try json(try AccountQueries.whatIf(PoolSnapshot(engine, account: "carol"), body: Data(body.utf8)))
        #expect(isolatedState(whatIf["before"]) == "liquidation")
        #expect(isolatedState(whatIf["after"]) == "reduce-only")
        let after = try #require(((whatIf["after"] as? [String: Any])?["positions"] as? [[String: Any]])?.first?["isolated"] as? [String: Any])
        #expect(after["margin_balance"] as? String == "825.800000")
        #expect(after["maintenance_margin"] as? String == "746.500000")

        // One trade only: decided from the held state (liquidation) it leaves for warning.
        let one = #"{"trades": [{"instrument": "BTC-PERP", "size": "1"}]}"#
        let single = try json(try AccountQueries.whatIf(PoolSnapshot(engine, account: "carol"), body: Data(one.utf8)))
        #expect(isolatedState(single["after"]) == "warning")
    }

    /// A group's pool merges its members' cross holdings only; a member's report adds its isolated positions, each
    /// with its own pool and the state the engine holds for it (another member's isolated pools are not in it).
    @Test("a group member's report shows its isolated positions beside the group's pool")
    func groupMemberIsolated() throws {
        let engine = try Self.applying([
            #"{"seq": 1, "id": "oa", "time": "2026-01-01T00:00:00Z", "type": "open_account", "account": "alice"}"#,
            #"{"seq": 2, "id": "ob", "time": "2026-01-01T00:00:00Z", "type": "open_account", "account": "bob"}"#,
            #"{"seq": 3, "id": "da", "time": "2026-01-01T00:00:00Z", "type": "deposit", "account": "alice", "asset": "USDC", "amount": "5000"}"#,
            #"{"seq": 4, "id": "db", "time": "2026-01-01T00:00:00Z", "type": "deposit", "account": "bob", "asset": "USDC", "amount": "700"}"#,
            // Alice and Bob each hold an isolated BTC-PERP long; their group's pool has no cross position.
            #"{"seq": 5, "id": "fa", "time": "2026-01-01T00:00:00Z", "type": "fill", "instrument": "BTC-PERP", "price": "60000", "size": "1", "buyer": {"account": "alice", "isolated": true}}"#,
            #"{"seq": 6, "id": "fb", "time": "2026-01-01T00:00:00Z", "type": "fill", "instrument": "BTC-PERP", "price": "60000", "size": "0.5", "buyer": {"account": "bob", "isolated": true}}"#,
            #"{"seq": 7, "id": "ga", "time": "2026-01-01T00:00:00Z", "type": "group", "account": "alice", "group": "desk"}"#,
            #"{"seq": 8, "id": "gb", "time": "2026-01-01T00:00:00Z", "type": "group", "account": "bob", "group": "desk"}"#,
        ])
        let report = try json(try AccountQueries.report(engine, account: "alice"))
        let positions = try #require(report["positions"] as? [[String: Any]])
        #expect(positions.count == 1)
        let pool = try #require(positions.first?["isolated"] as? [String: Any])
        // 1 BTC at 60,000: the margin moved in is the IM at 100x, 600; MM 0.5 %, 300.
        #expect(pool["margin_balance"] as? String == "600.000000")
        #expect(pool["maintenance_margin"] as? String == "300.000000")
        #expect(pool["state"] as? String == "healthy")
        let total = try #require(report["total"] as? [String: Any])
        // The total is the group's cross pool (no requirement) and Alice's isolated pool, not Bob's (0.5 BTC, MM 150).
        #expect(total["maintenance_margin"] as? String == "300.000000")

        // A what-if buy of 0.5 more tops her pool up to the IM of 1.5 BTC, 900; both reports show her line.
        let body = #"{"trades": [{"instrument": "BTC-PERP", "size": "0.5"}]}"#
        let whatIf = try json(try AccountQueries.whatIf(PoolSnapshot(engine, account: "alice"), body: Data(body.utf8)))
        func isolatedBalance(_ report: Any?) -> String? {
            (((report as? [String: Any])?["positions"] as? [[String: Any]])?.first?["isolated"] as? [String: Any])?["margin_balance"] as? String
        }
        #expect(isolatedBalance(whatIf["before"]) == "600.000000")
        #expect(isolatedBalance(whatIf["after"]) == "900.000000")
    }

    /// In a group member's what-if, an isolated pool no trade touches keeps the state the engine holds for it, even
    /// when the group's pool has a cross line on the same instrument and side (which must not lend it its state).
    /// Alice's isolated BTC-PERP long is Carol's of ``isolatedEngine()``: at 59,720 its ratio 320 / 298.6 = 1.072 is
    /// reduce-only by the entry bands but held in liquidation (≤ 1.05 + 0.1). Bob's cross BTC-PERP long puts a
    /// BTC-PERP line in the group's pool before hers. Alice's what-if trades ETH-PERP only.
    @Test("a group member's what-if keeps the held state of an isolated pool it does not touch")
    func groupMemberUntouchedIsolated() throws {
        let engine = try Self.applying([
            #"{"seq": 1, "id": "oa", "time": "2026-01-01T00:00:00Z", "type": "open_account", "account": "alice"}"#,
            #"{"seq": 2, "id": "ob", "time": "2026-01-01T00:00:00Z", "type": "open_account", "account": "bob"}"#,
            #"{"seq": 3, "id": "da", "time": "2026-01-01T00:00:00Z", "type": "deposit", "account": "alice", "asset": "USDC", "amount": "5000"}"#,
            #"{"seq": 4, "id": "db", "time": "2026-01-01T00:00:00Z", "type": "deposit", "account": "bob", "asset": "USDC", "amount": "5000"}"#,
            #"{"seq": 5, "id": "fb", "time": "2026-01-01T00:00:00Z", "type": "fill", "instrument": "BTC-PERP", "price": "60000", "size": "0.1", "buyer": {"account": "bob"}}"#,
            #"{"seq": 6, "id": "fa", "time": "2026-01-01T00:00:00Z", "type": "fill", "instrument": "BTC-PERP", "price": "60000", "size": "1", "buyer": {"account": "alice", "isolated": true}}"#,
            #"{"seq": 7, "id": "ga", "time": "2026-01-01T00:00:00Z", "type": "group", "account": "alice", "group": "desk"}"#,
            #"{"seq": 8, "id": "gb", "time": "2026-01-01T00:00:00Z", "type": "group", "account": "bob", "group": "desk"}"#,
            #"{"seq": 9, "id": "p1", "time": "2026-01-01T00:01:00Z", "type": "prices", "index": {"BTC": 59710}, "marks": {"BTC-PERP": 59710}}"#,
            #"{"seq": 10, "id": "p2", "time": "2026-01-01T00:02:00Z", "type": "prices", "index": {"BTC": 59720}, "marks": {"BTC-PERP": 59720}}"#,
        ], market: Self.twoPerpMarket)
        let alice = engine.unit(ofAccount: 0)
        #expect(engine.status(of: alice).isolated.map(\.pool.state) == [.liquidation])

        func lines(_ report: Any?) -> [[String: Any]] { ((report as? [String: Any])?["positions"] as? [[String: Any]]) ?? [] }
        func isolatedState(_ report: Any?) -> String? {
            (lines(report).first { $0["isolated"] != nil }?["isolated"] as? [String: Any])?["state"] as? String
        }
        let report = try json(try AccountQueries.report(engine, account: "alice"))
        // The group's cross BTC-PERP line comes first, then Alice's isolated one.
        #expect(lines(report).map { $0["instrument"] as? String } == ["BTC-PERP", "BTC-PERP"])
        #expect(lines(report).first?["isolated"] == nil)
        #expect(isolatedState(report) == "liquidation")

        let body = #"{"trades": [{"instrument": "ETH-PERP", "size": "0.1"}]}"#
        let whatIf = try json(try AccountQueries.whatIf(PoolSnapshot(engine, account: "alice"), body: Data(body.utf8)))
        #expect(isolatedState(whatIf["before"]) == "liquidation")
        #expect(isolatedState(whatIf["after"]) == "liquidation")
        #expect(crossState(whatIf["after"]) == "healthy")
    }
}
