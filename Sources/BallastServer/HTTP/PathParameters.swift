import Foundation
import Hummingbird

extension Parameters {
    /// The path parameter `name` percent-decoded (`a%20b` is the account `a b`, `%61lice` is `alice`), as a client
    /// encodes an id that has characters a path cannot carry; the raw text if it is not valid percent-encoding, and ""
    /// if the route has no such parameter. The router matches paths without decoding them.
    func decoded(_ name: String) -> String {
        guard let raw = get(name) else { return "" }
        return raw.removingPercentEncoding ?? raw
    }
}

extension String {
    /// The text as one percent-encoded path segment: every character but the unreserved ones (RFC 3986: letters,
    /// digits, `-`, `.`, `_`, `~`) as its UTF-8 bytes in `%XX` form, so `a b/c` is `a%20b%2Fc`; what
    /// ``Hummingbird/Parameters/decoded(_:)`` reads back.
    var pathSegmentEncoded: String {
        addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? self
    }

    /// RFC 3986's unreserved characters, the ones a path segment carries as they are.
    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
}
