import BallastEngine
import BallastServer
import Foundation
import HTTPTypes
import Logging
import NIOWebSocket
import Synchronization
import Testing
import WSClient

/// The WebSocket streams against a live server, and the hub's treatment of slow clients.
@Suite("Streams", .serialized)
struct StreamTests {
    /// Connects to `path` with `key`, collects text messages until `done` says so (or 10 s pass), and returns them.
    static func collect(_ server: ServerHarness, path: String, key: String, after connected: @escaping @Sendable () async throws -> Void,
                        until done: @escaping @Sendable ([String]) -> Bool) async throws -> [String] {
        let messages = Messages()
        var configuration = WebSocketClientConfiguration()
        configuration.additionalHeaders = [.authorization: "Bearer \(key)"]
        let settings = configuration
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(server.port)\(path)", configuration: settings,
                                                      logger: Logger(label: "ws-test")) { inbound, outbound, _ in
                    try await connected()
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message else { continue }
                        let all = messages.append(text)
                        if done(all) { break }
                    }
                    try await outbound.close(.normalClosure, reason: nil)
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(10))
                throw CancellationError()
            }
            _ = try await group.next()
            group.cancelAll()
        }
        return messages.all
    }

    /// Messages received, shared with the client's handler.
    final class Messages: Sendable {
        private let texts = Mutex<[String]>([])
        func append(_ text: String) -> [String] { texts.withLock { $0.append(text); return $0 } }
        var all: [String] { texts.withLock { $0 } }
    }

    /// The admin stream's messages up to the first signal, after the example stream and then, `after` connecting and
    /// waiting `delay`, a fall of BTC from 101,000 to 90,000 (alice, recovered at #17, falls out of the healthy band
    /// again).
    static func adminMessagesAfterBTCFall(_ server: ServerHarness, delay: Duration = .zero) async throws -> [String] {
        _ = try await server.submitExampleStream()
        let move = #"{"id": "px-api", "type": "prices", "index": {"BTC": 90000.0}, "marks": {"BTC-PERP": 90000.0}}"#
        return try await collect(server, path: "/v1/stream", key: server.adminKey, after: {
            try await Task.sleep(for: delay)
            _ = try await server.request("POST", "/v1/events", key: server.adminKey, body: Data(move.utf8))
        }, until: { $0.contains { $0.contains(#""type":"signal""#) } })
    }

    @Test("the admin stream carries every signal of a price move once it is durable")
    func adminStream() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        let messages = try await Self.adminMessagesAfterBTCFall(server)
        let signal = try #require(messages.first { $0.contains(#""type":"signal""#) })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(signal.utf8)) as? [String: Any])
        #expect(object["id"] as? String == "alice")
        #expect(object["sequence"] as? Int == 19)
        #expect(object["to"] as? String != "healthy")
    }

    @Test("an account stream sends the status at once, then the pool's signals; another account's stream is 404")
    func accountStream() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        _ = try await server.submitExampleStream()
        let move = #"{"id": "px-api-2", "type": "prices", "index": {"BTC": 90000.0}, "marks": {"BTC-PERP": 90000.0}}"#
        let messages = try await Self.collect(server, path: "/v1/accounts/alice/stream", key: server.aliceKey, after: {
            try await Task.sleep(for: .milliseconds(200))
            _ = try await server.request("POST", "/v1/events", key: server.adminKey, body: Data(move.utf8))
        }, until: { all in all.contains { $0.contains(#""type":"signal""#) } && all.filter { $0.contains(#""type":"status""#) }.count >= 2 })
        let first = try #require(messages.first)
        #expect(first.contains(#""type":"status""#) && first.contains(#""account":"alice""#) && first.contains(#""sequence":18"#))
        #expect(messages.contains { $0.contains(#""type":"signal""#) && $0.contains(#""id":"alice""#) })
        #expect(messages.contains { $0.contains(#""type":"status""#) && $0.contains(#""sequence":19"#) })
        // bob's stream is invisible to alice's key.
        #expect(try await server.request("GET", "/v1/accounts/bob/stream", key: server.aliceKey).status == 404)
    }

    @Test("a plain GET of a stream answers 426 upgrade_required once the key may see it")
    func plainGetNeedsUpgrade() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        _ = try await server.submitExampleStream()
        for (path, key) in [("/v1/stream", server.adminKey), ("/v1/accounts/alice/stream", server.aliceKey),
                            ("/v1/accounts/alice/stream", server.adminKey)] {
            let (status, json) = try await server.json("GET", path, key: key)
            let error = try #require(json["error"] as? [String: Any])
            #expect(status == 426, "\(path)")
            #expect(error["code"] as? String == "upgrade_required" && error["field"] as? String == "Upgrade")
            #expect((error["message"] as? String)?.hasPrefix("\(path) is a WebSocket stream") == true, "\(error)")
        }
        // The key's checks come first: an account key on the admin stream, or on another account's.
        #expect(try await server.request("GET", "/v1/stream", key: server.aliceKey).status == 403)
        #expect(try await server.request("GET", "/v1/accounts/bob/stream", key: server.aliceKey).status == 404)
        // The answer says what the request had, and what to upgrade to. (A first request with an Upgrade header is the
        // WebSocket library's: it upgrades it, or closes the connection for another protocol.)
        let request = "GET /v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(server.adminKey)\r\nConnection: close\r\n\r\n"
        let (_, received) = try await MalformedRequestTests.exchange(port: server.port, sending: [Array(request.utf8)], within: 5)
        #expect(received.hasPrefix("HTTP/1.1 426"), "\(received)")
        #expect(received.lowercased().contains("\r\nupgrade: websocket\r\n"), "\(received)")
        #expect(received.contains("(this one has Connection: close, no Upgrade header)"), "\(received)")
        // A later request on a kept-alive connection goes to the WebSocket library only if it asks for "websocket" in
        // exactly those letters; another spelling reaches the HTTP routes, which answer 426, not an empty 200.
        let first = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
        let second = "GET /v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(server.adminKey)\r\nConnection: Upgrade, close\r\n"
            + "Upgrade: WebSocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        let (_, both) = try await MalformedRequestTests.exchange(port: server.port, sending: [Array((first + second).utf8)], within: 5)
        let answers = both.components(separatedBy: "HTTP/1.1 ").dropFirst().map { String($0.prefix(3)) }
        #expect(answers == ["200", "426"], "\(both)")
    }

    @Test("a client whose queue is full is dropped as too slow; the others and the publisher do not wait")
    func slowClient() async throws {
        let hub = StreamHub(capacity: 4)
        let slow = hub.subscribe(.all)
        let other = hub.subscribe(.account(id: "alice", group: nil))
        var dropped = 0
        for i in 0..<10 { dropped += hub.publish("{\"n\":\(i)}", subject: .account("alice")) }
        #expect(dropped == 2)  // neither client reads: both queues held 4, the fifth message dropped each
        #expect(slow.isDropped && slow.ending == .tooSlow)
        #expect(hub.clientCount == 0)

        let reader = hub.subscribe(.account(id: "bob", group: "desk"))
        hub.publish("a", subject: .account("alice"))
        hub.publish("g", subject: .group("desk"))
        hub.publish("b", subject: .account("bob"))
        hub.finishAll()
        var received: [String] = []
        for await message in reader.messages { received.append(message) }
        #expect(received == ["g", "b"])
        #expect(reader.ending == .closed)
        _ = other
    }
}
