import Foundation

/// The JSON of API answers: one line, sorted snake_case keys (the encoder of every JSON Ballast prints).
public enum APIJSON {
    /// Encodes `value` (`{}` if it cannot be encoded, which the documents of this module never cause): with
    /// ``CompactJSONEncoder``, or with Foundation's encoder for what that one leaves to it; the bytes are the same.
    public static func encode<T: Encodable>(_ value: T) -> Data {
        if let data = try? CompactJSONEncoder.encode(value) { return data }
        return (try? stableJSONEncoder(pretty: false).encode(value)) ?? Data("{}".utf8)
    }
}
