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
