import BallastCore
import BallastEngine
import BallastIO
import BallastStore
import Foundation
import Logging
import ServiceLifecycle

/// `ballast serve --demo`: opens a population of demo accounts (``DemoBook``) if the engine has none, then moves the
/// market along a seeded path with jumps (``DemoPricePath``) until the service stops, so that margin calls and
/// liquidations appear within a minute. Its events go through the same path as the API's (``RiskService/apply(_:since:)``).
public struct DemoDriver: Service {
    /// How the demo runs.
    public struct Options: Sendable {
        /// Accounts to open.
        public var accounts: Int
        /// The seed of the book and the path.
        public var seed: UInt64
        /// Wall-clock time between price updates.
        public var interval: Duration
        /// Market time per update (the path runs faster than the clock, so the demo moves).
        public var marketSecondsPerStep: Double
        /// Force a jump (the configured jump size) at this step, so liquidations show early; later jumps are random.
        public var firstJumpStep: Int

        /// The defaults of `--demo`: 3,000 accounts, an update every 500 ms, 2 market minutes per update, a jump after
        /// 30 s.
        public init(accounts: Int = 3_000, seed: UInt64 = 2_026, interval: Duration = .milliseconds(500), marketSecondsPerStep: Double = 120,
                    firstJumpStep: Int = 60) {
            self.accounts = accounts
            self.seed = seed
            self.interval = interval
            self.marketSecondsPerStep = marketSecondsPerStep
            self.firstJumpStep = firstJumpStep
        }
    }

    let service: RiskService
    let options: Options
    let logger: Logger

    /// A driver of `service`.
    public init(service: RiskService, options: Options, logger: Logger) {
        self.service = service
        self.options = options
        self.logger = logger
    }

    /// Opens the book (unless accounts exist), then updates prices until graceful shutdown.
    public func run() async throws {
        // A graceful shutdown cancels the loop's sleep: that is this service's normal end, not a failure (which would
        // make `ballast serve --demo` exit 1 on SIGTERM).
        do {
            try await drive()
        } catch is CancellationError {
            return
        }
    }

    /// Opens the demo book, then moves the market until cancelled.
    private func drive() async throws {
        try await cancelWhenGracefulShutdown {
            try await openBook()
            var path = await service.engine.read { DemoPricePath(catalog: $0.catalog, market: $0.market, seed: options.seed) }
            var step = 0
            while !Task.isCancelled {
                try await Task.sleep(for: options.interval)
                step += 1
                let now = Timestamp(Date())
                var events = [path.next(sequence: 0, time: now, seconds: options.marketSecondsPerStep,
                                        jump: step == options.firstJumpStep ? path.configuration.jumpSize : nil)]
                if step % 10 == 0, let volatility = path.volatility(sequence: 0, time: now) { events.append(volatility) }
                do throws(APIError) {
                    _ = try await service.apply(events)
                } catch {
                    logger.error("demo: \(error.message)")
                    return
                }
            }
        }
    }

    /// Submits the demo book in batches if the engine has no accounts yet.
    private func openBook() async throws {
        let (empty, genesisText, next) = await service.engine.read { ($0.accounts.isEmpty, $0.genesisDocument, $0.lastSequence + 1) }
        guard empty else { return }
        let genesis = try service.documents.genesis(genesisText)
        let book = try DemoBook(genesis: genesis, accounts: options.accounts, seed: options.seed, firstSequence: next, time: Timestamp(Date()))
        var start = 0
        while start < book.events.count {
            let end = min(start + 4_096, book.events.count)
            let results = try await service.apply(Array(book.events[start..<end]))
            if let rejected = results.first(where: { if case .rejected = $0.outcome { return true } else { return false } }) {
                logger.warning("demo: event #\(rejected.sequence) was rejected: \(rejected.outcome)")
            }
            start = end
        }
        logger.info("demo: opened \(options.accounts) accounts (\(book.events.count) events)")
    }
}
