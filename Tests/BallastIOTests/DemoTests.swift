import BallastCore
import BallastEngine
import BallastIO
import Testing

/// The demo venue of `ballast serve --demo`: its genesis decodes, a 2,000-account book applies without a rejection and
/// with the books balanced, and a price path with a jump brings margin calls and liquidations, the same for the same
/// seed.
@Suite("Demo venue")
struct DemoTests {
    static let time = Timestamp(millisecondsSinceEpoch: 1_761_264_000_000)  // 2025-10-24T00:00:00Z, a Friday

    /// The genesis, the book of 2,000 accounts applied, and 300 one-minute price steps (a −8 % jump at step 150),
    /// computed once for the tests that read them.
    struct Run: Sendable {
        var genesis: EngineGenesis
        var book: DemoBook
        var afterBook: Engine
        var rejections: [(String, EventRejection)]
        var bookSignals: [Signal]
        var afterPath: Engine
        var pathSignals: [Signal]
        var pathRejections: [(String, EventRejection)]
        /// The sequence number of the jump's prices event.
        var jumpSequence: UInt64?

        init(accounts: Int, seed: UInt64, steps: Int, jumpAt: Int?) throws {
            genesis = try EngineDocuments().genesis(DemoMarket.genesis(time: DemoTests.time))
            book = try DemoBook(genesis: genesis, accounts: accounts, seed: seed, firstSequence: 1)
            var engine = Engine(genesis: genesis)
            (bookSignals, rejections) = Self.apply(book.events, to: &engine)
            afterBook = engine
            var path = DemoPricePath(catalog: genesis.catalog, market: engine.market, seed: seed ^ 0x5EED)
            var sequence = book.nextSequence
            var time = DemoTests.time
            pathSignals = []
            pathRejections = []
            jumpSequence = nil
            for step in 1...max(1, steps) {
                time = Timestamp(millisecondsSinceEpoch: time.millisecondsSinceEpoch + 60_000)
                var events = [path.next(sequence: sequence, time: time, seconds: 60, jump: step == jumpAt ? -0.08 : nil)]
                if step == jumpAt { jumpSequence = sequence }
                sequence += 1
                if path.lastStepJumped || step % 30 == 0, let volatility = path.volatility(sequence: sequence, time: time) {
                    events.append(volatility)
                    sequence += 1
                }
                let (signals, refused) = Self.apply(events, to: &engine)
                pathSignals += signals
                pathRejections += refused
            }
            afterPath = engine
        }

        /// Applies events in order: the signals of those applied, and the id and reason of those not applied.
        static func apply(_ events: [EngineEvent], to engine: inout Engine) -> ([Signal], [(String, EventRejection)]) {
            var signals: [Signal] = []
            var refused: [(String, EventRejection)] = []
            for event in events {
                switch engine.apply(event) {
                case .applied(let caused): signals += caused
                case .duplicate: refused.append((event.id, EventRejection(.invalidID, field: "id", value: event.id, message: "duplicate id")))
                case .rejected(let rejection): refused.append((event.id, rejection))
                }
            }
            return (signals, refused)
        }
    }

    static let run: Result<Run, any Error> = Result { try Run(accounts: 2_000, seed: 42, steps: 300, jumpAt: 150) }

    @Test("the genesis decodes: 4 assets, 24 instruments, options marked by the model, portfolio parameters")
    func genesis() throws {
        let genesis = try EngineDocuments().genesis(DemoMarket.genesis(time: Self.time))
        #expect(genesis.catalog.assets.map(\.symbol) == ["USDC", "BTC", "ETH", "SOL"])
        #expect(genesis.catalog.instruments.count == 4 + 2 * 2 * DemoMarket.strikes.count)
        #expect(genesis.parameters.portfolio != nil)
        let context = RiskContext(catalog: genesis.catalog, snapshot: genesis.snapshot, parameters: genesis.parameters)
        for (i, instrument) in genesis.catalog.instruments.enumerated() {
            #expect(context.problem(of: InstrumentID(i)) == nil, "\(instrument.symbol)")
            #expect(context.instruments[i].mark > 0, "\(instrument.symbol)")
            if instrument.kind.expiry.map({ $0 <= Self.time }) ?? false { Issue.record("\(instrument.symbol) has expired at genesis") }
        }
        let expiries = DemoMarket.optionExpiries(time: Self.time)
        #expect(expiries.map(\.description) == ["2025-11-21T08:00:00Z", "2025-12-19T08:00:00Z"])
        #expect(genesis.catalog.instrument("BTC-21NOV25-100000-C") != nil)
        #expect(genesis.catalog.instrument("BTC-23JAN26") != nil)
    }

    @Test("a 2,000-account book applies without a rejection, the books balance, and accounts span models and states")
    func book() throws {
        let run = try Self.run.get()
        if let (id, rejection) = run.rejections.first { Issue.record("\(run.rejections.count) rejections, first \(id): \(rejection)") }
        #expect(run.rejections.isEmpty)
        #expect(LedgerAudit.imbalances(run.afterBook).isEmpty)
        let engine = run.afterBook
        #expect(engine.accounts.count == 2_000)
        #expect(run.book.accounts.map(\.id) == engine.accounts.map(\.id))

        let kinds = Dictionary(grouping: run.book.accounts, by: \.kind).mapValues(\.count)
        let bands = Dictionary(grouping: run.book.accounts, by: \.band).mapValues(\.count)
        var states: [HealthState: Int] = [:]
        for a in engine.accounts.indices { states[engine.status(of: engine.unit(ofAccount: Int32(a))).worstState, default: 0] += 1 }
        let portfolio = engine.accounts.filter { $0.model == .portfolio }.count
        let isolated = engine.accounts.filter { $0.positions.contains { $0.mode.isIsolated } }.count
        let options = engine.accounts.filter { $0.positions.contains { engine.catalog[instrument: $0.instrument].isOption } }.count
        print("demo book: \(run.book.events.count) events; kinds \(kinds.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }); "
              + "bands \(bands.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" })")
        print("demo book: states \(states.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }); portfolio \(portfolio), isolated \(isolated), "
              + "options \(options), groups \(engine.groups.count); signals \(run.bookSignals.count)")
        for kind in DemoAccount.Kind.allCases { #expect((kinds[kind] ?? 0) > 0, "no \(kind.rawValue) account") }
        #expect(portfolio >= 100 && options >= 100 && isolated >= 100 && engine.groups.count >= 10)
        #expect(states.count >= 3, "healthy, warning and reduce-only (or worse) at the start")
        #expect((states[.healthy] ?? 0) > 1_850)
        let nearWarning = run.book.accounts.filter { $0.band == .nearWarning }.count
        #expect(nearWarning >= 40 && nearWarning <= 140, "a few percent start near the warning band")
    }

    @Test("300 one-minute steps with a −8 % jump bring margin calls and liquidations; the books still balance")
    func pricePath() throws {
        let run = try Self.run.get()
        if let (id, rejection) = run.pathRejections.first { Issue.record("\(run.pathRejections.count) rejections, first \(id): \(rejection)") }
        let kinds = Dictionary(grouping: run.pathSignals, by: \.kind).mapValues(\.count)
        let jump = run.pathSignals.filter { $0.sequence == run.jumpSequence }
        let beforeJump = run.pathSignals.filter { $0.sequence < run.jumpSequence ?? 0 }
        let isolated = run.pathSignals.filter { $0.isolated != nil }.count
        let groups = run.pathSignals.filter { if case .group = $0.subject { true } else { false } }.count
        print("demo path: \(run.pathSignals.count) signals \(kinds.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }); "
              + "\(beforeJump.count) before the jump, \(jump.count) at it; \(isolated) of isolated positions, \(groups) of groups")
        #expect(beforeJump.contains { $0.kind == .marginCall }, "a modest move calls the accounts near the warning band")
        #expect((kinds[.marginCall] ?? 0) > 0)
        #expect((kinds[.liquidation] ?? 0) > 0)
        #expect(jump.filter { $0.kind == .liquidation || $0.kind == .bankrupt }.count >= 50, "the jump liquidates the highly levered")
        #expect(isolated > 0 && groups > 0)
        #expect(LedgerAudit.imbalances(run.afterPath).isEmpty)
    }

    @Test("the same seed gives the same events and state; another seed another state")
    func determinism() throws {
        let first = try Run(accounts: 300, seed: 7, steps: 20, jumpAt: 10)
        let second = try Run(accounts: 300, seed: 7, steps: 20, jumpAt: 10)
        let other = try Run(accounts: 300, seed: 8, steps: 20, jumpAt: 10)
        #expect(first.rejections.isEmpty && other.rejections.isEmpty && first.pathRejections.isEmpty && other.pathRejections.isEmpty)
        #expect(first.afterBook.stateHash == second.afterBook.stateHash)
        #expect(first.afterPath.stateHash == second.afterPath.stateHash)
        #expect(first.afterBook.stateHash != other.afterBook.stateHash)
        #expect(first.pathSignals == second.pathSignals)
    }
}

