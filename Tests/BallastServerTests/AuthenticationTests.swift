import BallastServer
import Foundation
import Testing

/// Keys and who sees what: 401 without a valid key on every protected route, 403 for an account key on admin
/// routes, 404 for another account's data (the same answer as for an account that does not exist).
@Suite("Authentication and visibility", .serialized)
struct AuthenticationTests {
    /// Every protected route with a request that would otherwise succeed or fail on its own merits.
    static let protectedRoutes: [(String, String)] = [
        ("POST", "/v1/events"), ("GET", "/v1/accounts/alice/margin"), ("GET", "/v1/accounts/alice/status"),
        ("POST", "/v1/accounts/alice/what-if"), ("GET", "/v1/accounts/alice/max-size?instrument=BTC-PERP&side=buy"),
        ("GET", "/v1/parameters"), ("POST", "/v1/parameters"), ("GET", "/v1/at-risk"), ("GET", "/v1/system"), ("GET", "/metrics"),
        ("GET", "/"), ("GET", "/dashboard/accounts/alice"), ("GET", "/v1/stream"), ("GET", "/v1/accounts/alice/stream"),
    ]

    @Test("no key, a malformed key, a forged secret or a revoked key: 401 on every protected route; public routes open")
    func unauthorized() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        _ = try await server.submitExampleStream()
        let forged = String(server.adminKey.dropLast(4)) + "0000"
        for (method, path) in Self.protectedRoutes {
            for key in [nil, "not-a-key", forged] {
                let (status, body) = try await server.request(method, path, key: key, body: method == "POST" ? Data("{}".utf8) : nil)
                #expect(status == 401, "\(method) \(path) with \(key ?? "no key")")
                let error = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
                #expect((error?["error"] as? [String: Any])?["code"] as? String == "unauthorized")
            }
        }
        for path in ["/health", "/ready", "/openapi.json", "/login", "/static/dashboard.css"] {
            #expect(try await server.request("GET", path, key: nil).status == 200, "\(path)")
        }
        // Revoking a key takes effect at its next request.
        let records = try server.service.keys.records()
        let bobID = try #require(records.first { $0.account == "bob" }?.id)
        #expect(try await server.request("GET", "/v1/accounts/bob/margin", key: server.bobKey).status == 200)
        #expect(try server.service.keys.revoke(id: bobID))
        #expect(try await server.request("GET", "/v1/accounts/bob/margin", key: server.bobKey).status == 401)
    }

    @Test("an account key sees its own account only; other accounts answer 404 like unknown ones; admin routes 403")
    func accountScope() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        _ = try await server.submitExampleStream()
        #expect(try await server.request("GET", "/v1/accounts/alice/margin", key: server.aliceKey).status == 200)
        let other = try await server.request("GET", "/v1/accounts/bob/margin", key: server.aliceKey)
        let unknown = try await server.request("GET", "/v1/accounts/nobody/margin", key: server.aliceKey)
        #expect(other.status == 404 && unknown.status == 404)
        // The two answers differ only in the id they name: nothing tells whether bob exists.
        #expect(String(decoding: other.body, as: UTF8.self).replacingOccurrences(of: "bob", with: "X")
                == String(decoding: unknown.body, as: UTF8.self).replacingOccurrences(of: "nobody", with: "X"))
        for path in ["/v1/accounts/bob/status", "/v1/accounts/bob/max-size?instrument=BTC-PERP&side=buy", "/dashboard/accounts/bob"] {
            #expect(try await server.request("GET", path, key: server.aliceKey).status == 404, "\(path)")
        }
        #expect(try await server.request("POST", "/v1/accounts/bob/what-if", key: server.aliceKey, body: Data("{}".utf8)).status == 404)
        for (method, path) in [("POST", "/v1/events"), ("POST", "/v1/parameters"), ("GET", "/v1/at-risk"), ("GET", "/v1/system"), ("GET", "/metrics")] {
            #expect(try await server.request(method, path, key: server.aliceKey, body: method == "POST" ? Data("{}".utf8) : nil).status == 403,
                    "\(method) \(path)")
        }
        // The admin sees every account.
        #expect(try await server.request("GET", "/v1/accounts/bob/margin", key: server.adminKey).status == 200)
    }

    @Test("members of a margin group see each other's pool, not other accounts")
    func groupScope() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        _ = try await server.submitExampleStream()
        let join = #"[{"id": "g-alice", "type": "group", "account": "alice", "group": "desk"}, {"id": "g-bob", "type": "group", "account": "bob", "group": "desk"}]"#
        #expect(try await server.request("POST", "/v1/events", key: server.adminKey, body: Data(join.utf8)).status == 200)
        #expect(try await server.request("GET", "/v1/accounts/bob/margin", key: server.aliceKey).status == 200)
        #expect(try await server.request("GET", "/v1/accounts/carol/margin", key: server.aliceKey).status == 404)
    }

    @Test("the key file holds digests only; keys verify, forged ones do not")
    func keyStore() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = APIKeyStore(directory: directory.path)
        let (key, record) = try store.create(role: .account, account: "alice", label: "desk")
        let text = String(decoding: try Data(contentsOf: directory.appendingPathComponent("keys.json")), as: UTF8.self)
        #expect(!text.contains(String(key.split(separator: "_")[2])))
        #expect(text.contains(record.sha256))
        #expect(store.verify(key) == .account(keyID: record.id, account: "alice"))
        #expect(store.verify(key + "0") == nil)
        #expect(store.verify("bk_\(record.id)_" + String(repeating: "0", count: 32)) == nil)
        // A second store on the same file (another process: `ballast keys create`) sees the key.
        #expect(APIKeyStore(directory: directory.path).verify(key) != nil)
        #expect(throws: KeyStoreError.self) { try store.create(role: .account, account: nil, label: nil) }
    }
}
