import Foundation

extension JSONValue {
    /// The value at `codingPath` in the JSON text `data`, described for an error message: a string quoted (its first
    /// 40 characters), a number as JSON writes a `Double` (`1e3` reads `1000`), `true`, `false`, `null`, or "an array" /
    /// "an object"; `nil` if the text does not read, has no value there, or is over ``largestSearched`` bytes (the
    /// whole text is read again as a tree, on the error path only).
    static func found(in data: Data, at codingPath: [any CodingKey]) -> String? {
        guard data.count <= largestSearched, var value = try? JSONDecoder().decode(JSONValue.self, from: data) else { return nil }
        for key in codingPath {
            switch value {
            case .array(let elements):
                guard let index = key.intValue, elements.indices.contains(index) else { return nil }
                value = elements[index]
            case .object(let members):
                guard let member = members[key.stringValue] else { return nil }
                value = member
            default:
                return nil
            }
        }
        return value.shortDescription
    }

    /// The largest text ``found(in:at:)`` reads again: 1 MiB.
    static let largestSearched = 1 << 20

    /// The value in a few words (see ``found(in:at:)``).
    var shortDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return "\(flag)"
        case .number: return canonicalText
        case .string(let text):
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return JSONValue.string(shown).canonicalText
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
