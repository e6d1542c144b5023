#if canImport(Glibc)
import Foundation
import Glibc
import Testing

/// A request the HTTP parser cannot read ends its connection: the server closes it rather than leaving the socket
/// open with no answer (found by fuzzing the service: such connections stayed open for minutes).
@Suite("Malformed HTTP requests", .serialized)
struct MalformedRequestTests {
    /// Sends `bytes` on a new loopback connection to `port`; returns whether the server closed it (a read of 0 bytes or
    /// a reset) within `seconds`, after whatever it answered.
    static func closesConnection(port: Int, sending bytes: [UInt8], within seconds: Int) async throws -> Bool {
        try await exchange(port: port, sending: [bytes], within: seconds).closed
    }

    /// ``blockingExchange(port:sending:within:)`` on a thread of its own: its blocking reads must not hold one of the
    /// few threads the in-process server's handlers need (on two cores, one blocked read and another test's blocking
    /// wait left the server unable to answer).
    static func exchange(port: Int, sending messages: [[UInt8]], within seconds: Int) async throws -> (closed: Bool, received: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try blockingExchange(port: port, sending: messages, within: seconds) })
            }.start()
        }
    }

    /// Sends each of `messages` in turn on one new loopback connection to `port`, each after the answer to the one
    /// before has begun to arrive (the last is read until the server closes or `seconds` pass); returns everything
    /// received and whether the server closed the connection.
    static func blockingExchange(port: Int, sending messages: [[UInt8]], within seconds: Int) throws -> (closed: Bool, received: String) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0)
        defer { close(socket) }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var connected: Int32 = -1
        repeat {
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        } while connected != 0 && errno == EINTR
        try #require(connected == 0)
        var buffer = [UInt8](repeating: 0, count: 4096)
        var received: [UInt8] = []
        /// One read, retried when a signal interrupts it (other tests' child processes end meanwhile: SIGCHLD).
        func read() -> Int {
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                if count >= 0 || errno != EINTR { return count }
            }
        }
        /// Sends all of `message`, retried when a signal interrupts it.
        func write(_ message: [UInt8]) {
            var sent = 0
            while sent < message.count {
                let count = message.withUnsafeBytes { send(socket, $0.baseAddress.map { $0 + sent }, message.count - sent, 0) }
                if count > 0 { sent += count } else if count < 0 && errno == EINTR { continue } else { return }
            }
        }
        for message in messages.dropLast() {
            write(message)
            let count = read()
            guard count > 0 else { return (count == 0 || errno == ECONNRESET, String(decoding: received, as: UTF8.self)) }
            received += buffer[0..<count]
        }
        write(messages.last ?? [])
        while true {
            let count = read()
            if count == 0 { return (true, String(decoding: received, as: UTF8.self)) }  // closed by the server
            // A timeout (EAGAIN) means still open.
            if count < 0 { return (errno == ECONNRESET, String(decoding: received, as: UTF8.self)) }
            received += buffer[0..<count]
        }
    }

    @Test("a raw non-ASCII byte in the path, an unknown method, conflicting lengths: the connection is closed",
          arguments: [
              Array("GET /health?x=".utf8) + [0xC3, 0xA9] + Array(" HTTP/1.1\r\nHost: x\r\n\r\n".utf8),
              Array("FOO / HTTP/1.1\r\nHost: x\r\n\r\n".utf8),
              Array("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello".utf8),
          ])
    func malformedClosed(request: [UInt8]) async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        #expect(try await Self.closesConnection(port: server.port, sending: request, within: 5))
    }

    @Test("a malformed request after a good one on a kept-alive connection is answered 400, then closed")
    func malformedSecondRequest() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        let requests = [Array("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".utf8), Array("FOO / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)]
        let (closed, received) = try await Self.exchange(port: server.port, sending: requests, within: 5)
        #expect(received.hasPrefix("HTTP/1.1 200"), "\(received)")
        #expect(received.contains("HTTP/1.1 400"), "\(received)")
        #expect(closed)
    }

    @Test("a well-formed request on the same server is still answered and kept alive")
    func wellFormedAnswered() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        #expect(try await server.json("GET", "/health", key: nil).status == 200)
        // A keep-alive request is answered and the connection stays open (no close within a second).
        #expect(try await !Self.closesConnection(port: server.port, sending: Array("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".utf8), within: 1))
    }
}
#endif
