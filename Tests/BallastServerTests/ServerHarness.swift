import BallastIO
import BallastServer
import Foundation
import Hummingbird
import Logging
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real `ballast serve` service in this process, listening on a free loopback port, over a fresh SQLite store
/// started from the README's example venue (`Examples/engine/market.json`), with an admin key and keys of accounts
/// alice and bob. Requests go over real HTTP.
final class ServerHarness: Sendable {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Examples/engine").standardized

    let directory: URL
    let service: RiskService
    let port: Int
    let adminKey: String
    let aliceKey: String
    let bobKey: String
    private let task: Task<Void, any Error>

    /// Starts a service; `events` (JSON lines of the example stream by default) are submitted by the admin first.
    static func start(configure: (inout ServerConfiguration) -> Void = { _ in }, streamUpdateInterval: Duration = .milliseconds(100))
        async throws -> ServerHarness {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-server-\(UUID().uuidString)")
        let genesis = String(decoding: try Data(contentsOf: examples.appendingPathComponent("market.json")), as: UTF8.self)
        var configuration = ServerConfiguration(port: 0, store: .data(directory.path), dataDirectory: directory.path, genesis: genesis)
        configure(&configuration)
        let service = try await RiskService.open(configuration)
        let admin = try service.keys.create(role: .admin, account: nil, label: "test admin").key
        let alice = try service.keys.create(role: .account, account: "alice", label: nil).key
        let bob = try service.keys.create(role: .account, account: "bob", label: nil).key
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        // Stopping a test server by cancellation makes Hummingbird log errors; only critical ones are shown.
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let app = try RiskServer.application(service: service, logger: logger, streamUpdateInterval: streamUpdateInterval) { port in
            continuation.yield(port)
        }
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw HarnessError.notListening }
        return ServerHarness(directory: directory, service: service, port: port, keys: (admin, alice, bob), task: task)
    }

    private init(directory: URL, service: RiskService, port: Int, keys: (String, String, String), task: Task<Void, any Error>) {
        self.directory = directory
        self.service = service
        self.port = port
        (adminKey, aliceKey, bobKey) = keys
        self.task = task
    }

    /// Stops the server, closes the store and removes it.
    func stop() async {
        task.cancel()
        _ = await task.result
        try? await service.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A request over HTTP: status and body.
    func request(_ method: String, _ path: String, key: String?, body: Data? = nil, headers: [String: String] = [:]) async throws -> (status: Int, body: Data) {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw HarnessError.badPath(path) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// A request whose answer is a JSON object.
    func json(_ method: String, _ path: String, key: String?, body: String? = nil) async throws -> (status: Int, json: [String: Any]) {
        let (status, data) = try await request(method, path, key: key, body: body.map { Data($0.utf8) })
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return (status, object)
    }

    /// Submits the README's example stream (18 events with their own sequence numbers) as one batch.
    func submitExampleStream() async throws -> [String: Any] {
        let lines = String(decoding: try Data(contentsOf: Self.examples.appendingPathComponent("events.jsonl")), as: UTF8.self)
            .split(separator: "\n").filter { !$0.isEmpty }
        let (status, json) = try await self.json("POST", "/v1/events", key: adminKey, body: "[" + lines.joined(separator: ",") + "]")
        #expect(status == 200)
        return json
    }

    enum HarnessError: Error {
        case notListening
        case badPath(String)
    }
}
