#if canImport(Glibc)
import BallastServer
import Foundation
import Testing

/// Connections that stay silent are closed after the configured idle time (1 s here): before the first request is in,
/// between requests, and within a declared body; an upgraded WebSocket stream is not (found by fuzzing the service:
/// such connections were held for minutes, and a slow client could hold any number of them).
@Suite("Idle connections", .serialized)
struct IdleConnectionTests {
    /// A server whose connections may stay silent for one second.
    static func server() async throws -> ServerHarness {
        try await ServerHarness.start(configure: { $0.idleTimeout = .seconds(1) })
    }

    @Test("a connection that sends nothing, or only part of a head, or a body shorter than declared, is closed",
          arguments: [
              "",
              "GET /health HTTP/1.1\r\nHost: x\r\n",
              "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{",
              "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000000\r\n\r\n",
          ])
    func silentClosed(request: String) async throws {
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        let start = ContinuousClock.now
        #expect(try await MalformedRequestTests.closesConnection(port: server.port, sending: Array(request.utf8), within: 6))
        // Not closed at once: the second the client was given.
        #expect(ContinuousClock.now - start >= .milliseconds(900))
    }

    @Test("a WebSocket upgrade request that declares a body it never sends is closed (the upgrade waits for the body)")
    func upgradeWithBodyClosed() async throws {
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        let request = "GET /v1/stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "Authorization: Bearer \(server.adminKey)\r\nContent-Length: 10\r\n\r\n"
        let start = ContinuousClock.now
        #expect(try await MalformedRequestTests.closesConnection(port: server.port, sending: Array(request.utf8), within: 6))
        #expect(ContinuousClock.now - start >= .milliseconds(900))
    }

    @Test("without a timeout a silent connection stays open")
    func noTimeout() async throws {
        let server = try await ServerHarness.start(configure: { $0.idleTimeout = nil })
        defer { Task { await server.stop() } }
        #expect(try await !MalformedRequestTests.closesConnection(port: server.port, sending: [], within: 2))
    }

    @Test("a kept-alive connection is answered, then closed once idle")
    func keptAliveClosed() async throws {
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        let (closed, received) = try await MalformedRequestTests.exchange(port: server.port, sending: [Array("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".utf8), []],
                                                                          within: 6)
        #expect(received.hasPrefix("HTTP/1.1 200"), "\(received)")
        #expect(closed)
    }

    @Test("a WebSocket stream silent for longer than the idle time stays open and carries the next signal")
    func streamNotLimited() async throws {
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        let messages = try await StreamTests.adminMessagesAfterBTCFall(server, delay: .milliseconds(2_500))
        #expect(messages.contains { $0.contains(#""type":"signal""#) }, "\(messages)")
    }
}
#endif
