import BallastCore

/// The portfolio-margin benchmark's market and accounts, built in code from a seed:
///
/// - assets: USDC (6 decimals), BTC, ETH, SOL (8 decimals);
/// - per underlying one linear perpetual, then coin-settled European options (2,000 in all: BTC 800, ETH 700,
///   SOL 500) over 5 expiries from 1 week to 6 months and strikes from 60 % to 160 % of spot, calls and puts, with
///   implied volatilities on a smile (no marks: priced from their volatility, as the engine prices unquoted options);
/// - a 33-scenario grid (9 price points × volatility up/unchanged/down, then ±2 and ±3 scan ranges with volatility
///   up and ±1.5 with volatility down), scan ranges 18 % / 25 % / 30 %, correlation offsets BTC–ETH 0.84,
///   BTC–SOL 0.74, ETH–SOL 0.74 capped at 50 %;
/// - `accountCount` accounts, 8 cross positions each over the 3 underlyings (a perpetual and options), a USDC balance.
struct PortfolioBook: Sendable {
    let context: RiskContext
    let arrays: RiskArrays
    let parameters: PortfolioParameters
    let accounts: [Account]

    static func make(accountCount: Int = 100_000, seed: UInt64 = 0x5CE_A410) throws -> PortfolioBook {
        var rng = SeededGenerator(seed: seed)
        var catalog = Catalog(valuation: .usd)
        let usdc = try catalog.add(Asset(symbol: "USDC", decimals: 6))
        let spots = [("BTC", 60_000.0, 800), ("ETH", 3_000.0, 700), ("SOL", 150.0, 500)]
        var underlyings: [AssetID] = []
        for (symbol, _, _) in spots { underlyings.append(try catalog.add(Asset(symbol: symbol, decimals: 8))) }
        let start = Timestamp(millisecondsSinceEpoch: 1_761_224_400_000)  // 2025-10-23T13:00:00Z
        let day: Int64 = 86_400_000
        var volatilities: [InstrumentID: Double] = [:]
        var perUnderlying: [[InstrumentID]] = [[], [], []]
        for (u, (symbol, spot, optionCount)) in spots.enumerated() {
            let perp = try catalog.add(Instrument(symbol: "\(symbol)-PERP", kind: .perpetual, settlement: .linear, underlying: underlyings[u], settle: usdc,
                                                  quote: "USDC", contractSize: FixedPoint(units: 1, scale: 0), tickSize: FixedPoint(units: 1, scale: 2),
                                                  lotSize: FixedPoint(units: 1, scale: 3)))
            perUnderlying[u].append(perp)
            for k in 0..<optionCount {
                let expiry = Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch + [7, 30, 60, 90, 180][k % 5] * day)
                let moneyness = 0.6 + Double(k / 10) / Double(optionCount / 10) * 1.0
                let strike = (spot * moneyness).rounded()
                let right: OptionRight = k % 2 == 0 ? .call : .put
                let id = try catalog.add(Instrument(symbol: "\(symbol)-\(k)-\(right == .call ? "C" : "P")", kind: .option(right: right, strike: strike, expiry: expiry),
                                                    settlement: .inverse, underlying: underlyings[u], settle: underlyings[u], quote: "USD",
                                                    contractSize: FixedPoint(units: 1, scale: 0), tickSize: FixedPoint(units: 5, scale: 4),
                                                    lotSize: FixedPoint(units: 1, scale: 1)))
                volatilities[id] = 0.45 + 0.6 * (moneyness - 1.05) * (moneyness - 1.05) + [0.1, 0.05, 0.03, 0.02, 0][k % 5]
                perUnderlying[u].append(id)
            }
        }
        var snapshot = MarketSnapshot(catalog: catalog, time: start)
        snapshot.indexPrices[usdc.index] = 1
        for (u, (_, spot, _)) in spots.enumerated() {
            snapshot.indexPrices[underlyings[u].index] = spot
            snapshot.markPrices[perUnderlying[u][0].index] = spot
        }
        for (id, vol) in volatilities { snapshot.impliedVolatilities[id.index] = vol }

        var scenarios: [Scenario] = []
        for k in -4...4 {
            for volatility in [Scenario.VolatilityMove.up, .none, .down] {
                scenarios.append(Scenario(label: "\(k)/4", price: .scanRange(Double(k) / 4), volatility: volatility))
            }
        }
        for (multiple, volatility) in [(2.0, Scenario.VolatilityMove.up), (-2, .up), (3, .up), (-3, .up), (1.5, .down), (-1.5, .down)] {
            scenarios.append(Scenario(label: "tail \(multiple)", price: .scanRange(multiple), volatility: volatility, weight: 1.25 / abs(multiple)))
        }
        var portfolio = try PortfolioParameters(
            scenarios: try ScenarioSet(scenarios: scenarios, lookAheadYears: 1.0 / 365), assetCount: catalog.assets.count,
            defaultUnderlying: try UnderlyingRiskParameters(priceScanRange: 0.3, volatilityShock: .relative(up: 0.5, down: 0.3)),
            aggregation: .correlation(try CorrelationOffsets(underlyings: underlyings, matrix: [[1, 0.84, 0.74], [0.84, 1, 0.74], [0.74, 0.74, 1]],
                                                             maximumCreditFraction: 0.5)),
            initialFactor: 1.25)
        for (u, range) in [0.18, 0.25, 0.30].enumerated() {
            portfolio.underlyings[underlyings[u].index] = try UnderlyingRiskParameters(priceScanRange: range, volatilityShock: .relative(up: 0.5, down: 0.3),
                                                                                       shortOptionMinimumRate: 0.01)
        }
        var parameters = RiskParameters(catalog: catalog)
        parameters.portfolio = portfolio
        let context = RiskContext(catalog: catalog, snapshot: snapshot, parameters: parameters)
        guard let arrays = context.riskArrays else { throw BookError() }

        var accounts: [Account] = []
        accounts.reserveCapacity(accountCount)
        for a in 0..<accountCount {
            var account = Account(id: "pm-\(a)", model: .portfolio)
            account.setBalance(usdc, units: Int128(rng.below(2_000_000) + 10_000) * 1_000_000)
            var chosen = Set<InstrumentID>()
            while chosen.count < 8 {
                let u = rng.below(3)
                let pool = perUnderlying[u]
                chosen.insert(rng.below(4) == 0 ? pool[0] : pool[1 + rng.below(pool.count - 1)])
            }
            for id in chosen.sorted() { account.setPosition(try randomPosition(id, context: context, rng: &rng)) }
            accounts.append(account)
        }
        return PortfolioBook(context: context, arrays: arrays, parameters: portfolio, accounts: accounts)
    }

    /// One portfolio-margined account holding every instrument of the book's market (3 perpetuals and 2,000 options,
    /// a market maker's options book), with a USDC balance: what a margin report of a wide portfolio account costs. Each
    /// position has its own liquidation and bankruptcy searches of its mark (the default scope).
    func wideAccount(seed: UInt64 = 0x5EED_0003) throws -> Account {
        var rng = SeededGenerator(seed: seed)
        var account = Account(id: "pm-wide", model: .portfolio)
        account.setBalance(AssetID(0), units: 50_000_000 * 1_000_000)
        for index in context.catalog.instruments.indices {
            account.setPosition(try Self.randomPosition(InstrumentID(index), context: context, rng: &rng))
        }
        return account
    }

    /// A cross position in `id`: 1–5,000 lots of a perpetual or 1–200 of an option, long or short, entered at its mark
    /// (rounded to the cent, or to 0.0001 of an option's premium; 0.0005 when that rounds to zero).
    static func randomPosition(_ id: InstrumentID, context: RiskContext, rng: inout SeededGenerator) throws -> Position {
        let isPerp = context.instruments[id.index].form == .linear
        let lots = Int64(rng.below(isPerp ? 5_000 : 200) + 1) * (rng.below(2) == 0 ? 1 : -1)
        let price = FixedPoint(context.instruments[id.index].mark, scale: isPerp ? 2 : 4, rounding: .halfEven) ?? FixedPoint(units: 1, scale: 4)
        let cost = try TradeExecution.cost(of: lots, at: price.units > 0 ? price : FixedPoint(units: 5, scale: 4),
                                           instrument: context.catalog.instruments[id.index])
        return Position(instrument: id, size: lots, cost: cost)
    }

    struct BookError: Error {}
}

/// The book, built once per process.
let sharedPortfolioBook: PortfolioBook = {
    do {
        return try PortfolioBook.make()
    } catch {
        fatalError("benchmark portfolio book: \(error)")
    }
}()
