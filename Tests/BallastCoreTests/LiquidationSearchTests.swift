import BallastCore
import Testing

/// The shared liquidation-price search: the report's one search per pool function gives the answers of a search per
/// position, a moved context reprices scenario rows where the underlying now is, and a portfolio account's
/// liquidation price is where its pool crosses maintenance in a fully moved context.
@Suite("Liquidation search")
struct LiquidationSearchTests {
    /// The crypto market of the portfolio property tests with the liquidation-price scope set.
    func market(scope: LiquidationPriceScope) throws -> (TestMarket, RiskContext) {
        let (market, base) = try PortfolioPropertyTests().cryptoMarket()
        var parameters = base.parameters
        parameters.conventions.liquidationPriceScope = scope
        return (market, RiskContext(catalog: market.catalog, snapshot: base.snapshot, parameters: parameters))
    }

    /// A random book over BTC and ETH perpetuals, the dated future, the inverse perpetual and the options.
    func randomBook(_ market: TestMarket, _ rng: inout SeededGenerator) -> [(String, String)] {
        var positions: [(String, String)] = []
        for symbol in ["BTC-PERP", "BTCUSD", "BTC-SEP", "BTC-C55", "BTC-P45", "BTC-C60", "ETH-PERP"] where Int.random(in: 0..<3, using: &rng) > 0 {
            let size = symbol == "BTCUSD" ? String(Int.random(in: -20_000...20_000, using: &rng) | 1)
                : symbol.contains("-C") || symbol.contains("-P4") ? String(Double(Int.random(in: -80...80, using: &rng) | 1) / 10)
                : symbol == "ETH-PERP" ? format3(Double.random(in: -60...60, using: &rng)) : format3(Double.random(in: -8...8, using: &rng))
            positions.append((symbol, size))
        }
        return positions
    }

    @Test("one search per pool function gives every position the price of its own search (both scopes, both models)",
          arguments: [LiquidationPriceScope.instrument, .underlying])
    func sharedEqualsAlone(scope: LiquidationPriceScope) throws {
        let (market, context) = try market(scope: scope)
        var rng = SeededGenerator(seed: 23)
        var priced = 0
        for trial in 0..<30 {
            let positions = randomBook(market, &rng)
            guard !positions.isEmpty else { continue }
            var account = try PortfolioPropertyTests().portfolioAccount(market, positions, balances: [("USDC", String(Int.random(in: 5_000...300_000, using: &rng)))])
            if trial.isMultiple(of: 2) { account.model = .standard }
            let shared = try LiquidationPriceSolver.prices(account: account, context: context)
            #expect(shared.count == account.positions.count)
            for slot in account.positions.indices {
                let alone = try LiquidationPriceSolver.prices(account: account, slot: slot, context: context)
                #expect(shared[slot].liquidation == alone.liquidation, "trial \(trial) slot \(slot)")
                #expect(shared[slot].bankruptcy == alone.bankruptcy, "trial \(trial) slot \(slot)")
                if alone.liquidation.price != nil { priced += 1 }
            }
        }
        #expect(priced >= 20, "most random books have liquidation prices")
    }

    /// A standard pool's search keeps the sums of what a move leaves alone and adds the moved positions at each step
    /// (``SplitCrossPool``); its roots must be where the whole pool, evaluated afresh in a fully moved context, changes
    /// sign: options priced off a moved future, BTC collateral and the inverse perpetual under the underlying scope.
    @Test("a standard book's prices are where the whole pool, evaluated afresh at the moved prices, changes sign",
          arguments: [LiquidationPriceScope.instrument, .underlying], [false, true])
    func splitPoolRoots(scope: LiquidationPriceScope, sizeTiers: Bool) throws {
        var (market, context) = try market(scope: scope)
        if sizeTiers {
            // OKX-like margin factor tiers on BTC options: a short option's factor is set by every short BTC option of
            // the account, moved by the search or not (bounds in BTC sold, so the random books cross them).
            let btc = try require(market.catalog.asset("BTC")).index
            var parameters = context.parameters
            var options = try require(parameters.optionMargin[btc])
            options.marginFactorTiers = [.init(floor: 0, factor: 1), .init(floor: 1, factor: 1.5), .init(floor: 4, factor: 2.5)]
            parameters.optionMargin[btc] = options
            context = RiskContext(catalog: market.catalog, snapshot: context.snapshot, parameters: parameters)
        }
        var rng = SeededGenerator(seed: 41)
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        var checked = 0
        for trial in 0..<30 {
            let positions = randomBook(market, &rng)
            guard !positions.isEmpty else { continue }
            var account = try PortfolioPropertyTests().portfolioAccount(market, positions, balances: [
                ("USDC", String(Int.random(in: 5_000...300_000, using: &rng))), ("BTC", String(Int.random(in: 0...3, using: &rng))),
            ])
            account.model = .standard
            checked += try expectRootsChangeSign(account, context: context, scope: scope, workspace: &workspace, trial: trial).liquidations
        }
        #expect(checked >= 20, "most random books have liquidation prices")
    }

    /// Checks every position's liquidation and bankruptcy prices against the whole pool of `account`, evaluated afresh in
    /// a context moved 10^-7 either side of each price (``RiskContext/moved(_:by:scope:)``): margin balance − MM, and
    /// equity, must change sign there.
    /// - Returns: how many liquidation and bankruptcy prices were checked.
    func expectRootsChangeSign(_ account: Account, context: RiskContext, scope: LiquidationPriceScope, workspace: inout MarginWorkspace,
                               trial: Int) throws -> (liquidations: Int, bankruptcies: Int) {
        var checked = (liquidations: 0, bankruptcies: 0)
        let prices = try LiquidationPriceSolver.prices(account: account, context: context)
        for (slot, position) in account.positions.enumerated() {
            let reference = LiquidationPriceSolver.referencePrice(context.instruments[position.instrument.index])
            func pool(_ factor: Double) throws -> PoolFigures {
                try AccountMargin.pool(account, context: context.moved(position.instrument, by: factor, scope: scope), workspace: &workspace)
            }
            if let price = prices[slot].liquidation.price {
                let factor = price / reference
                let below = try pool(factor * (1 - 1e-7)), above = try pool(factor * (1 + 1e-7))
                #expect((below.marginBalance - below.maintenance <= 0) != (above.marginBalance - above.maintenance <= 0),
                        "trial \(trial) slot \(slot): margin balance − MM changes sign at \(price)")
                checked.liquidations += 1
            }
            if let price = prices[slot].bankruptcy.price {
                let factor = price / reference
                #expect((try pool(factor * (1 - 1e-7)).equity <= 0) != (try pool(factor * (1 + 1e-7)).equity <= 0),
                        "trial \(trial) slot \(slot): equity changes sign at \(price)")
                checked.bankruptcies += 1
            }
        }
        return checked
    }

    /// A portfolio pool's search of one instrument's mark keeps what the other positions and the balances put into the
    /// scratches and adds the moved positions at each step (`SplitPortfolioPool`); its roots must be where the whole
    /// portfolio pool, evaluated afresh in a fully moved context (scenario rows repriced), changes sign: options priced
    /// off a moved future move with it, BTC collateral counts in the scenarios.
    @Test("a portfolio book's prices of one instrument's mark are where the whole pool, evaluated afresh, changes sign")
    func splitPortfolioPoolRoots() throws {
        let (market, context) = try market(scope: .instrument)
        var rng = SeededGenerator(seed: 59)
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        var (liquidations, bankruptcies) = (0, 0)
        for trial in 0..<30 {
            let positions = randomBook(market, &rng)
            guard !positions.isEmpty else { continue }
            let account = try PortfolioPropertyTests().portfolioAccount(market, positions, balances: [
                ("USDC", String(Int.random(in: 2_000...100_000, using: &rng))), ("BTC", String(Int.random(in: 0...2, using: &rng))),
            ])
            #expect(account.model == .portfolio)
            let checked = try expectRootsChangeSign(account, context: context, scope: .instrument, workspace: &workspace, trial: trial)
            liquidations += checked.liquidations
            bankruptcies += checked.bankruptcies
        }
        #expect(liquidations >= 20 && bankruptcies >= 20, "most random books have prices: \(liquidations) liquidation, \(bankruptcies) bankruptcy")
    }

    /// Moving BTC by 10 % must give the scenario rows a context built at the moved prices gives: options are valued
    /// around the moved forward (their model marks follow), futures around their moved marks, BTC collateral around
    /// the moved index.
    @Test("a moved context's scenario rows equal those of a context built at the moved prices")
    func movedArrays() throws {
        let (market, context) = try market(scope: .underlying)
        let factor = 1.1
        var movedMarket = market
        movedMarket.indexPrices["BTC"] = 50_000 * factor
        for symbol in ["BTC-PERP", "BTC-PERP-2", "BTCUSD", "BTC-SEP"] { movedMarket.marks[symbol] = (market.marks[symbol] ?? .nan) * factor }
        let rebuilt = RiskContext(catalog: market.catalog, snapshot: movedMarket.context().snapshot, parameters: context.parameters)
        let perp = try require(market.catalog.instrument("BTC-PERP"))
        let moved = context.moved(perp, by: factor, scope: .underlying)
        let movedArrays = try require(moved.riskArrays)
        let rebuiltArrays = try require(rebuilt.riskArrays)
        for symbol in ["BTC-PERP", "BTCUSD", "BTC-SEP", "BTC-C55", "BTC-P45", "BTC-C60"] {
            let id = try require(market.catalog.instrument(symbol))
            #expect(abs(moved.instruments[id.index].mark - rebuilt.instruments[id.index].mark) <= 1e-9 * rebuilt.instruments[id.index].mark, "\(symbol) mark")
            for (a, b) in zip(movedArrays.row(id), rebuiltArrays.row(id)) {
                #expect(abs(a - b) <= 1e-9 * max(1, abs(b)), "\(symbol) scenario PnL")
            }
        }
        let eth = try require(market.catalog.instrument("ETH-PERP"))
        #expect(movedArrays.row(eth) == context.riskArrays?.row(eth), "another underlying does not move")
    }

    @Test("a portfolio book's liquidation price is where its pool crosses maintenance with every scenario row repriced")
    func portfolioLiquidation() throws {
        let (market, context) = try market(scope: .underlying)
        let account = try PortfolioPropertyTests().portfolioAccount(market, [("BTC-PERP", "2"), ("BTC-C55", "-6"), ("BTC-P45", "-4")],
                                                                      balances: [("USDC", "200000")])
        let prices = try LiquidationPriceSolver.prices(account: account, context: context)
        let perp = try require(market.catalog.instrument("BTC-PERP"))
        let price = try require(prices[0].liquidation.price)
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        func gap(_ factor: Double) throws -> Double {
            let pool = try AccountMargin.pool(account, context: context.moved(perp, by: factor, scope: .underlying), workspace: &workspace)
            return pool.marginBalance - pool.maintenance
        }
        let factor = price / 50_000
        #expect((try gap(factor * (1 - 1e-9)) <= 0) != (try gap(factor * (1 + 1e-9)) <= 0), "the sign changes at \(price)")
        #expect(prices[2].liquidation.price == price, "the short put loses the same way on the same underlying: the same search")

        // The bankruptcy search reprices no scenario row (equity never reads them): its price is still where the
        // equity of a fully moved context, rows and all, changes sign.
        let bankruptcy = try require(prices[0].bankruptcy.price)
        func equity(_ factor: Double) throws -> Double {
            try AccountMargin.pool(account, context: context.moved(perp, by: factor, scope: .underlying), workspace: &workspace).equity
        }
        let bankruptcyFactor = bankruptcy / 50_000
        #expect((try equity(bankruptcyFactor * (1 - 1e-9)) <= 0) != (try equity(bankruptcyFactor * (1 + 1e-9)) <= 0),
                "the equity changes sign at \(bankruptcy)")
        #expect(abs(bankruptcy - price) > 1, "bankruptcy \(bankruptcy) lies beyond liquidation \(price)")
    }
}
