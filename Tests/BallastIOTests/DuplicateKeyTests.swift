@testable import BallastIO
import BallastCore
import BallastEngine
import Foundation
import Testing

/// A document that gives one object the same key twice is refused, naming the repeated member's path; Foundation's
/// decoder alone keeps one of the two values without a word.
@Suite("Duplicate keys")
struct DuplicateKeyTests {
    func finding(_ text: String) -> String? {
        JSONDuplicateKeys.first(in: Data(text.utf8)).map(\.path.description)
    }

    @Test("the scan names the repeated member by its path")
    func paths() {
        #expect(finding(#"{"a": 1, "a": 2}"#) == "a")
        #expect(finding(#"{"account": {"balances": [{"asset": "USDC", "amount": "1"}, {"asset": "BTC", "asset": "ETH"}]}}"#)
            == "account.balances[1].asset")
        #expect(finding(#"[[0, {"x": [1, 2]}], {"y": 1, "z": {"w": 1, "w": 2}}]"#) == "[1].z.w")
        // The first repeat in text order wins.
        #expect(finding(#"{"b": {"c": 1, "c": 2}, "b": 3}"#) == "b.c")
    }

    @Test("the same name in different objects, or as a value, is not a repeat")
    func distinct() {
        #expect(finding(#"{"a": {"a": "a"}, "b": [{"a": 1}, {"a": 2}], "c": "a"}"#) == nil)
        #expect(finding(#"{"k": "a\"b{", "l": "}\\", "m": ["\"k\""]}"#) == nil)
        #expect(finding(#"{}"#) == nil)
        #expect(finding(#""text""#) == nil)
    }

    @Test("keys compare as the decoder reads them: after unescaping, canonically equivalent")
    func unescaped() {
        #expect(finding(#"{"size": 1, "\u0073ize": 2}"#) == "size")
        #expect(finding(#"{"caf\u00e9": 1, "café": 2}"#) == "café")
        #expect(finding("{\"cafe\u{301}\": 1, \"caf\u{E9}\": 2}") != nil)
        #expect(finding(#"{"a\"": 1, "a": 2}"#) == nil)
    }

    @Test("an object with many members is checked in full")
    func manyMembers() {
        let members = (0..<200).map { "\"k\($0)\": \($0)" }
        #expect(finding("{" + members.joined(separator: ",") + "}") == nil)
        #expect(finding("{" + (members + ["\"k17\": 0"]).joined(separator: ",") + "}") == "k17")
        #expect(finding("{" + (members + ["\"k3\": 0"]).joined(separator: ",") + "}") == "k3")
    }

    @Test("an account file with a repeated field is refused, exit 2, nothing on stdout")
    func accountFile() throws {
        let text = try #require(String(data: try vector("bnb-1"), encoding: .utf8))
        // Give the first balance's amount twice: the decoder alone would keep one of them silently.
        let range = try #require(text.range(of: "\"amount\""))
        let doubled = text.replacingCharacters(in: range, with: "\"amount\": \"1\", \"amount\"")
        let output = MarginCommand(accountData: Data(doubled.utf8)).run()
        #expect(output.exitCode == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.hasPrefix("error: account.balances[0].amount: the key \"amount\" appears twice"), "\(output.stderr)")
        // The same document without the repeat is accepted.
        #expect(MarginCommand(accountData: try vector("bnb-1")).run().exitCode == 0)
    }

    @Test("a what-if document and an engine event are checked too")
    func whatIfAndEvents() throws {
        let whatIf = #"{"trades": [{"instrument": "BTCUSDT", "size": "0.1", "size": "-0.1"}]}"#
        let output = MarginCommand(accountData: try vector("bnb-1"), whatIfData: Data(whatIf.utf8)).run()
        #expect(output.exitCode == 2)
        #expect(output.stderr.hasPrefix("error: what-if trades[0].size: the key \"size\" appears twice"), "\(output.stderr)")

        let genesis = try EngineDocuments().decodeGenesis(Data(Self.market.utf8))
        let event = #"{"seq": 1, "id": "d1", "time": "2026-01-01T00:00:00Z", "type": "deposit", "account": "a", "asset": "USDC", "amount": "5", "amount": "500"}"#
        #expect(throws: InputError(path: "amount", message: "the key \"amount\" appears twice in one object (give each field once)")) {
            _ = try EventJSON.decode(Data(event.utf8), catalog: genesis.catalog, latest: genesis.parameters, documents: EngineDocuments())
        }
    }

    static let market = """
        {"format": "ballast.market/1", "time": "2026-01-01T00:00:00Z",
         "assets": [{"symbol": "USDC", "decimals": 6, "index_price": 1}], "instruments": []}
        """
}
