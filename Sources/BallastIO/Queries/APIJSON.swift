import Foundation

/// The JSON of API answers: one line, sorted snake_case keys (the encoder of every JSON Ballast prints).
public enum APIJSON {
    /// Encodes `value` (`{}` if it cannot be encoded, which the documents of this module never cause).
    public static func encode<T: Encodable>(_ value: T) -> Data {
        (try? stableJSONEncoder(pretty: false).encode(value)) ?? Data("{}".utf8)
    }
}
