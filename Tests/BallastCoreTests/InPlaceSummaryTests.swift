import BallastCore
import Testing

/// `MarginSummary(accounts, at:)` reads an account where it lies in a book instead of copying it out; it must give
/// exactly what the value initialiser gives on every path: a standard cross pool, isolated positions beside it, a
/// portfolio-margined pool, and a position that cannot take standard margin.
@Suite("Margin summary read in place")
struct InPlaceSummaryTests {
    @Test("every account of a mixed book reads the same in place as by value, with the cross pool's figures by hand")
    func sameAsByValue() throws {
        let suite = PortfolioPropertyTests()
        let (market, context) = try suite.cryptoMarket()
        let portfolio = try suite.portfolioAccount(market, [("BTC-C55", "-10"), ("BTC-C60", "10"), ("BTC-P45", "5"), ("BTC-PERP", "-1")],
                                                   balances: [("USDC", "200000")])
        var standardOptions = portfolio
        standardOptions.model = .standard
        // 1 BTC-PERP long at its mark 50,000 on a flat schedule (maintenance 0.5 %, at most 100×), beside 10 ETH-PERP
        // isolated with 100 USDC of margin (maintenance 0.5 % of 25,000 = 125: below it, so not healthy).
        let cross = try market.account("mixed", balances: [("USDC", "10000")], positions: [
            try market.position("BTC-PERP", size: "1", entry: "50000"),
            try market.position("ETH-PERP", size: "10", entry: "2500", mode: .isolated(margin: 100_000_000)),
        ])
        let accounts = [portfolio, standardOptions, cross]

        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        for index in accounts.indices {
            let inPlace = try MarginSummary(accounts, at: index, context: context, workspace: &workspace)
            let byValue = try MarginSummary(accounts[index], context: context, workspace: &workspace)
            #expect(inPlace == byValue, "account \(index)")
        }
        // The cross pool the engine reads in place, with what the tolerances observe: the same figures, and each cross
        // position's instrument (the isolated ETH-PERP is not in the cross pool).
        for index in accounts.indices where accounts[index].model == .standard {
            var inPlaceSensitivity = PoolSensitivity()
            var byValueSensitivity = PoolSensitivity()
            let inPlace = try AccountMargin.crossPool(accounts, at: index, context: context, workspace: &workspace, observer: &inPlaceSensitivity)
            let byValue = try AccountMargin.crossPool(accounts[index], context: context, workspace: &workspace, observer: &byValueSensitivity)
            #expect(inPlace == byValue, "account \(index)")
            #expect(inPlaceSensitivity.positions.map(\.instrument) == byValueSensitivity.positions.map(\.instrument))
            #expect(inPlaceSensitivity.positions.map(\.instrument)
                    == accounts[index].positions.filter { !$0.mode.isIsolated }.map(\.instrument))
        }
        let mixed = try MarginSummary(accounts, at: 2, context: context, workspace: &workspace)
        // In the valuation currency (USD, 6 decimals; USDC at 1): equity 10,000 (the perp entered at its mark), IM 50,000 / 100 = 500, MM 50,000 × 0.5 % = 250.
        #expect(mixed.cross.equity == 10_000_000_000)
        #expect(mixed.cross.initial == 500_000_000)
        #expect(mixed.cross.maintenance == 250_000_000)
        #expect(mixed.state == .healthy)
        #expect(mixed.worstIsolatedState > .healthy)
    }

    @Test("a position that cannot take standard margin throws the same error in place as by value")
    func sameFailure() throws {
        let (market, context) = try PortfolioPropertyTests().cryptoMarket()
        // A leverage below 1 is not a leverage.
        let account = try market.account("bad", balances: [("USDC", "10000")], positions: [
            try market.position("BTC-PERP", size: "1", entry: "50000", leverage: 0.5),
        ])
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        var inPlace: MarginError?
        var byValue: MarginError?
        do { _ = try MarginSummary([account], at: 0, context: context, workspace: &workspace) } catch { inPlace = error }
        do { _ = try MarginSummary(account, context: context, workspace: &workspace) } catch { byValue = error }
        #expect(inPlace != nil)
        #expect(inPlace == byValue)
        // The workspace was left cleared: the next account evaluates as with a fresh one.
        let healthy = try market.account("next", balances: [("USDC", "10000")], positions: [try market.position("BTC-PERP", size: "1", entry: "50000")])
        var fresh = MarginWorkspace(assetCount: context.catalog.assets.count)
        #expect(try MarginSummary([healthy], at: 0, context: context, workspace: &workspace)
                == MarginSummary(healthy, context: context, workspace: &fresh))
    }
}
