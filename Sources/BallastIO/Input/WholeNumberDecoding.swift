extension KeyedDecodingContainer {
    /// An integer member, with a reason naming the value when it is a number but not a whole one in `T`'s range
    /// (Foundation reports `6.5` or `1e40` for an `Int` as invalid JSON with no path at all), or text (`"8"`, `"NaN"`).
    /// - Throws: `DecodingError` located at `key`.
    func decodeWhole<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        if let value = try? decode(T.self, forKey: key) { return value }
        if let number = try? decode(Double.self, forKey: key) {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(number) is not a whole number from \(T.min) to \(T.max)")
        }
        // A string ("8", "NaN"): named, since a whole number is written as a JSON number.
        if let text = try? decode(String.self, forKey: key) {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\"\(text.prefix(40))\" is text: write a whole number, unquoted")
        }
        return try decode(T.self, forKey: key)
    }

    /// ``decodeWhole(_:forKey:)`` of an optional member (`nil` when absent or null).
    /// - Throws: `DecodingError` located at `key`.
    func decodeWholeIfPresent<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeWhole(type, forKey: key)
    }
}
