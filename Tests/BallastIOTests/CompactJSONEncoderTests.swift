import BallastCore
import BallastEngine
@testable import BallastIO
import Foundation
import Testing

/// The API's own JSON encoder writes the bytes Foundation's `JSONEncoder` writes with the same settings (sorted
/// snake_case keys, slashes unescaped, non-finite numbers as strings): for every kind of document the API answers with,
/// over the demo book after a price path with a jump, and for random values, keys and strings; and whatever it leaves
/// to Foundation comes out the same through `APIJSON`.
@Suite("Compact JSON encoder")
struct CompactJSONEncoderTests {
    /// Foundation's bytes (the reference).
    func foundation<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try stableJSONEncoder(pretty: false).encode(value), as: UTF8.self)
    }

    /// The compact encoder's bytes.
    func compact<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try CompactJSONEncoder.encode(value), as: UTF8.self)
    }

    @Test("every document the API answers with, over the demo book after a jump, is Foundation's bytes")
    func demoDocuments() throws {
        let run = try DemoTests.run.get()
        let engine = run.afterPath
        let catalog = engine.catalog
        var compared = 0
        var portfolio = 0
        for (index, account) in engine.accounts.enumerated() where index % 5 == 0 || account.model == .portfolio {
            let snapshot = try PoolSnapshot(engine, account: account.id)
            let report = try snapshot.marginReport()
            let document = ReportDocument(report, catalog: catalog)
            #expect(try compact(document) == foundation(document), "report of \(account.id)")
            let status = AccountStatusDocument(snapshot, report: report)
            #expect(try compact(status) == foundation(status), "status of \(account.id)")
            if index % 50 == 0 {
                let trades = try TradesInput.decode(Data(#"{"trades": [{"instrument": "BTC-PERP", "size": "-0.5"}]}"#.utf8),
                                                    account: snapshot.pool, context: snapshot.context).trades
                let whatIf = WhatIfOutput.document(try WhatIf(account: snapshot.pool, trades: trades, context: snapshot.context), catalog: catalog)
                #expect(try compact(whatIf) == foundation(whatIf), "what-if of \(account.id)")
            }
            compared += 1
            if account.model == .portfolio { portfolio += 1 }
        }
        #expect(compared > 400 && portfolio > 100, "\(compared) accounts, \(portfolio) portfolio-margined")

        let summary = SystemQueries.system(engine)
        #expect(try compact(summary) == foundation(summary))
        let atRisk = AtRiskDocument(sequence: engine.lastSequence, time: "\(engine.lastTime)", units: engine.accounts.count,
                                    entries: engine.accounts.indices.prefix(40).map { AtRiskDocument.Entry(engine, unit: .account(Int32($0)), status: engine.freshStatus(of: .account(Int32($0)))) })
        #expect(try compact(atRisk) == foundation(atRisk))
        #expect(!run.pathSignals.isEmpty)
        for signal in run.pathSignals.prefix(200) {
            let line = SignalLine(signal, catalog: catalog)
            #expect(try compact(line) == foundation(line))
        }
        let parameters = try JSONDecoder().decode(JSONValue.self, from: SystemQueries.parameters(engine))
        #expect(try compact(parameters) == foundation(parameters), "a JSONValue document (dictionaries keep their keys)")
    }

    @Test("random values, property names and strings are Foundation's bytes", arguments: [1, 2, 3] as [UInt64])
    func randomValues(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<300 {
            let value = RandomValue.make(depth: 3, using: &random)
            #expect(try compact(value) == foundation(value), "\(value)")
        }
    }

    @Test("property names in snake_case by Foundation's rule, and keys sorted by their bytes")
    func propertyNames() throws {
        let names = ["marginBalance", "uniMMR", "myURLValue", "URL", "aB", "Q", "a", "ABc", "p99", "x1Y", "_private", "trailing_",
                     "already_snake", "two__underscores", "HTTPServerURL", "a1B2c3", "ZZ", "zZ9", "priceAtTick", "mm", "m_m", "NMM"]
        let object = RandomValue.object(names.enumerated().map { ($0.element, .integer($0.offset)) })
        #expect(try compact(object) == foundation(object))
    }

    @Test("what the compact encoder leaves to Foundation comes out of APIJSON as Foundation writes it")
    func leftToFoundation() throws {
        let duplicate = RandomValue.object([("a", .integer(1)), ("a", .integer(2))])
        let nonASCII = RandomValue.object([("prixÉté", .integer(1))])
        let escapedKey = RandomValue.object([("quote\"key", .integer(1))])
        for value in [duplicate, nonASCII, escapedKey] {
            #expect(throws: CompactJSONEncoder.Unsupported.self) { try CompactJSONEncoder.encode(value) }
            #expect(String(decoding: APIJSON.encode(value), as: UTF8.self) == (try foundation(value)))
        }
        let dated = ["when": Date(timeIntervalSince1970: 1_700_000_000)]
        #expect(throws: CompactJSONEncoder.Unsupported.self) { try CompactJSONEncoder.encode(dated) }
        #expect(String(decoding: APIJSON.encode(dated), as: UTF8.self) == (try foundation(dated)))
    }
}

/// A random JSON-like value whose objects have arbitrary property names (encoded through a keyed container, so the
/// names are converted to snake_case), dictionaries (keys kept), arrays, optionals and every primitive the documents use.
indirect enum RandomValue: Encodable, CustomStringConvertible {
    case object([(String, RandomValue)])
    case dictionary([String: RandomValue])
    case array([RandomValue])
    case absent
    case null
    case double(Double)
    case float(Float)
    case integer(Int)
    case unsigned(UInt64)
    case bool(Bool)
    case string(String)

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    var description: String { String(decoding: (try? stableJSONEncoder(pretty: false).encode(self)) ?? Data(), as: UTF8.self) }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for (name, value) in members {
                switch value {
                case .absent: try container.encodeIfPresent(nil as Double?, forKey: Key(stringValue: name))
                case .double(let number): try container.encode(number, forKey: Key(stringValue: name))
                case .string(let text): try container.encode(text, forKey: Key(stringValue: name))
                case .null: try container.encodeNil(forKey: Key(stringValue: name))
                default: try container.encode(value, forKey: Key(stringValue: name))
                }
            }
        case .dictionary(let members):
            var container = encoder.singleValueContainer()
            try container.encode(members)
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items {
                if case .absent = item { try container.encode(nil as Int?) } else { try container.encode(item) }
            }
        case .absent, .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .double(let number): try single(number, encoder)
        case .float(let number): try single(number, encoder)
        case .integer(let number): try single(number, encoder)
        case .unsigned(let number): try single(number, encoder)
        case .bool(let flag): try single(flag, encoder)
        case .string(let text): try single(text, encoder)
        }
    }

    /// A primitive through a single-value container.
    private func single<T: Encodable>(_ value: T, _ encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    /// A random value: containers down to `depth`, then primitives.
    static func make(depth: Int, using random: inout SeededGenerator) -> RandomValue {
        let kind = Int.random(in: depth > 0 ? 0...10 : 3...10, using: &random)
        switch kind {
        case 0:
            var names: Set<String> = []
            for _ in 0..<Int.random(in: 0...6, using: &random) { names.insert(propertyName(using: &random)) }
            // Names that convert to the same snake_case key would be a key written twice: left to Foundation.
            var seen: Set<String> = []
            let distinct = names.sorted().filter { seen.insert(snakeCase($0)).inserted }
            return .object(distinct.map { ($0, make(depth: depth - 1, using: &random)) })
        case 1:
            var members: [String: RandomValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &random) { members[text(using: &random, escapes: false)] = make(depth: depth - 1, using: &random) }
            return .dictionary(members)
        case 2: return .array((0..<Int.random(in: 0...5, using: &random)).map { _ in make(depth: depth - 1, using: &random) })
        case 3: return .absent
        case 4: return .double(double(using: &random))
        case 5: return .float(Float(double(using: &random)))
        case 6: return .integer(Int(bitPattern: UInt(random.next())) >> Int.random(in: 0...63, using: &random))
        case 7: return .unsigned(random.next())
        case 8: return .bool(Bool.random(using: &random))
        case 9: return .null
        default: return .string(text(using: &random, escapes: true))
        }
    }

    /// Doubles of every kind: round decimals, random bits (subnormals, huge, tiny), ±0, ±∞, NaN.
    static func double(using random: inout SeededGenerator) -> Double {
        switch Int.random(in: 0...5, using: &random) {
        case 0: return Double(Int.random(in: -1_000_000...1_000_000, using: &random)) / 100
        case 1: return Double(bitPattern: random.next())
        case 2: return [0.0, -0.0, .infinity, -.infinity, .nan, 1e16, 1e-7, 123456789012345680, 0.1, 1.0 / 3].randomElement(using: &random) ?? 0
        case 3: return Double.random(in: -1e22...1e22, using: &random)
        case 4: return Double.random(in: -1e-5...1e-5, using: &random)
        default: return Double(Int64.random(in: -(1 << 53)...(1 << 53), using: &random))
        }
    }

    /// A camelCase-ish ASCII property name from letters of both cases, digits and underscores.
    static func propertyName(using random: inout SeededGenerator) -> String {
        let alphabet = Array("aAbBzZmM019__")
        return String((0..<Int.random(in: 1...9, using: &random)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
    }

    /// Text with quotes, backslashes, slashes, control characters and non-ASCII letters and emoji (`escapes`), or
    /// without the characters a key may not carry here.
    static func text(using random: inout SeededGenerator, escapes: Bool) -> String {
        let plain: [Character] = ["a", "Z", "0", "-", ".", "/", " ", "é", "€", "😀", "_"]
        let special: [Character] = ["\"", "\\", "\n", "\t", "\r", "\u{8}", "\u{C}", "\u{1}", "\u{1F}", "\u{7F}"]
        let alphabet = escapes ? plain + special : plain
        return String((0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
    }

    /// A name's snake_case key as Foundation writes it (read back from Foundation itself).
    static func snakeCase(_ name: String) -> String {
        let data = (try? stableJSONEncoder(pretty: false).encode(RandomValue.object([(name, .integer(0))]))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
