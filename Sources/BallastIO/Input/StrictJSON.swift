import Foundation

/// JSON decoding that turns every failure into an ``InputError`` naming the path, and refuses a document that gives
/// one object the same key twice (``JSONDuplicateKeys``) or that Foundation's decoder reads although it breaks the
/// grammar of RFC 8259, such as a trailing comma (``JSONSyntaxLocator``).
enum StrictJSON {
    /// Decodes `T` from `data`; `prefix` goes before every path (e.g. `what-if`, `preset margin/NAME`).
    /// - Throws: ``InputError``.
    static func decode<T: Decodable>(_ data: Data, prefix: String? = nil) throws(InputError) -> T {
        // The grammar first, so a text Foundation would read anyway (a trailing comma) is refused as what it is.
        if let failure = JSONSyntaxLocator.firstFailure(in: data) {
            throw InputError(path: prefix ?? "(document)", message: failure.isBlank ? "not valid JSON: \(failure)" : "not valid JSON at \(failure)")
        }
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: data)
        } catch {
            // A number beyond a Double's range is valid JSON that no field takes; the decoder refuses it as a whole
            // document, or as "not a number", without its text. It is named first, with its path and text.
            if let (path, text) = JSONDuplicateKeys.firstNumberOutOfRange(in: data) {
                throw InputError(path: path.prefixed(prefix).description, message: "\(text) is beyond the range of a number (±1.8e308)")
            }
            switch error {
            case let error as DecodingError:
                var input = InputError(error, prefix: prefix)
                // The decoder's type mismatch names the type wanted, not the value found: it is read from the text.
                if case .typeMismatch(_, let context) = error, let found = JSONValue.found(in: data, at: context.codingPath) {
                    input.message += ", not \(found)"
                }
                throw input
            case let error as InputError: throw error
            default: throw InputError(path: prefix ?? "(document)", message: "\(error)")
            }
        }
        try requireUniqueKeys(data, prefix: prefix)
        return value
    }

    /// Refuses `data` if an object of it gives a key twice.
    /// - Throws: ``InputError`` at the repeated member's path.
    static func requireUniqueKeys(_ data: Data, prefix: String? = nil) throws(InputError) {
        guard let finding = JSONDuplicateKeys.first(in: data) else { return }
        throw InputError(path: finding.path.prefixed(prefix).description,
                         message: "the key \"\(finding.key)\" appears twice in one object (give each field once)")
    }
}
