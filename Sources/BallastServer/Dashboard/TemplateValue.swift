import BallastIO
import Foundation

/// The API's own JSON documents as the dashboard's template contexts, so a page shows exactly what the API answers.
enum TemplateValue {
    /// A JSON document (an object) as a template context (`[:]` if it is not one).
    static func context(_ json: Data) -> [String: Any] {
        guard case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: json) else { return [:] }
        return members.mapValues(value)
    }

    /// A JSON value as Mustache's plain types: numbers formatted for display, `null` as an absent value.
    static func value(_ json: JSONValue) -> Any {
        switch json {
        case .null: return Optional<String>.none as Any
        case .bool(let value): return value
        case .number(let value): return format(value)
        case .string(let value): return value
        case .array(let values): return values.map(value)
        case .object(let members): return members.mapValues(value)
        }
    }

    /// A number for display: integers without decimals, others with up to 6 significant digits.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }
}
