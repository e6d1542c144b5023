import Foundation

/// Where and how to reach a PostgreSQL server, parsed from `postgres://user:password@host:port/database`.
///
/// The scheme may also be `postgresql://`; the password and the port (default 5432) may be left out; user, password
/// and database may be percent-encoded (`p%40ss` for `p@ss`); an IPv6 host goes in brackets (`[::1]`). The only query
/// parameter accepted is `sslmode=disable`: the store talks to PostgreSQL without TLS (loopback or a private
/// network).
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// The server's host name or address.
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// The user to log in as.
    public var username: String
    /// The user's password, if the server asks for one.
    public var password: String?
    /// The database to use.
    public var database: String

    /// Creates a location from its parts.
    public init(host: String, port: Int = 5432, username: String, password: String?, database: String) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses a `postgres://user:password@host:port/database` URL.
    /// - Throws: ``StoreError/unavailable(_:)`` naming the URL (its password masked) and what is wrong with it.
    public init(parsing text: String) throws(StoreError) {
        func bad(_ reason: String) -> StoreError {
            .unavailable("bad PostgreSQL URL '\(Self.masked(text))': \(reason)")
        }
        guard let schemeEnd = text.range(of: "://") else {
            throw bad("expected postgres://user:password@host:port/database")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw bad("the scheme is '\(scheme)', expected postgres or postgresql")
        }
        var rest = text[schemeEnd.upperBound...]
        if rest.contains("#") { throw bad("a fragment (#…) is not allowed") }
        if let question = rest.firstIndex(of: "?") {
            let query = rest[rest.index(after: question)...]
            for parameter in query.split(separator: "&") where parameter.lowercased() != "sslmode=disable" {
                throw bad("the parameter '\(parameter)' is not supported (only sslmode=disable: the store does not use TLS)")
            }
            rest = rest[..<question]
        }
        guard let at = rest.lastIndex(of: "@") else { throw bad("the user name is missing (user@host)") }
        let userInfo = rest[..<at]
        let afterUser = rest[rest.index(after: at)...]
        let authority = afterUser.firstIndex(of: "/").map { afterUser[..<$0] } ?? afterUser
        let path = afterUser.firstIndex(of: "/").map { afterUser[afterUser.index(after: $0)...] } ?? ""

        let (user, password) = Self.split(userInfo)
        guard let username = user.removingPercentEncoding, !username.isEmpty else {
            throw bad("the user name is missing or badly percent-encoded")
        }
        let decodedPassword = try password.map { raw throws(StoreError) in
            guard let decoded = raw.removingPercentEncoding else { throw bad("the password is badly percent-encoded") }
            return decoded
        }
        let (host, port) = try Self.hostAndPort(authority, bad: bad)
        guard let database = path.removingPercentEncoding, !database.isEmpty else {
            throw bad("the database name is missing (…/database)")
        }
        guard !database.contains("/") else { throw bad("the database name '\(database)' contains '/'") }
        self.init(host: host, port: port, username: username, password: decodedPassword, database: database)
    }

    /// The URL with the password masked, for messages and logs.
    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(username)\(password == nil ? "" : ":***")@\(hostPart):\(port)/\(database)"
    }

    /// Splits `user:password` at the first colon.
    private static func split(_ userInfo: Substring) -> (user: Substring, password: Substring?) {
        guard let colon = userInfo.firstIndex(of: ":") else { return (userInfo, nil) }
        return (userInfo[..<colon], userInfo[userInfo.index(after: colon)...])
    }

    /// Splits `host`, `host:port`, `[v6]` or `[v6]:port`.
    private static func hostAndPort(
        _ authority: Substring, bad: (String) -> StoreError
    ) throws(StoreError) -> (host: String, port: Int) {
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw bad("the IPv6 address has no closing ']'") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw bad("unexpected '\(after)' after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw bad("the host is missing") }
        guard let portText else { return (String(host), 5432) }
        guard let port = Int(portText), (1...65_535).contains(port) else {
            throw bad("the port '\(portText)' is not a number from 1 to 65535")
        }
        return (String(host), port)
    }

    /// `text` with anything between `user:` and the last `@` replaced by `***` (with or without a scheme).
    static func masked(_ text: String) -> String {
        let start = text.range(of: "://")?.upperBound ?? text.startIndex
        guard let at = text.lastIndex(of: "@"), at > start,
            let colon = text[start..<at].firstIndex(of: ":")
        else { return text }
        return String(text[...colon]) + "***" + String(text[at...])
    }
}
