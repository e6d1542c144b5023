import BallastCore
import BallastEngine
import BallastIO
import BallastServer
import BallastStore
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// SIGTERM in the middle of a stream of submissions to a real `ballast serve` process: it exits cleanly, and every
/// event it acknowledged is in the store it leaves.
@Suite("Graceful shutdown of ballast serve")
struct ShutdownTests {
    /// The `ballast` executable built beside this test bundle.
    static var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("ballast")
    }

    @Test("SIGTERM loses nothing acknowledged")
    func sigterm() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-sigterm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = try APIKeyStore(directory: directory.path).create(role: .admin, account: nil, label: nil).key
        let (process, port) = try Self.serve(["--data", directory.path, "--genesis", ServerHarness.examples.appendingPathComponent("market.json").path])
        let client = HTTPClient(port: port, key: key)
        #expect(try await client.post(#"{"id": "open", "type": "open_account", "account": "saver"}"#) == 200)

        // Eight writers submit deposits of 1 USDC; SIGTERM goes out once 60 are acknowledged.
        let acknowledged = Acknowledged()
        let pid = process.processIdentifier
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for n in stride(from: writer, to: 4_000, by: 8) {
                        let body = #"{"id": "dep-\#(n)", "type": "deposit", "account": "saver", "asset": "USDC", "amount": "1"}"#
                        guard let status = try? await client.post(body) else { return }
                        guard status == 200 else { return }
                        acknowledged.insert(n)
                    }
                }
            }
            group.addTask {
                while acknowledged.count < 60 { try await Task.sleep(for: .milliseconds(5)) }
                kill(pid, SIGTERM)
            }
            try await group.waitForAll()
        }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)

        let acks = acknowledged.all
        #expect(acks.count >= 60 && acks.count < 4_000)
        let store = try await StoreLocation.data(directory.path).open()
        let engine = try #require(try await DurableEngine.restore(store: store, documents: EngineDocuments()))
        try await store.close()
        // Every acknowledged deposit is in the state (another one may be too: applied, but its answer was cut off).
        let saver = try #require(engine.accountIndex(of: "saver"))
        let usdc = try #require(engine.catalog.asset("USDC"))
        let balance = engine.accounts[Int(saver)].balance(usdc)
        #expect(balance >= Int128(acks.count) * 1_000_000)
        #expect(balance == Int128(engine.lastSequence - 1) * 1_000_000)
    }
}

extension ShutdownTests {
    /// Starts `ballast serve` with `arguments` on a free port; returns the process and its port, read from its
    /// "ballast: serving on http://127.0.0.1:PORT" line.
    static func serve(_ arguments: [String]) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--port", "0"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        var port = 0
        while port == 0 {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: "serving on http://127.0.0.1:") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
            }
        }
        try #require(port > 0, "no port in: \(text)")
        return (process, port)
    }

    @Test("SIGTERM stops the demo as it stops the service: status 0")
    func demoSigterm() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-demo-sigterm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (process, _) = try Self.serve(["--data", directory.path, "--demo", "--demo-accounts", "30"])
        // Long enough for the demo to open its book and move the market at least once.
        try await Task.sleep(for: .seconds(2))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }
}

/// The ids of acknowledged submissions, shared by the writers.
final class Acknowledged: Sendable {
    private let ids = Mutex(Set<Int>())
    func insert(_ id: Int) { _ = ids.withLock { $0.insert(id) } }
    var count: Int { ids.withLock { $0.count } }
    var all: Set<Int> { ids.withLock { $0 } }
}

/// A minimal HTTP client for the test (URLSession over loopback).
struct HTTPClient: Sendable {
    let port: Int
    let key: String

    func post(_ body: String) async throws -> Int {
        guard let url = URL(string: "http://127.0.0.1:\(port)/v1/events") else { return 0 }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
