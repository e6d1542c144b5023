import BallastIO
import BallastServer
import Foundation
import Testing

/// The HTTP API against a live server: events in (batch and single, idempotent, errors that change nothing), the
/// account reads, what-if and max-size, parameters, at-risk, system and metrics.
@Suite("HTTP API", .serialized)
struct APIRoutesTests {
    @Test("the example stream as one batch: outcomes, signals and sequence numbers as ballast ingest gives them")
    func batchSubmission() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        let answer = try await server.submitExampleStream()
        let results = try #require(answer["results"] as? [[String: Any]])
        #expect(results.count == 18)
        #expect(results.filter { $0["outcome"] as? String == "applied" }.count == 16)
        #expect(results.filter { $0["outcome"] as? String == "duplicate" }.count == 1)
        // The one refusal, as EngineExampleTests derives it: alice's withdrawal would leave her below initial margin.
        let rejected = try #require(results.first { $0["outcome"] as? String == "rejected" })
        #expect(rejected["id"] as? String == "wd-alice")
        #expect((rejected["error"] as? [String: Any])?["code"] as? String == "insufficient_margin")
        // The signals of alice, hand-derived in EngineExampleTests: margin call at #13, reduce-only #14, liquidation #15,
        // recovered #17.
        let signals = results.flatMap { ($0["signals"] as? [[String: Any]]) ?? [] }
        #expect(signals.map { $0["kind"] as? String } == ["margin_call", "reduce_only", "liquidation", "recovered"])
        #expect(signals.map { ($0["sequence"] as? NSNumber)?.intValue } == [13, 14, 15, 17])
        #expect(answer["last_sequence"] as? Int == 18)

        // Resubmitting is idempotent: every accepted id is a duplicate, nothing changes.
        let hash = try await server.json("GET", "/v1/system", key: server.adminKey).json["summary"].flatMap { ($0 as? [String: Any])?["state_hash"] as? String }
        let again = try await server.submitExampleStream()
        let outcomes = (again["results"] as? [[String: Any]])?.map { $0["outcome"] as? String } ?? []
        #expect(outcomes.filter { $0 == "duplicate" }.count == 17)
        let after = try await server.json("GET", "/v1/system", key: server.adminKey).json["summary"].flatMap { ($0 as? [String: Any])?["state_hash"] as? String }
        #expect(hash != nil && hash == after)
    }

    @Test("a single event without seq or time is sequenced on arrival; a refused one answers 422 and changes nothing")
    func singleSubmission() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        _ = try await server.submitExampleStream()
        let deposit = try await server.json("POST", "/v1/events", key: server.adminKey,
                                            body: #"{"id": "dep-api-1", "type": "deposit", "account": "bob", "asset": "USDC", "amount": "250"}"#)
        #expect(deposit.status == 200)
        let result = try #require((deposit.json["results"] as? [[String: Any]])?.first)
        #expect(result["outcome"] as? String == "applied")
        #expect(result["seq"] as? Int == 19)

        // bob's withdrawal of more than he holds is refused by the engine: 422 with its code and field.
        let withdrawal = try await server.json("POST", "/v1/events", key: server.adminKey,
                                               body: #"{"id": "wd-api-1", "type": "withdrawal", "account": "bob", "asset": "USDC", "amount": "99999999"}"#)
        #expect(withdrawal.status == 422)
        let refused = try #require((withdrawal.json["results"] as? [[String: Any]])?.first)
        #expect(refused["outcome"] as? String == "rejected")
        #expect((refused["error"] as? [String: Any])?["field"] as? String == "amount")
        #expect(try await server.json("GET", "/ready", key: nil).json["durable_sequence"] as? Int == 19)
    }

    @Test("an unreadable body is 400 naming the member, and nothing of the batch is applied")
    func invalidBodies() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        _ = try await server.submitExampleStream()
        let batch = #"[{"id": "ok-1", "type": "deposit", "account": "bob", "asset": "USDC", "amount": "1"},"#
            + #" {"id": "bad-1", "type": "deposit", "account": "bob", "asset": "USDC", "amount": "1.0000001"}]"#
        let answer = try await server.json("POST", "/v1/events", key: server.adminKey, body: batch)
        #expect(answer.status == 400)
        let error = try #require(answer.json["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid_request")
        #expect((error["field"] as? String)?.hasPrefix("[1].amount") == true)
        #expect(try await server.json("GET", "/ready", key: nil).json["durable_sequence"] as? Int == 18)

        let notJSON = try await server.json("POST", "/v1/events", key: server.adminKey, body: "{not json")
        #expect(notJSON.status == 400)
        let unknownType = try await server.json("POST", "/v1/events", key: server.adminKey, body: #"{"id": "x", "type": "teleport"}"#)
        #expect(unknownType.status == 400)
        #expect((unknownType.json["error"] as? [String: Any])?["message"] as? String != nil)
        let unknownAccount = try await server.json("GET", "/v1/accounts/alice/max-size?instrument=NOPE&side=buy", key: server.adminKey)
        #expect(unknownAccount.status == 400)
        #expect((unknownAccount.json["error"] as? [String: Any])?["field"] as? String == "instrument")
        // alice holds BTC-PERP in cross margin: an order naming isolated is refused at the parameter.
        let otherMode = try await server.json("GET", "/v1/accounts/alice/max-size?instrument=BTC-PERP&side=buy&isolated=true", key: server.adminKey)
        #expect((otherMode.status, (otherMode.json["error"] as? [String: Any])?["field"] as? String) == (422, "isolated"))
        let badSide = try await server.json("GET", "/v1/accounts/alice/max-size?instrument=BTC-PERP&side=up", key: server.adminKey)
        #expect((badSide.status, (badSide.json["error"] as? [String: Any])?["field"] as? String) == (400, "side"))
        let badLimit = try await server.json("GET", "/v1/at-risk?limit=0", key: server.adminKey)
        #expect((badLimit.status, (badLimit.json["error"] as? [String: Any])?["field"] as? String) == (400, "limit"))
    }

    @Test("an account id in a path is percent-decoded: ids with a space or an accent are readable")
    func percentEncodedAccountIDs() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        _ = try await server.submitExampleStream()
        for (id, path) in [("a b", "a%20b"), ("josé", "jos%C3%A9")] {
            let opened = try await server.json("POST", "/v1/events", key: server.adminKey,
                                               body: #"{"id": "open-\#(path)", "type": "open_account", "account": "\#(id)"}"#)
            #expect(opened.status == 200, "open \(id)")
            let status = try await server.json("GET", "/v1/accounts/\(path)/status", key: server.adminKey)
            #expect(status.status == 200, "read \(id) as \(path)")
        }
        // %61 is "a": the same account as the plain path.
        #expect(try await server.json("GET", "/v1/accounts/%61lice/status", key: server.adminKey).status == 200)
        #expect(try await server.json("GET", "/v1/accounts/nobody%20here/status", key: server.adminKey).status == 404)
    }

    @Test("a body over the limit is refused with 413 before anything is read into the engine")
    func bodyLimit() async throws {
        let server = try await ServerHarness.start { $0.maxBodyBytes = 2_048 }
        defer { Task { await server.stop() } }
        let padding = String(repeating: " ", count: 4_096)
        let answer = try await server.json("POST", "/v1/events", key: server.adminKey,
                                           body: #"{"id": "big", "type": "open_account", "account": "zed"}"# + padding)
        #expect(answer.status == 413)
        #expect((answer.json["error"] as? [String: Any])?["code"] as? String == "too_large")
        #expect(try await server.json("GET", "/ready", key: nil).json["durable_sequence"] as? Int == 0)
    }

    /// A path no route matches answered 404 with an empty body (found by fuzzing the service); every error is JSON.
    @Test("a path no route matches answers 404 with the JSON error body")
    func unmatchedRoute() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        for (method, path) in [("GET", "/v1/nope"), ("POST", "/v1/accounts//what-if")] {
            let answer = try await server.json(method, path, key: server.adminKey, body: method == "POST" ? "{}" : nil)
            #expect(answer.status == 404, "\(method) \(path)")
            let error = answer.json["error"] as? [String: Any]
            #expect(error?["code"] as? String == "not_found", "\(method) \(path)")
            #expect((error?["message"] as? String)?.hasPrefix("no route \(method) /v1/") == true, "\(method) \(path)")
        }
    }

    @Test("account reads: margin report, status, what-if with its pre-trade check, max size")
    func accountReads() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        _ = try await server.submitExampleStream()
        let report = try await server.json("GET", "/v1/accounts/alice/margin", key: server.aliceKey)
        #expect(report.status == 200)
        #expect(report.json["format"] as? String == "ballast.margin-report/1")
        #expect(report.json["account"] as? String == "alice")
        let status = try await server.json("GET", "/v1/accounts/alice/status", key: server.aliceKey)
        #expect(status.json["type"] as? String == "status")
        #expect(status.json["sequence"] as? Int == 18)
        #expect(status.json["equity"] is String)
        // The status figures are the report's.
        let total = report.json["total"] as? [String: Any]
        #expect(status.json["maintenance_margin"] as? String == total?["maintenance_margin"] as? String)
        // A repeated read is the cached answer; a read after an acknowledged event sees it (by her key and an admin's).
        let again = try await server.request("GET", "/v1/accounts/alice/margin", key: server.aliceKey)
        #expect(again.body == (try await server.request("GET", "/v1/accounts/alice/margin", key: server.adminKey)).body)
        let deposit = try await server.json("POST", "/v1/events", key: server.adminKey,
                                            body: #"{"id": "dep-api-read-after", "type": "deposit", "account": "alice", "asset": "USDC", "amount": "1000"}"#)
        #expect((deposit.json["results"] as? [[String: Any]])?.first?["outcome"] as? String == "applied")
        for key in [server.aliceKey, server.adminKey] {
            let after = try await server.json("GET", "/v1/accounts/alice/status", key: key)
            #expect(after.json["sequence"] as? Int == 19)
            #expect(after.json["equity"] as? String != status.json["equity"] as? String)
            let afterReport = try await server.request("GET", "/v1/accounts/alice/margin", key: key)
            #expect(afterReport.body != again.body)
        }

        let whatIf = try await server.json("POST", "/v1/accounts/alice/what-if", key: server.aliceKey,
                                           body: #"{"trades": [{"instrument": "BTC-PERP", "size": "0.01", "price": "109000"}]}"#)
        #expect(whatIf.status == 200)
        #expect(whatIf.json["format"] as? String == "ballast.what-if/1")
        // alice's initial margin already exceeds her margin balance (max size 0 below): a buy that adds risk fails.
        let step = try #require((whatIf.json["trades"] as? [[String: Any]])?.first)
        #expect(step["passes"] as? Bool == false)

        // alice's initial margin already exceeds her margin balance: not even one lot passes.
        let none = try await server.json("GET", "/v1/accounts/alice/max-size?instrument=BTC-PERP&side=buy", key: server.aliceKey)
        #expect(none.status == 200 && none.json["max_size"] as? String == "0")

        // bob has room: his largest buy passes the pre-trade check, one lot (0.001) more fails.
        let maxSize = try await server.json("GET", "/v1/accounts/bob/max-size?instrument=BTC-PERP&side=buy", key: server.bobKey)
        #expect(maxSize.status == 200)
        #expect(maxSize.json["format"] as? String == "ballast.max-size/1")
        let size = try #require(maxSize.json["max_size"] as? String)
        let price = try #require(maxSize.json["price"] as? String)
        #expect(size != "0")
        func passes(_ size: String) async throws -> Bool? {
            let answer = try await server.json("POST", "/v1/accounts/bob/what-if", key: server.bobKey,
                                               body: #"{"trades": [{"instrument": "BTC-PERP", "size": "\#(size)", "price": "\#(price)"}]}"#)
            return (answer.json["trades"] as? [[String: Any]])?.first?["passes"] as? Bool
        }
        #expect(try await passes(size) == true)
        let larger = try #require(Decimal(string: size)) + Decimal(sign: .plus, exponent: -3, significand: 1)
        #expect(try await passes("\(larger)") == false)

        // The exchange passes bob's resting orders, which the engine does not keep: a bid of the same size holds its
        // margin back, so the largest buy alone no longer passes; a reduce-only order holds nothing.
        func passes(_ size: String, resting order: String) async throws -> (Bool?, [String: Any]) {
            let answer = try await server.json("POST", "/v1/accounts/bob/what-if", key: server.bobKey,
                                               body: #"{"trades": [{"instrument": "BTC-PERP", "size": "\#(size)", "price": "\#(price)"}], "open_orders": [\#(order)]}"#)
            return ((answer.json["trades"] as? [[String: Any]])?.first?["passes"] as? Bool, answer.json)
        }
        let (withBid, bidAnswer) = try await passes(size, resting: #"{"instrument": "BTC-PERP", "size": "\#(size)", "price": "\#(price)"}"#)
        #expect(withBid == false)
        #expect(((bidAnswer["before"] as? [String: Any])?["cross"] as? [String: Any])?["open_order_margin"] is String)
        #expect(try await passes(size, resting: #"{"instrument": "BTC-PERP", "size": "\#(size)", "price": "\#(price)", "reduce_only": true}"#).0 == true)
        let badOrder = try await server.json("POST", "/v1/accounts/bob/what-if", key: server.bobKey,
                                             body: #"{"trades": [{"instrument": "BTC-PERP", "size": "0.01"}], "open_orders": [{"instrument": "BTC-PERP", "size": "0", "price": "1"}]}"#)
        #expect(badOrder.status == 400)
        #expect((badOrder.json["error"] as? [String: Any])?["field"] as? String == "open_orders[0].size", "\(badOrder.json)")

        // A trade that cannot be applied is named by its position in the list.
        let overflow = try await server.json("POST", "/v1/accounts/bob/what-if", key: server.bobKey, body: #"{"trades": [{"instrument": "BTC-PERP", "size": "0.01"}, "# +
                                             #"{"instrument": "BTC-PERP", "size": "100000000000", "price": "999999999999999999"}]}"#)
        #expect(overflow.status == 422)
        #expect((overflow.json["error"] as? [String: Any])?["field"] as? String == "trades[1]", "\(overflow.json)")
    }

    @Test("parameters: read by any key, a new version by the admin, effective at once")
    func parameters() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        _ = try await server.submitExampleStream()
        // The example stream changed the parameters to version 2 (health bands on the maintenance line) at #16.
        let before = try await server.json("GET", "/v1/parameters", key: server.bobKey)
        #expect(before.status == 200)
        #expect(before.json["version"] as? Int == 2)
        let inForce = (before.json["document"] as? [String: Any])?["parameters"] as? [String: Any]
        #expect(inForce?["health_bands"] as? String == "maintenance-line")
        let change = #"{"version": 3, "document": {"format": "ballast.parameters/1", "parameters": {"name": "example-venue", "health_bands": "binance-pm-pro"}}}"#
        #expect(try await server.json("POST", "/v1/parameters", key: server.bobKey, body: change).status == 403)
        let posted = try await server.json("POST", "/v1/parameters", key: server.adminKey, body: change)
        #expect(posted.status == 200)
        // Effective now (the default), after the engine's last event time: in force at once.
        let after = try await server.json("GET", "/v1/parameters", key: server.adminKey)
        #expect(after.json["version"] as? Int == 3)
        #expect((after.json["history"] as? [[String: Any]])?.map { $0["version"] as? Int } == [2, 3])
        // The same version again (another id) is refused by the engine as stale: 422, nothing changes.
        let again = change.replacingOccurrences(of: #""version": 3,"#, with: #""version": 3, "id": "again","#)
        let refused = try await server.json("POST", "/v1/parameters", key: server.adminKey, body: again)
        #expect(refused.status == 422)
        #expect(try await server.json("GET", "/v1/parameters", key: server.adminKey).json["version"] as? Int == 3)
    }

    @Test("at-risk lists the riskiest pool first; system and metrics add up")
    func systemReads() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        _ = try await server.submitExampleStream()
        let atRisk = try await server.json("GET", "/v1/at-risk?limit=2", key: server.adminKey)
        let entries = try #require(atRisk.json["entries"] as? [[String: Any]])
        #expect(entries.count == 2)
        let ratios = entries.compactMap { $0["margin_ratio"] as? Double }
        #expect(ratios.count == 2 && ratios[0] >= ratios[1])
        let system = try await server.json("GET", "/v1/system", key: server.adminKey)
        let summary = try #require(system.json["summary"] as? [String: Any])
        #expect(summary["accounts"] as? Int == 3)
        #expect(summary["last_sequence"] as? Int == 18)

        // Signals are counted as the pump publishes them, just after their events are durable: wait for it.
        var text = ""
        for _ in 0..<50 {
            let (status, body) = try await server.request("GET", "/metrics", key: server.adminKey)
            #expect(status == 200)
            text = String(decoding: body, as: UTF8.self)
            if text.contains(#"ballast_signals_total{kind="recovered"} 1"#) { break }
            try await Task.sleep(for: .milliseconds(40))
        }
        #expect(text.contains(#"ballast_events_total{outcome="applied"} 16"#))
        #expect(text.contains(#"ballast_events_total{outcome="duplicate"} 1"#))
        #expect(text.contains(#"ballast_signals_total{kind="liquidation"} 1"#))
        #expect(text.contains("ballast_event_apply_seconds_bucket"))
        #expect(text.contains(#"ballast_request_seconds_count{method="POST",route="/v1/events",status="200"}"#))
        #expect(text.contains(#"ballast_request_seconds_count{method="GET",route="/v1/at-risk",status="200"}"#))
        #expect(text.contains(#"ballast_margin_units{state="healthy"} 3"#))
    }
}
