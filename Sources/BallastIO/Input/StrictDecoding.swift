/// A coding key for any member name, used to list the members an object actually has.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// A keyed container that refuses members not in `Keys`, so a misspelt field is an error rather than silently
    /// ignored.
    func strictContainer<Keys: CodingKey & CaseIterable>(keyedBy type: Keys.Type) throws -> KeyedDecodingContainer<Keys> {
        let all = try container(keyedBy: AnyCodingKey.self)
        let known = Set(Keys.allCases.map(\.stringValue))
        for key in all.allKeys where !known.contains(key.stringValue) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: all,
                debugDescription: "unknown field \"\(key.stringValue)\" (expected one of: \(Keys.allCases.map(\.stringValue).sorted().joined(separator: ", ")))")
        }
        // A free-text member no decoder reads: still a string (or null), so a misplaced object is not taken silently.
        if let description = all.allKeys.first(where: { $0.stringValue == "description" }), try all.decodeNil(forKey: description) == false {
            _ = try all.decode(String.self, forKey: description)
        }
        return try container(keyedBy: type)
    }
}
