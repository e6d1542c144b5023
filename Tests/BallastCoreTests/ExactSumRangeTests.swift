import BallastCore
import Testing

/// The exact part of an asset's equity is summed at 10^-18 in Int128, about ±1.7·10^38, that is ±1.7·10^20 of the
/// asset. Beyond it the sums wrapped silently (an equity of −2·10^20 USDT read as +1.4·10^20) and the report's sum of
/// unrealised PnL trapped; now the figure is out of range and says so.
@Suite("Exact equity sums at the edge of Int128")
struct ExactSumRangeTests {
    func market() throws -> TestMarket {
        var market = TestMarket()
        try market.asset("USDT", decimals: 6, price: 1)
        try market.asset("BTC", price: 100_000)
        try market.asset("ETH", price: 4_000)
        try market.asset("BIG", decimals: 0, price: 1e-20)
        let schedule = try flatSchedule(maintenance: 0.005, maxLeverage: 100)
        try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", mark: 100_000, schedule: schedule)
        try market.perpetual("ETHUSDT", underlying: "ETH", quote: "USDT", mark: 4_000, schedule: schedule)
        return market
    }

    func expectOutOfRange(_ figure: String, _ body: () throws(MarginError) -> Void) {
        do throws(MarginError) {
            try body()
            Issue.record("expected \(figure) out of range")
        } catch {
            guard case .outOfRange(let named) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(named.hasPrefix(figure))
        }
    }

    /// Each long of 1,000 contracts entered at 10^17 has a cost basis of 10^20 USDT (10^38 at 10^-18) and an equity
    /// part of about −10^38: one alone is margined (equity ≈ −10^20 USDT), the two together sum to −2·10^38.
    @Test("two positions whose equity parts sum beyond Int128 make the settlement asset's equity out of range")
    func positionsBeyond() throws {
        let market = try market()
        let context = market.context()
        let btc = try market.position("BTCUSDT", size: "1000", entry: "100000000000000000")
        let eth = try market.position("ETHUSDT", size: "1000", entry: "100000000000000000")
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        let alone = try AccountMargin.pool(try market.account(balances: [("USDT", "1000")], positions: [btc]), context: context, workspace: &workspace)
        // 1,000 + 1,000 × 100,000 − 10^20, to Double's precision.
        #expect(abs(alone.equity - (1_000 + 100_000_000 - 1e20)) < 1e5)
        let both = try market.account(balances: [("USDT", "1000")], positions: [btc, eth])
        expectOutOfRange("USDT equity") { () throws(MarginError) in _ = try AccountMargin.pool(both, context: context, workspace: &workspace) }
        expectOutOfRange("USDT equity") { () throws(MarginError) in _ = try MarginReport(account: both, context: context) }
        // The workspace is left clean: the next account is margined as on a fresh one.
        #expect(try AccountMargin.pool(try market.account(balances: [("USDT", "1000")], positions: [btc]), context: context,
                                       workspace: &workspace) == alone)
    }

    /// A balance of 2^100 units of a 0-decimal asset is 2^100·10^18 ≈ 1.3·10^48 at 10^-18; 2^66 units (7.4·10^37)
    /// still fits.
    @Test("a balance beyond Int128 at 10^-18 makes its asset's equity out of range; 2^66 units is margined")
    func balanceBeyond() throws {
        let market = try market()
        let context = market.context()
        let big = try require(context.catalog.asset("BIG"))
        var account = Account(id: "whale")
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        account.setBalance(big, units: 1 << 66)
        let fits = try AccountMargin.pool(account, context: context, workspace: &workspace)
        #expect(abs(fits.equity - 0x1p66 * 1e-20) < 1e-10)
        account.setBalance(big, units: 1 << 100)
        expectOutOfRange("BIG equity") { () throws(MarginError) in _ = try AccountMargin.pool(account, context: context, workspace: &workspace) }
        account.setBalance(big, units: -(1 << 100))
        expectOutOfRange("BIG equity") { () throws(MarginError) in _ = try AccountMargin.pool(account, context: context, workspace: &workspace) }
    }

    /// An isolated margin of 2^100 USDT units is 2^100·10^12 ≈ 1.3·10^42 at 10^-18.
    @Test("an isolated margin beyond Int128 at 10^-18 makes the isolated pool out of range")
    func isolatedBeyond() throws {
        let market = try market()
        let context = market.context()
        let position = try market.position("BTCUSDT", size: "1", entry: "100000", mode: .isolated(margin: 1 << 100))
        let account = try market.account(balances: [], positions: [position])
        expectOutOfRange("isolated equity of BTCUSDT") { () throws(MarginError) in _ = try AccountMargin.isolatedPool(account, slot: 0, context: context) }
    }
    /// A long of 10^14 BTC entered at the mark, 100,000: value 10^19 USDT, unrealised PnL 0, so the equity is the
    /// balance, 2,000 USDT, exactly. The exact product stopped below 10^19 of the settlement asset, and in Double (unit
    /// 2,048 at 10^19) the equity read 2,048; it now reaches 10^20 (10^38 at 10^-18, inside Int128).
    @Test("a position worth up to 10^20 of its settlement asset has an exact equity")
    func exactUpTo1e20() throws {
        let market = try market()
        let context = market.context()
        for size in ["100000000000000", "999999999999999"] {
            let account = try market.account(balances: [("USDT", "2000")], positions: [try market.position("BTCUSDT", size: size, entry: "100000")])
            var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
            let pool = try AccountMargin.pool(account, context: context, workspace: &workspace)
            #expect(try pool.money(decimals: 6).equity == 2_000_000_000, "\(size): \(pool.equity)")
        }
    }
}
