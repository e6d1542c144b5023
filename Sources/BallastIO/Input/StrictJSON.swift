import Foundation

/// JSON decoding that turns every failure into an ``InputError`` naming the path, and refuses a document that gives
/// one object the same key twice (``JSONDuplicateKeys``).
enum StrictJSON {
    /// Decodes `T` from `data`; `prefix` goes before every path (e.g. `what-if`, `preset margin/NAME`).
    /// - Throws: ``InputError``.
    static func decode<T: Decodable>(_ data: Data, prefix: String? = nil) throws(InputError) -> T {
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw InputError(error, prefix: prefix, source: data)
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(path: prefix ?? "(document)", message: "\(error)")
        }
        try requireUniqueKeys(data, prefix: prefix)
        return value
    }

    /// Refuses `data` if an object of it gives a key twice.
    /// - Throws: ``InputError`` at the repeated member's path.
    static func requireUniqueKeys(_ data: Data, prefix: String? = nil) throws(InputError) {
        guard let finding = JSONDuplicateKeys.first(in: data) else { return }
        let path = finding.path.description
        throw InputError(path: prefix.map { "\($0) \(path)" } ?? path,
                         message: "the key \"\(finding.key)\" appears twice in one object (give each field once)")
    }
}
