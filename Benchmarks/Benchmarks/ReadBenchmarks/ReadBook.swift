import BallastCore
import BallastEngine
import BallastIO

/// The demo venue of `ballast serve --demo` with its 3,000-account book applied (seed 42), and the pool snapshot of
/// every account: what an account read of the service computes from.
struct ReadBook: Sendable {
    /// One snapshot per account, in account order.
    var snapshots: [PoolSnapshot]
    /// How many of them are portfolio-margined.
    var portfolioCount: Int

    init(accounts: Int = 3_000, seed: UInt64 = 42) throws {
        let time = Timestamp(millisecondsSinceEpoch: 1_761_264_000_000)  // 2025-10-24T00:00:00Z, as the demo tests
        let genesis = try EngineDocuments().genesis(DemoMarket.genesis(time: time))
        let book = try DemoBook(genesis: genesis, accounts: accounts, seed: seed, firstSequence: 1)
        var engine = Engine(genesis: genesis)
        for event in book.events { _ = engine.apply(event) }
        snapshots = try engine.accounts.map { account throws(QueryError) in try PoolSnapshot(engine, account: account.id) }
        portfolioCount = snapshots.count { $0.pool.model == .portfolio }
    }
}

/// Built once per process, on first use.
let sharedReadBook: ReadBook = {
    do {
        return try ReadBook()
    } catch {
        fatalError("the demo book could not be built: \(error)")
    }
}()
