import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A request the HTTP parser cannot read ends its connection: the server closes it rather than leaving the socket
/// open with no answer (found by fuzzing the service: such connections stayed open for minutes).
@Suite("Malformed HTTP requests", .serialized)
struct MalformedRequestTests {
    /// Sends `bytes` on a new loopback connection to `port`; returns whether the server closed it (a read of 0 bytes or
    /// a reset) within `seconds`, after whatever it answered.
    static func closesConnection(port: Int, sending bytes: [UInt8], within seconds: Int) throws -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0)
        defer { close(socket) }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        _ = bytes.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count == 0 { return true }  // closed by the server
            if count < 0 { return errno == ECONNRESET }  // a timeout (EAGAIN) means still open
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
        #expect(try Self.closesConnection(port: server.port, sending: request, within: 5))
    }

    @Test("a well-formed request on the same server is still answered and kept alive")
    func wellFormedAnswered() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        #expect(try await server.json("GET", "/health", key: nil).status == 200)
        // A keep-alive request is answered and the connection stays open (no close within a second).
        #expect(try !Self.closesConnection(port: server.port, sending: Array("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".utf8), within: 1))
    }
}
