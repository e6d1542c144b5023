import ArgumentParser
import BallastCore
import BallastIO
import BallastServer
import Foundation
import Logging

/// `ballast serve`: the risk service (HTTP and WebSocket API, metrics, dashboard) over a durable engine.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the risk service: HTTP and WebSocket API, Prometheus metrics and a live dashboard.",
        discussion: """
            Listens on 127.0.0.1:8080 by default with an embedded SQLite store in ./ballast-data (created on first
            run). A new store starts from --genesis, or with --demo from the demo venue (BTC, ETH and SOL perpetuals,
            a dated future, BTC options). --demo also opens a few thousand demo accounts and moves prices along a
            random path with jumps, so margin calls and liquidations appear within a minute, and creates an admin key
            whose dashboard address it prints.

            Every API route needs a key (Authorization: Bearer <key>); create one with `ballast keys create`.
            SIGINT or SIGTERM stops the service gracefully: requests in flight finish and the journal is flushed.

            Examples:
              ballast serve --demo
              ballast serve --genesis Examples/engine/market.json --port 9000
              ballast serve --postgres postgres://user:password@127.0.0.1:5432/ballast --genesis market.json
            """
    )

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port).")
    var port: Int = 8080

    @Option(help: "The data directory: the SQLite store and the key file (created if missing).")
    var data: String = "ballast-data"

    @Option(help: "A PostgreSQL URL (postgres://user:password@host:port/database) to use instead of SQLite.")
    var postgres: String?

    @Option(help: "The genesis document (ballast.market/1) for a new store.")
    var genesis: String?

    @Flag(help: "Run the demo: demo venue, a few thousand accounts, a moving market.")
    var demo = false

    @Option(help: "Demo accounts to open (with --demo, on a store without accounts).")
    var demoAccounts: Int = 3_000

    @Option(help: "Take a snapshot after this many applied events (0: never).")
    var snapshotEvery: Int = 100_000

    @Option(help: "The largest request body, in bytes.")
    var maxBody: Int = 4 << 20

    @Option(help: "Close an HTTP connection whose first request's head is not in within this many seconds, or that is silent this long between requests or within a body (0: never; WebSocket streams are not limited).")
    var idleTimeout: Int = 60

    func run() async throws {
        guard (0...65_535).contains(port) else { return try fail("--port: \(port) is not in 0...65535", code: 2) }
        guard snapshotEvery >= 0 else { return try fail("--snapshot-every: \(snapshotEvery) must not be negative", code: 2) }
        guard (1...1_000_000).contains(demoAccounts) else { return try fail("--demo-accounts: \(demoAccounts) must be in 1...1000000", code: 2) }
        guard maxBody >= 1_024 else { return try fail("--max-body: \(maxBody) must be at least 1024", code: 2) }
        guard (0...86_400).contains(idleTimeout) else { return try fail("--idle-timeout: \(idleTimeout) must be in 0...86400 seconds", code: 2) }
        var genesisText: String?
        if let genesis {
            guard let data = FileManager.default.contents(atPath: genesis) else { return try fail("cannot read \(genesis)", code: 2) }
            do throws(InputError) {
                _ = try EngineDocuments().decodeGenesis(data)
            } catch {
                return try fail("\(genesis): \(error.description)", code: 2)
            }
            genesisText = String(decoding: data, as: UTF8.self)
        } else if demo {
            genesisText = DemoMarket.genesis(time: Timestamp(Date()))
        }
        do {
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        } catch {
            return try fail("--data: cannot create \(data): \(error.localizedDescription)", code: 1)
        }
        let location = postgres.map { StoreLocation.postgres(url: $0) } ?? StoreLocation.data(data)
        let configuration = ServerConfiguration(host: host, port: port, store: location, dataDirectory: data, genesis: genesisText,
                                                snapshotInterval: snapshotEvery == 0 ? nil : snapshotEvery, maxBodyBytes: maxBody,
                                                idleTimeout: idleTimeout == 0 ? nil : .seconds(idleTimeout))
        let service: RiskService
        do {
            // An existing store keeps its own genesis: the demo genesis only starts a new one.
            service = try await RiskService.open(configuration, genesisForNewStoreOnly: demo && genesis == nil)
        } catch {
            return try fail("\(location): \(error)", code: 1)
        }
        // Metadata formatted when a line is written, not at every request (see ServiceLogHandler).
        LoggingSystem.bootstrap { ServiceLogHandler(label: $0) }
        var logger = Logger(label: "ballast")
        logger.logLevel = .info
        var demoKey: String?
        if demo {
            do {
                demoKey = try service.keys.create(role: .admin, account: nil, label: "demo dashboard").key
            } catch {
                return try fail("\(error)", code: 1)
            }
        }
        let host = self.host
        let printedKey = demoKey
        try await RiskServer.run(service: service, demo: demo ? DemoDriver.Options(accounts: demoAccounts) : nil, logger: logger) { bound in
            var lines = ["ballast: serving on http://\(host):\(bound) (store: \(location))"]
            if let printedKey {
                lines.append("ballast: demo admin key \(printedKey)")
                lines.append("ballast: dashboard http://\(host):\(bound)/login?key=\(printedKey)")
            }
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }
}
