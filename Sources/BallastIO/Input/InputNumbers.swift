import BallastCore
import Foundation

/// An exact decimal read from a JSON number or a decimal string (`1535443.01` or `"1535443.01"`).
struct ExactNumber: Decodable, Sendable, Hashable {
    /// The exact value.
    var value: FixedPoint

    init(_ value: FixedPoint) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let string = try? container.decode(String.self) {
            text = string.trimmingCharacters(in: .whitespaces)
        } else if let decimal = try? container.decode(Decimal.self) {
            text = decimal.description
        } else if let number = try? container.decode(Double.self) {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\(number) is not a decimal number (at most 18 decimals and 10^18 in magnitude)")
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a decimal number or a decimal string, not \(Self.found(in: container))")
        }
        guard let value = FixedPoint(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a decimal number (at most 18 decimals and 10^18 in magnitude)")
        }
        self.value = value
    }

    /// What a value that is neither a number nor a string is, for an error message: `true`, `false`, `null`, or an
    /// array or object.
    static func found(in container: any SingleValueDecodingContainer) -> String {
        if let flag = try? container.decode(Bool.self) { return "\(flag)" }
        if container.decodeNil() { return "null" }
        return "an array or an object"
    }
}

/// A real number read from a JSON number or a numeric string; rejects NaN and infinities with the offending text.
struct RealNumber: Decodable, Sendable, Hashable {
    /// The value.
    var value: Double

    init(_ value: Double) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = number
        } else if let string = try? container.decode(String.self) {
            guard let number = Self.parse(string) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(string)\" is not a finite number in decimal notation")
            }
            value = number
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a number, not \(ExactNumber.found(in: container))")
        }
        guard value.isFinite else { throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(value) is not a finite number") }
    }

    /// The value as a price (index, mark, strike, forward or implied volatility): positive and within ``PriceRange``,
    /// else an error at `path` naming the value.
    func price(at path: JSONPath) throws(InputError) -> Double {
        if let problem = PriceRange.problem(value) { throw path.error("\(value) \(problem)") }
        return value
    }

    /// The finite number `text` holds in decimal notation (``isDecimal(_:)``), spaces around it ignored, else `nil`.
    static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard isDecimal(trimmed), let number = Double(trimmed), number.isFinite else { return nil }
        return number
    }

    /// Whether `text` is a number in decimal notation: an optional sign, digits with an optional point (`5`, `5.25`,
    /// `.5`, `5.`), an optional exponent (`1e-3`). Not hexadecimal (`0x10`), `nan` or `inf`, which `Double(_:)` also
    /// reads.
    static func isDecimal(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        func digits() -> Int {
            let count = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var mantissa = digits()
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}

/// A timestamp read from an ISO 8601 string (`2024-06-28T08:00:00Z`, `2024-06-28`) or milliseconds since the epoch.
struct InputTime: Decodable, Sendable, Hashable {
    var value: Timestamp

    /// Milliseconds from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z.
    static let millisecondRange: ClosedRange<Int64> = -62_167_219_200_000...253_402_300_799_999

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let parsed = CivilTime.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not an ISO 8601 UTC time such as 2024-06-28T08:00:00Z")
            }
            value = parsed
        } else if let milliseconds = try? container.decode(Int64.self) {
            // The years an ISO 8601 time can name (0000–9999), so every time read prints back and subtracts safely.
            guard InputTime.millisecondRange.contains(milliseconds) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription:
                    "\(milliseconds) milliseconds since 1970 is outside the years 0000–9999 (\(InputTime.millisecondRange.lowerBound)…\(InputTime.millisecondRange.upperBound))")
            }
            value = Timestamp(millisecondsSinceEpoch: milliseconds)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an ISO 8601 time string or milliseconds since 1970")
        }
    }
}
