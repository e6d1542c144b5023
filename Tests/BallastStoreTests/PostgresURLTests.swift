import BallastStore
import Testing

/// Parsing of `postgres://user:password@host:port/database` URLs.
struct PostgresURLTests {
    @Test func parsesAFullURL() throws {
        let url = try PostgresURL(parsing: "postgres://ballast:s3cret@127.0.0.1:55432/risk")
        #expect(url == PostgresURL(host: "127.0.0.1", port: 55432, username: "ballast", password: "s3cret", database: "risk"))
        #expect(url.description == "postgres://ballast:***@127.0.0.1:55432/risk")
    }

    @Test func defaultsThePortAndAcceptsPostgresqlAndSSLModeDisable() throws {
        let url = try PostgresURL(parsing: "postgresql://ballast@db.internal/risk?sslmode=disable")
        #expect(url == PostgresURL(host: "db.internal", port: 5432, username: "ballast", password: nil, database: "risk"))
        #expect(url.description == "postgres://ballast@db.internal:5432/risk")
    }

    @Test func decodesPercentEscapesAndIPv6Hosts() throws {
        let url = try PostgresURL(parsing: "postgres://us%3Aer:p%40ss:w@rd@[::1]:6000/my%20db")
        #expect(url.username == "us:er")
        #expect(url.password == "p@ss:w@rd")
        #expect(url.host == "::1")
        #expect(url.port == 6000)
        #expect(url.database == "my db")
        #expect(url.description == "postgres://us:er:***@[::1]:6000/my db")
    }

    @Test(arguments: [
        ("http://u:p@h:1/d", "scheme"),
        ("u:p@h:1/d", "expected postgres://"),
        ("postgres://h:5432/d", "user name is missing"),
        ("postgres://:p@h/d", "user name is missing"),
        ("postgres://u:p@:5432/d", "host is missing"),
        ("postgres://u:p@h:port/d", "port 'port'"),
        ("postgres://u:p@h:70000/d", "port '70000'"),
        ("postgres://u:p@h:5432", "database name is missing"),
        ("postgres://u:p@h:5432/", "database name is missing"),
        ("postgres://u:p@h/d?sslmode=require", "sslmode=require"),
        ("postgres://u:p@[::1/d", "closing ']'"),
    ])
    func rejectsBadURLsNamingThemWithoutThePassword(text: String, reason: String) {
        do {
            _ = try PostgresURL(parsing: text)
            Issue.record("\(text) was accepted")
        } catch {
            guard case .unavailable(let message) = error else {
                Issue.record("\(text): \(error) is not unavailable")
                return
            }
            #expect(message.contains(reason), "\(message)")
            #expect(message.contains("bad PostgreSQL URL"))
            #expect(!message.contains(":p@"), "the password leaks: \(message)")
        }
    }
}
