import BallastCore
import BallastEngine
import BallastIO
import Foundation
import Testing

/// Which field a failed read names: the query's own parameter, or the account when another holding is at fault.
@Suite("Query errors name the field at fault")
struct QueryErrorFieldTests {
    /// ``HysteresisQueryTests/market`` with a BTC future expiring at 01:00, which Alice holds and which is never settled;
    /// a price event at 02:00 moves the snapshot past its expiry, so her account cannot be margined until it is.
    static func engine() throws -> Engine {
        let market = HysteresisQueryTests.market.replacingOccurrences(of: #""tiers": [{"floor": 0, "max_leverage": 100}]}}]"#, with: """
            "tiers": [{"floor": 0, "max_leverage": 100}]}}, {"symbol": "BTC-0101", "kind": "future", "expiry": "2026-01-01T01:00:00Z", \
            "underlying": "BTC", "quote": "USDC", "tick_size": "0.1", "lot_size": "0.001", "mark_price": 60000, "margin": {"name": "fut-100x", \
            "shape": "tiered", "maintenance_rule": "half_initial", "tiers": [{"floor": 0, "max_leverage": 100}]}}]
            """)
        return try HysteresisQueryTests.applying([
            #"{"seq": 1, "id": "o", "time": "2026-01-01T00:00:00Z", "type": "open_account", "account": "alice"}"#,
            #"{"seq": 2, "id": "d", "time": "2026-01-01T00:00:00Z", "type": "deposit", "account": "alice", "asset": "USDC", "amount": "10000"}"#,
            #"{"seq": 3, "id": "f", "time": "2026-01-01T00:00:00Z", "type": "fill", "instrument": "BTC-0101", "price": "60000", "size": "1", "buyer": {"account": "alice"}}"#,
            #"{"seq": 4, "id": "p", "time": "2026-01-01T02:00:00Z", "type": "prices", "index": {"BTC": 60100}}"#,
        ], market: market)
    }

    /// The max size of BTC-PERP fails because BTC-0101 expired unsettled: the account is at fault, not the query's
    /// instrument (the service answered `"field": "instrument"`, found by fuzzing). Asked of BTC-0101 itself, the
    /// instrument is the field.
    @Test("a max-size query that fails on another holding names the account; on the queried instrument, the instrument")
    func maxSizeField() throws {
        let engine = try Self.engine()
        let snapshot = try PoolSnapshot(engine, account: "alice")
        for (symbol, field) in [("BTC-PERP", "account"), ("BTC-0101", "instrument")] {
            do throws(QueryError) {
                _ = try AccountQueries.maxSize(snapshot, instrument: symbol, side: "buy", price: "60000", leverage: nil, isolated: false)
                Issue.record("max size of \(symbol) should fail")
            } catch {
                #expect(error.kind == .unprocessable, "\(symbol)")
                #expect(error.field == field, "\(symbol): \(error)")
                #expect(error.message.contains("BTC-0101"), "\(symbol): \(error)")
            }
        }
    }
    /// A what-if body is the document itself: its errors name plain paths (`trades[0].size`), as the engine's checks
    /// after decoding do; the service answered `what-if trades[0].size` for a decoding error (found by fuzzing
    /// `ballast serve`). The CLI keeps `what-if` before every path of its what-if file, the checks' too.
    @Test("what-if errors name plain paths in a request body and prefixed paths in the CLI's file")
    func whatIfPaths() throws {
        let snapshot = try PoolSnapshot(try Self.engine(), account: "alice")
        for (body, field) in [(#"{"trades": [{"instrument": "BTC-PERP", "size": true}]}"#, "trades[0].size"),
                              (#"{"trades": [{"instrument": "BTC-PERP", "size": "0.0001"}]}"#, "trades[0].size"),
                              (#"{"trades": [], "bogus": 1}"#, "bogus")] {
            do throws(QueryError) {
                _ = try AccountQueries.whatIf(snapshot, body: Data(body.utf8))
                Issue.record("\(body) should fail")
            } catch {
                #expect(error.field == field, "\(body): \(error)")
            }
        }
        let account = try vector("bnb-1")
        for (whatIf, path) in [(#"{"trades": [{"instrument": "BTCUSDT", "size": true}]}"#, "what-if trades[0].size:"),
                               (#"{"trades": [{"instrument": "BTCUSDT", "size": "0.0001"}]}"#, "what-if trades[0].size:")] {
            let output = MarginCommand(accountData: account, whatIfData: Data(whatIf.utf8)).run()
            #expect(output.exitCode == 2 && output.stderr.contains(path), "\(output.stderr)")
        }
    }
    /// `POST /v1/parameters` with a version that is a number but not a whole one answered `(document): not valid JSON`
    /// (found by fuzzing `ballast serve`); now the member and the value are named.
    @Test("a parameter submission's version that is not a whole number is named with its value")
    func parameterVersion() throws {
        for (version, value) in [("2.5", "2.5"), ("1e40", "1e+40")] {
            do throws(InputError) {
                _ = try ParameterSubmission.eventJSON(from: Data(#"{"version": \#(version), "document": {}}"#.utf8), now: "2026-01-01T00:00:00Z")
                Issue.record("version \(version) should fail")
            } catch {
                #expect(error.path == "version", "\(error)")
                #expect(error.message.contains("\(value) is not a whole number"), "\(error)")
            }
        }
    }
}
