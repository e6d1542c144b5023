import BallastCore
import Testing

@Suite("Portfolio margin properties and risk arrays")
struct PortfolioPropertyTests {
    /// BTC and ETH markets with linear and inverse perpetuals, a dated future and coin-settled options.
    func cryptoMarket(aggregation: (Catalog) throws -> CrossUnderlyingAggregation = { _ in .sum }) throws -> (TestMarket, RiskContext) {
        var market = TestMarket()
        try market.asset("USDC", decimals: 6, price: 1)
        try market.asset("BTC", price: 50_000)
        try market.asset("ETH", price: 2_500)
        let perp = try flatSchedule(maintenance: 0.005, maxLeverage: 100)
        try market.perpetual("BTC-PERP", underlying: "BTC", quote: "USDC", mark: 50_000, schedule: perp)
        try market.perpetual("BTC-PERP-2", underlying: "BTC", quote: "USDC", mark: 50_000, schedule: perp)
        try market.perpetual("BTCUSD", underlying: "BTC", quote: "USD", settlement: .inverse, contractSize: "100", lot: "1", tick: "0.5",
                             mark: 50_000, schedule: perp)
        try market.perpetual("ETH-PERP", underlying: "ETH", quote: "USDC", mark: 2_500, schedule: perp)
        let expiry = try require(CivilTime.parse("2021-09-24T08:00:00Z"))
        try market.future("BTC-SEP", kind: .future(expiry: expiry), underlying: "BTC", quote: "USDC", mark: 51_000, schedule: perp)
        for (symbol, right, strike, vol) in [("BTC-C55", OptionRight.call, 55_000.0, 0.8), ("BTC-P45", .put, 45_000, 0.9), ("BTC-C60", .call, 60_000, 0.75)] {
            try market.future(symbol, kind: .option(right: right, strike: strike, expiry: expiry), underlying: "BTC", quote: "USD",
                              settlement: .inverse, lot: "0.1", tick: "0.0005", mark: .nan, schedule: nil)
            market.marks[symbol] = nil
            market.vols[symbol] = vol
        }
        market.options["BTC"] = try OptionMarginParameters(
            call: try ShortOptionRates(otmInitialRate: 0.15, minimumInitialRate: 0.1, maintenanceRate: 0.075),
            put: try ShortOptionRates(otmInitialRate: 0.15, minimumInitialRate: 0.1, maintenanceRate: 0.075, maintenanceMarkRate: 0.075))
        var context = market.context()
        var parameters = context.parameters
        var portfolio = try PortfolioParameters(scenarios: .span16(lookAheadYears: 1.0 / 365), assetCount: market.catalog.assets.count,
                                                defaultUnderlying: try UnderlyingRiskParameters(priceScanRange: 0.15, volatilityShock: .relative(up: 0.3, down: 0.2),
                                                    calendarSpread: CalendarSpreadCharge(floorRate: 0.002, annualRate: 0.01),
                                                    shortOptionMinimumRate: 0.01, deltaShockRate: 0.01, deltaShockThreshold: 1_000_000,
                                                    rollShockRate: 0.001),
                                                aggregation: try aggregation(market.catalog), initialFactor: 1.25, maintenanceFactor: 1)
        portfolio.underlyings[try require(market.catalog.asset("USDC")).index] = nil
        parameters.portfolio = portfolio
        context = RiskContext(catalog: market.catalog, snapshot: context.snapshot, parameters: parameters)
        return (market, context)
    }

    func portfolioAccount(_ market: TestMarket, _ positions: [(String, String)], balances: [(String, String)] = [("USDC", "1000000")]) throws -> Account {
        var account = try market.account(balances: balances, positions: try positions.map { symbol, size in
            let entry = market.marks[symbol].map { String(format: "%.4f", $0) } ?? "0.01"
            return try market.position(symbol, size: size, entry: entry)
        })
        account.model = .portfolio
        return account
    }

    @Test("linear, inverse and option arrays match their hand-derived scenario PnL")
    func arrays() throws {
        let (market, context) = try cryptoMarket()
        let arrays = try require(context.riskArrays)
        let scenarios = try require(context.parameters.portfolio).scenarios.scenarios
        // Scenario 11 (index 10): +1 PSR = +15 %, vol up.
        #expect(scenarios[10].relativeMove(scanRange: 0.15) == 0.15)
        let perp = try require(market.catalog.instrument("BTC-PERP"))
        #expect(abs(arrays.row(perp)[arrays.row(perp).startIndex + 10] - 7_500) < 1e-9, "m·P·μ = 50,000 × 0.15")
        // Inverse 100 USD at 50,000: coin PnL 100·(1/50,000 − 1/57,500) valued at 57,500 = 100 × 0.15 = 15 USD.
        let inverse = try require(market.catalog.instrument("BTCUSD"))
        let coin = 100 * (1.0 / 50_000 - 1.0 / 57_500)
        #expect(abs(arrays.row(inverse)[arrays.row(inverse).startIndex + 10] - coin * 57_500) < 1e-9)
        // Extreme +2 PSR (index 14) at 35 %: 0.35 × 50,000 × 0.30.
        #expect(abs(arrays.row(perp)[arrays.row(perp).startIndex + 14] - 0.35 * 15_000) < 1e-9)
        // A coin-settled option: (V′ − V)·S/F with V′ at F(1.15), σ·1.3, one day less.
        let call = try require(market.catalog.instrument("BTC-C55"))
        let risk = context.instruments[call.index]
        let before = Black76(right: .call, forward: 50_000, strike: 55_000, volatility: 0.8, time: context.details[call.index].pricing.timeToExpiry)
        var after = before
        after.forward = 57_500
        after.volatility = 0.8 * 1.3
        after.time -= 1.0 / 365
        #expect(abs(arrays.row(call)[arrays.row(call).startIndex + 10] - (after.price - before.price)) < 1e-7)
        #expect(risk.modelMark, "the option had no quote: its mark is Black-76 at its implied volatility")
    }

    /// SPAN-16's −2 scan ranges at a scan range of 0.6 is a move of −120 %: an option has no forward to price there.
    /// Inputs refuse such a grid; parameters built in code reach the arrays, whose option row read NaN, which the worst
    /// loss skips (the scenario's loss vanished from the requirement). Now the row is a problem and the pool says so.
    @Test("a grid built in code that moves a price by −100 % or more makes an option's row a problem, not NaN")
    func impossibleMoveInCode() throws {
        let (market, context) = try cryptoMarket()
        var parameters = context.parameters
        var portfolio = try require(parameters.portfolio)
        portfolio.defaultUnderlying = try UnderlyingRiskParameters(priceScanRange: 0.6)
        parameters.portfolio = portfolio
        let moved = RiskContext(catalog: market.catalog, snapshot: context.snapshot, parameters: parameters)
        let account = try portfolioAccount(market, [("BTC-C55", "-1"), ("BTC-PERP", "1")])
        var workspace = MarginWorkspace(assetCount: market.catalog.assets.count)
        #expect(throws: MarginError.outOfRange(figure: "scenario 16's price of BTC (a move of -120.0 %)")) {
            try AccountMargin.pool(account, context: moved, workspace: &workspace)
        }
    }

    @Test("a perfectly hedged book has zero scan risk")
    func hedgedBook() throws {
        let (market, context) = try cryptoMarket()
        let explanation = try PortfolioExplanation(account: try portfolioAccount(market, [("BTC-PERP", "3.5"), ("BTC-PERP-2", "-3.5")]),
                                                   context: context, arrays: try require(context.riskArrays), parameters: try require(context.parameters.portfolio))
        #expect(explanation.underlyings.first?.risk.scanRisk == 0)
        #expect(explanation.underlyings.first?.losses.allSatisfy { $0 == 0 } == true)
    }

    @Test("scan risk is sub-additive: a book never loses more than its parts taken alone (random books)")
    func subAdditive() throws {
        let (market, context) = try cryptoMarket()
        let arrays = try require(context.riskArrays)
        let portfolio = try require(context.parameters.portfolio)
        let symbols = ["BTC-PERP", "BTCUSD", "BTC-SEP", "BTC-C55", "BTC-P45", "BTC-C60"]
        var rng = SeededGenerator(seed: 17)
        for _ in 0..<100 {
            var positions: [(String, String)] = []
            for symbol in symbols where Bool.random(using: &rng) {
                let size = symbol == "BTCUSD" ? String(Int.random(in: -5_000...5_000, using: &rng) | 1)
                    : symbol.contains("-C") || symbol.contains("-P4") ? String(Double(Int.random(in: -50...50, using: &rng) | 1) / 10)
                    : format3(Double.random(in: -5...5, using: &rng))
                positions.append((symbol, size))
            }
            guard !positions.isEmpty else { continue }
            let whole = try PortfolioExplanation(account: try portfolioAccount(market, positions), context: context, arrays: arrays, parameters: portfolio)
            var parts = 0.0
            for position in positions {
                let alone = try PortfolioExplanation(account: try portfolioAccount(market, [position]), context: context, arrays: arrays, parameters: portfolio)
                parts += alone.underlyings.first?.risk.scanRisk ?? 0
            }
            #expect((whole.underlyings.first?.risk.scanRisk ?? 0) <= parts + 1e-9 * max(1, parts))
        }
    }

    @Test("contributions sum to the maintenance margin (two underlyings, add-ons, correlation offsets)")
    func contributionsSum() throws {
        let (market, context) = try cryptoMarket { catalog in
            .correlation(try CorrelationOffsets(underlyings: [try require(catalog.asset("BTC")), try require(catalog.asset("ETH"))],
                                                matrix: [[1, 0.7], [0.7, 1]], maximumCreditFraction: 0.5))
        }
        let account = try portfolioAccount(market, [("BTC-PERP", "-2"), ("BTC-SEP", "3"), ("BTC-C55", "-3"), ("BTC-P45", "1.2"),
                                                    ("BTCUSD", "-2000"), ("ETH-PERP", "-40")],
                                           balances: [("USDC", "500000"), ("BTC", "1.3")])
        let explanation = try PortfolioExplanation(account: account, context: context, arrays: try require(context.riskArrays),
                                                   parameters: try require(context.parameters.portfolio))
        let sum = explanation.contributions.reduce(0) { $0 + $1.maintenance }
        #expect(explanation.underlyings.count == 2)
        #expect(explanation.aggregation.credit > 0, "BTC and ETH at ρ = 0.7 offset")
        #expect(abs(sum - explanation.figures.pool.maintenance) <= 1e-9 * explanation.figures.pool.maintenance)
        let btc = try require(explanation.underlyings.first { $0.risk.underlying == market.catalog.asset("BTC") })
        #expect(btc.risk.calendarSpread > 0, "the dated future against the perpetual forms a calendar spread")
        #expect(btc.risk.rollShock > 0)
        // The same through the hot path.
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        let summary = try MarginSummary(account, context: context, workspace: &workspace)
        #expect(summary.cross.maintenance == (try require(FixedPoint(explanation.figures.pool.maintenance, scale: 6, rounding: .up)).units))
    }

    @Test("copies of one portfolio workspace evaluate at the same time on two threads, each like a fresh workspace")
    func workspaceCopies() async throws {
        let (market, context) = try cryptoMarket { catalog in
            .correlation(try CorrelationOffsets(underlyings: [try require(catalog.asset("BTC")), try require(catalog.asset("ETH"))],
                                                matrix: [[1, 0.7], [0.7, 1]], maximumCreditFraction: 0.5))
        }
        let arrays = try require(context.riskArrays)
        let portfolio = try require(context.parameters.portfolio)
        let assetCount = context.catalog.assets.count
        let first = try portfolioAccount(market, [("BTC-PERP", "-2"), ("BTC-SEP", "3"), ("BTC-C55", "-3"), ("ETH-PERP", "-40")])
        let second = try portfolioAccount(market, [("BTC-P45", "1.2"), ("BTCUSD", "-2000"), ("ETH-PERP", "25")], balances: [("BTC", "2")])
        @Sendable func evaluate(_ account: Account, _ workspace: inout PortfolioWorkspace) throws -> PortfolioFigures {
            var equity = MarginWorkspace(assetCount: assetCount)
            return try PortfolioMargin.evaluate(account, context: context, arrays: arrays, parameters: portfolio, workspace: &workspace,
                                                equityWorkspace: &equity)
        }
        func fresh(_ account: Account) throws -> PortfolioFigures {
            var workspace = PortfolioWorkspace(assetCount: assetCount, stride: arrays.stride)
            return try evaluate(account, &workspace)
        }
        let cases = [(first, try fresh(first)), (second, try fresh(second))]
        #expect(cases[0].1 != cases[1].1)
        // Used once, so its scratch exists before it is copied: copies that wrote into one scratch at the same time
        // would mix their accounts' sums.
        var original = PortfolioWorkspace(assetCount: assetCount, stride: arrays.stride)
        #expect(try evaluate(first, &original) == cases[0].1)
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for (account, expected) in cases {
                group.addTask { [original] in
                    var copy = original
                    var wrong = 0
                    for _ in 0..<5_000 where (try? evaluate(account, &copy)) != expected { wrong += 1 }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        #expect(try evaluate(second, &original) == cases[1].1)
    }

    @Test("with correlation 1 and no cap the cross-underlying result equals the sum; lower correlation only credits")
    func correlationOne() throws {
        func total(_ rho: Double, cap: Double) throws -> (Double, Double) {
            let (market, context) = try cryptoMarket { catalog in
                .correlation(try CorrelationOffsets(underlyings: [try require(catalog.asset("BTC")), try require(catalog.asset("ETH"))],
                                                    matrix: [[1, rho], [rho, 1]], maximumCreditFraction: cap))
            }
            let account = try portfolioAccount(market, [("BTC-PERP", "2"), ("ETH-PERP", "30")])
            let explanation = try PortfolioExplanation(account: account, context: context, arrays: try require(context.riskArrays),
                                                       parameters: try require(context.parameters.portfolio))
            return (explanation.aggregation.total, explanation.aggregation.sum)
        }
        let (one, sum) = try total(1, cap: 1)
        #expect(abs(one - sum) <= 1e-9 * sum)
        let (half, _) = try total(0.5, cap: 1)
        #expect(half < sum)
        // √(a² + b² + 2·0.5·a·b) with a = 2·50,000·0.15 = 15,000 and b = 30·2,500·0.15 = 11,250.
        #expect(abs(half - (15_000.0 * 15_000 + 11_250 * 11_250 + 15_000 * 11_250).squareRoot()) < 1e-6)
        let (capped, _) = try total(-1, cap: 0.2)
        #expect(abs(capped - 0.8 * sum) < 1e-6, "the credit is capped at 20 % of the sum")
    }

    @Test("collateral: offset-only lowers a hedged risk but never charges bare collateral; included charges it; excluded ignores it")
    func collateralModes() throws {
        func risk(_ mode: CollateralScenarios, _ positions: [(String, String)]) throws -> Double {
            var (market, context) = try cryptoMarket()
            var parameters = context.parameters
            parameters.portfolio?.collateral = mode
            context = RiskContext(catalog: market.catalog, snapshot: context.snapshot, parameters: parameters)
            market.schedules = [:]
            let account = try portfolioAccount(market, positions, balances: [("USDC", "10000"), ("BTC", "2")])
            return try PortfolioExplanation(account: account, context: context, arrays: try require(context.riskArrays),
                                            parameters: try require(context.parameters.portfolio)).figures.risk
        }
        #expect(try risk(.offsetOnly, []) == 0, "bare collateral carries no requirement")
        #expect(try risk(.excluded, []) == 0)
        // 2 BTC at 50,000 moving ±15 % (±2 PSR extremes at 35 %): the worst is 15,000.
        #expect(abs(try risk(.included, []) - 15_000) < 1e-6)
        // A short of 2 BTC in linear perps is fully hedged by 2 BTC of collateral when the collateral may offset it.
        #expect(try risk(.offsetOnly, [("BTC-PERP", "-2")]) < 1e-6)
        #expect(abs(try risk(.excluded, [("BTC-PERP", "-2")]) - 15_000) < 1e-6)
        // A long perp: collateral would add to the risk, so offset-only leaves it out.
        #expect(abs(try risk(.offsetOnly, [("BTC-PERP", "1")]) - 7_500) < 1e-6)
        #expect(abs(try risk(.included, [("BTC-PERP", "1")]) - 22_500) < 1e-6)
    }

    @Test("portfolio margin of a hedged options book is far below standard margin")
    func hedgedOptionsBook() throws {
        let (market, context) = try cryptoMarket()
        var account = try portfolioAccount(market, [("BTC-C55", "-10"), ("BTC-C60", "10"), ("BTC-P45", "5"), ("BTC-PERP", "-1")],
                                           balances: [("USDC", "200000")])
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        let portfolio = try MarginSummary(account, context: context, workspace: &workspace)
        account.model = .standard
        let standard = try MarginSummary(account, context: context, workspace: &workspace)
        #expect(portfolio.cross.initial * 3 < standard.cross.initial, "PM \(portfolio.cross.initial) vs standard \(standard.cross.initial)")
    }
}

@Suite("Volatility surface")
struct VolatilitySurfaceTests {
    let surface = VolatilitySurface(nodes: [
        .init(strike: 90, years: 0.25, forward: 100, volatility: 0.6), .init(strike: 110, years: 0.25, forward: 100, volatility: 0.5),
        .init(strike: 90, years: 1, forward: 100, volatility: 0.5), .init(strike: 110, years: 1, forward: 100, volatility: 0.45),
    ])

    @Test("reproduces its nodes and holds volatility flat outside them")
    func nodesAndExtrapolation() throws {
        let s = try require(surface)
        #expect(abs(s.volatility(strike: 90, years: 0.25, forward: 100) - 0.6) < 1e-12)
        #expect(abs(s.volatility(strike: 110, years: 1, forward: 100) - 0.45) < 1e-12)
        #expect(abs(s.volatility(strike: 50, years: 0.25, forward: 100) - 0.6) < 1e-12, "flat beyond the lowest strike")
        #expect(abs(s.volatility(strike: 90, years: 0.1, forward: 100) - 0.6) < 1e-12, "flat before the first expiry")
        #expect(abs(s.volatility(strike: 110, years: 3, forward: 100) - 0.45) < 1e-12, "flat after the last expiry")
    }

    /// Between expiries at K = 90: w = 0.6²·0.25 = 0.09 and 0.5²·1 = 0.25; at T = 0.5, w = 0.09 + (0.25 − 0.09)·(0.25/0.75)
    /// = 0.143333…; σ = √(w/0.5).
    @Test("interpolates total variance linearly in time and log-moneyness")
    func interpolation() throws {
        let s = try require(surface)
        let w = 0.09 + (0.25 - 0.09) * (0.25 / 0.75)
        #expect(abs(s.volatility(strike: 90, years: 0.5, forward: 100) - (w / 0.5).squareRoot()) < 1e-12)
        // Within an expiry at k = 0 (between ln 0.9 and ln 1.1): w linear in k.
        let (k0, k1) = (log(0.9), log(1.1))
        let weight = (0 - k0) / (k1 - k0)
        let w0 = 0.36 * 0.25 + weight * (0.25 * 0.25 - 0.36 * 0.25)
        #expect(abs(s.volatility(strike: 100, years: 0.25, forward: 100) - (w0 / 0.25).squareRoot()) < 1e-12)
    }
}

import Foundation
