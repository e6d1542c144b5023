import BallastServer
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// The OpenAPI document served at `/openapi.json`: every route the router registers is in it, and every example
/// request it gives is accepted by a live server.
@Suite("OpenAPI document", .serialized)
struct OpenAPITests {
    @Test("every registered route is documented with its method, and every documented path is a route")
    func routesAreDocumented() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        let (status, body) = try await server.request("GET", "/openapi.json", key: nil)
        #expect(status == 200)
        let document = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let routes = try RiskServer.router(service: server.service).routes.map { ($0.method.rawValue.lowercased(), "\($0.path)") }
        #expect(routes.count >= 18)
        for (method, path) in routes {
            let documented = paths[Self.normalise(path)]
            #expect(documented?[method] != nil, "\(method.uppercased()) \(path) is not in openapi.json")
        }
        let registered = Set(routes.map { "\($0.0) \(Self.normalise($0.1))" })
        for (path, operations) in paths {
            for method in operations.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                #expect(registered.contains("\(method) \(path)"), "\(method.uppercased()) \(path) is documented but not a route")
            }
        }
    }

    @Test("the documented example requests are accepted by a server holding the example stream")
    func examplesValidate() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        _ = try await server.submitExampleStream()
        let (_, body) = try await server.request("GET", "/openapi.json", key: nil)
        let document = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var sent = 0
        for (template, operations) in paths.sorted(by: { $0.key < $1.key }) where template.hasPrefix("/v1/") && !template.hasSuffix("/stream") {
            for (method, value) in operations.sorted(by: { $0.key < $1.key }) {
                guard let operation = value as? [String: Any], ["get", "post"].contains(method) else { continue }
                let parameters = (operation["parameters"] as? [[String: Any]]) ?? []
                var path = template
                var query: [String] = []
                for parameter in parameters {
                    guard let name = parameter["name"] as? String, let example = parameter["example"] else { continue }
                    if parameter["in"] as? String == "path" { path = path.replacingOccurrences(of: "{\(name)}", with: "\(example)") }
                    if parameter["in"] as? String == "query" { query.append("\(name)=\(example)") }
                }
                path = path.replacingOccurrences(of: "{id}", with: "alice")
                if !query.isEmpty { path += "?" + query.joined(separator: "&") }
                let content = ((operation["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any]
                let examples = (content?["examples"] as? [String: [String: Any]])?.sorted { $0.key < $1.key }.compactMap { $0.value["value"] } ?? []
                if method == "post" {
                    #expect(!examples.isEmpty, "POST \(template) has no example request")
                    for example in examples {
                        let data = try JSONSerialization.data(withJSONObject: example)
                        let (status, answer) = try await server.request("POST", path, key: server.adminKey, body: data)
                        #expect((200..<300).contains(status), "POST \(path) example: \(status) \(String(decoding: answer, as: UTF8.self))")
                        sent += 1
                    }
                } else {
                    let (status, answer) = try await server.request("GET", path, key: server.adminKey)
                    #expect((200..<300).contains(status), "GET \(path): \(status) \(String(decoding: answer, as: UTF8.self))")
                    sent += 1
                }
            }
        }
        #expect(sent >= 9)
    }

    /// A router path as OpenAPI writes it (`{id}`).
    static func normalise(_ path: String) -> String {
        let segments = path.split(separator: "/").map { segment -> String in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }
        return "/" + segments.joined(separator: "/")
    }
}
