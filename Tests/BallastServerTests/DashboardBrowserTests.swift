import BallastServer
import Foundation
import Logging
import NIOWebSocket
import Testing
import WSClient

/// The dashboard in a real headless Chromium (Debian's `chromium`, which `.ci/run` installs), driven over the
/// DevTools protocol: the overview loads with the engine's data, its stream connects, and it updates live as events
/// arrive; an account page shows the account. Skipped where no Chromium is installed.
@Suite("Dashboard in headless Chromium", .serialized, .enabled(if: Chromium.path != nil, "no Chromium installed"))
struct DashboardBrowserTests {

    /// What the page shows, as the test reads it from the DOM.
    struct PageState: Decodable {
        var title: String
        var live: String
        var updates: Int
        var riskRows: Int
        var newSignals: Int
        var lastSequence: String
        var accounts: String
    }

    static let probe = """
        JSON.stringify({title: document.title, live: document.getElementById('live')?.textContent ?? '',
          updates: Number(document.getElementById('updates')?.dataset.updates ?? 0),
          riskRows: document.querySelectorAll('#at-risk tbody tr, #positions tbody tr').length,
          newSignals: document.querySelectorAll('#signals li.new').length,
          lastSequence: document.getElementById('last-sequence')?.textContent ?? '',
          accounts: document.getElementById('accounts')?.textContent ?? document.querySelector('.card .big')?.textContent ?? ''})
        """

    @Test("the overview loads with data, connects its stream and updates as prices move; an account page shows the account")
    func overviewUpdatesLive() async throws {
        let server = try await ServerHarness.start()
        defer { Task { await server.stop() } }
        _ = try await server.submitExampleStream()
        let browser = try Browser.launch(try #require(Chromium.path))
        defer { browser.stop() }

        let states = try await browser.session(url: "http://127.0.0.1:\(server.port)/login?key=\(server.adminKey)&next=/") { evaluate in
            var seen: [PageState] = []
            var price = 101_000
            for step in 0..<120 {
                try await Task.sleep(for: .milliseconds(150))
                let state = try JSONDecoder().decode(PageState.self, from: Data(try await evaluate(Self.probe).utf8))
                // Until the page has loaded and filled in its figures (a busy machine may take seconds; the title comes
                // first), there is nothing to read.
                if state.title.isEmpty || state.accounts.isEmpty { continue }
                seen.append(state)
                if state.live == "live", step % 2 == 0 {
                    // Move BTC down in steps: alice's pool leaves the healthy band, which the page shows as signals.
                    price -= 1_500
                    let move = #"{"id": "browser-px-\#(step)", "type": "prices", "index": {"BTC": \#(price).0}, "marks": {"BTC-PERP": \#(price).0}}"#
                    _ = try await server.request("POST", "/v1/events", key: server.adminKey, body: Data(move.utf8))
                }
                if state.updates >= 5, state.newSignals >= 1 { break }
            }
            return seen
        }
        let first = try #require(states.first)
        let last = try #require(states.last)
        #expect(first.title == "Ballast — overview")
        #expect(first.accounts == "3")
        #expect(first.riskRows == 3)
        #expect(last.live == "live")
        #expect(last.updates >= 5, "the page received \(last.updates) stream messages")
        #expect(last.newSignals >= 1, "no signal reached the page")
        #expect(last.lastSequence != first.lastSequence)

        let account = try await browser.session(url: "http://127.0.0.1:\(server.port)/dashboard/accounts/alice") { evaluate in
            var state = PageState(title: "", live: "", updates: 0, riskRows: 0, newSignals: 0, lastSequence: "", accounts: "")
            for _ in 0..<100 where state.live != "live" {
                try await Task.sleep(for: .milliseconds(100))
                state = try JSONDecoder().decode(PageState.self, from: Data(try await evaluate(Self.probe).utf8))
            }
            return state
        }
        #expect(account.title == "Ballast — alice")
        #expect(account.riskRows == 1)  // alice's BTC-PERP position
        #expect(account.live == "live")
    }
}

/// Where Chromium is installed, if it is.
enum Chromium {
    static var path: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A headless Chromium with its DevTools endpoint on a free port.
final class Browser: Sendable {
    let process: Process
    let endpoint: String
    let profile: URL

    private init(process: Process, endpoint: String, profile: URL) {
        self.process = process
        self.endpoint = endpoint
        self.profile = profile
    }

    static func launch(_ executable: String) throws -> Browser {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-chromium-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=\(profile.path)", "about:blank"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("DevTools listening on ") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: "DevTools listening on ") else {
            process.terminate()
            throw BrowserError.noEndpoint(text)
        }
        let endpoint = String(text[range.upperBound...].prefix { !$0.isWhitespace })
        return Browser(process: process, endpoint: endpoint, profile: profile)
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: profile)
    }

    /// Opens `url` in a new tab and runs `body` with a function that evaluates JavaScript in it (returning a string).
    func session<T: Sendable>(url: String, _ body: @escaping @Sendable (@escaping (String) async throws -> String) async throws -> T) async throws -> T {
        let result = Result<T>()
        try await WebSocketClient.connect(url: endpoint, configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 24),
                                          logger: Logger(label: "cdp")) { inbound, outbound, _ in
            var messages = inbound.messages(maxSize: 1 << 24).makeAsyncIterator()
            var nextID = 0
            func call(_ method: String, _ params: [String: Any], session: String? = nil) async throws -> [String: Any] {
                nextID += 1
                let id = nextID
                var message: [String: Any] = ["id": id, "method": method, "params": params]
                if let session { message["sessionId"] = session }
                try await outbound.write(.text(String(decoding: try JSONSerialization.data(withJSONObject: message), as: UTF8.self)))
                while let frame = try await messages.next() {
                    guard case .text(let text) = frame,
                          let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                          object["id"] as? Int == id else { continue }
                    if let error = object["error"] { throw BrowserError.protocolError("\(method): \(error)") }
                    return object["result"] as? [String: Any] ?? [:]
                }
                throw BrowserError.protocolError("\(method): connection closed")
            }
            let target = try await call("Target.createTarget", ["url": url])
            guard let targetID = target["targetId"] as? String else { throw BrowserError.protocolError("no target id") }
            let attached = try await call("Target.attachToTarget", ["targetId": targetID, "flatten": true])
            guard let session = attached["sessionId"] as? String else { throw BrowserError.protocolError("no session id") }
            let value = try await body { expression in
                let evaluated = try await call("Runtime.evaluate", ["expression": expression, "returnByValue": true], session: session)
                return ((evaluated["result"] as? [String: Any])?["value"] as? String) ?? "{}"
            }
            result.set(value)
            _ = try await call("Target.closeTarget", ["targetId": targetID])
            try await outbound.close(.normalClosure, reason: nil)
        }
        return try result.get()
    }

    /// A value handed out of the client's handler.
    final class Result<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: T?
        func set(_ value: T) { lock.withLock { self.value = value } }
        func get() throws -> T {
            guard let value = lock.withLock({ self.value }) else { throw BrowserError.protocolError("the session ended without a result") }
            return value
        }
    }

    enum BrowserError: Error {
        case noEndpoint(String)
        case protocolError(String)
    }
}
