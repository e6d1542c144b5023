import BallastCore
import Testing

/// The SPAN arrays of the public vectors (McMillan ch. 34): loss of one long unit per scenario, loss positive.
enum SpanArrays {
    /// HC-01: long 1 S&P future, PSR $10,000 (20 points × $500), extremes 0.35 × 2 × PSR = $7,000.
    static let future: [Double] = [0, 0, -3330, -3330, 3330, 3330, -6670, -6670, 6670, 6670, -10000, -10000, 10000, 10000, -7000, 7000]
    /// HC-02: long 1 Dec 410 call.
    static let call: [Double] = [-460, 610, -2640, -1730, 1270, 2340, -5210, -4540, 2540, 3430, -8060, -7640, 3380, 3990, -3130, 1500]
}

@Suite("Portfolio margin")
struct PortfolioMarginTests {
    /// A market of futures (and options) with supplied arrays, margined under the SPAN 16-scenario grid.
    func spanMarket(instruments: [(symbol: String, underlying: String, expiry: String?, losses: [Double], delta: Double)],
                    aggregation: (Catalog) throws -> CrossUnderlyingAggregation = { _ in .sum }, calendar: CalendarSpreadCharge? = nil) throws -> (TestMarket, RiskContext) {
        var market = TestMarket()
        try market.asset("USD", decimals: 2, price: 1)
        for underlying in Set(instruments.map(\.underlying)).sorted() { try market.asset(underlying, decimals: 0, price: 400) }
        var supplied: [String: SuppliedRiskArray] = [:]
        for item in instruments {
            let kind: InstrumentKind = try item.expiry.map { .future(expiry: try require(CivilTime.parse($0))) } ?? .perpetual
            try market.future(item.symbol, kind: kind, underlying: item.underlying, quote: "USD", contractSize: "500", lot: "1", tick: "0.25",
                              mark: 400, schedule: nil)
            supplied[item.symbol] = SuppliedRiskArray(losses: item.losses, delta: item.delta)
        }
        var context = market.context()
        var parameters = context.parameters
        var portfolio = try PortfolioParameters(scenarios: .span16(), assetCount: market.catalog.assets.count,
                                                defaultUnderlying: try UnderlyingRiskParameters(priceScanRange: 0.05, calendarSpread: calendar),
                                                aggregation: try aggregation(market.catalog), collateral: .excluded)
        portfolio.info = ParameterSetInfo(name: "span-16", version: "1", effective: Timestamp(millisecondsSinceEpoch: 0))
        parameters.portfolio = portfolio
        var snapshot = context.snapshot
        for (symbol, array) in supplied { snapshot.suppliedRiskArrays[try require(market.catalog.instrument(symbol))] = array }
        context = RiskContext(catalog: market.catalog, snapshot: snapshot, parameters: parameters)
        return (market, context)
    }

    func explain(_ market: TestMarket, _ context: RiskContext, _ positions: [(String, String)], balance: String = "100000") throws -> PortfolioExplanation {
        var account = try market.account(balances: [("USD", balance)], positions: try positions.map { try market.position($0.0, size: $0.1, entry: "400") })
        account.model = .portfolio
        let portfolio = try require(context.parameters.portfolio)
        return try PortfolioExplanation(account: account, context: context, arrays: try require(context.riskArrays), parameters: portfolio)
    }

    @Test("HC-01: long 1 S&P future, scan risk 10,000 at scenario 13 (13 and 14 tie; the lowest wins)")
    func hc01() throws {
        let (market, context) = try spanMarket(instruments: [("ES", "SPX", "2026-12-18", SpanArrays.future, 1)])
        let explanation = try explain(market, context, [("ES", "1")])
        let risk = try require(explanation.underlyings.first).risk
        #expect(risk.scanRisk == 10_000)
        #expect(risk.worstScenario.map { $0 + 1 } == 13)
    }

    @Test("HC-02: long 1 Dec 410 call, scan risk 3,990 at scenario 14")
    func hc02() throws {
        let (market, context) = try spanMarket(instruments: [("C410", "SPX", "2026-12-18", SpanArrays.call, 0.5)])
        let risk = try require(try explain(market, context, [("C410", "1")]).underlyings.first).risk
        #expect(risk.scanRisk == 3_990)
        #expect(risk.worstScenario.map { $0 + 1 } == 14)
    }

    @Test("HC-03: covered write, scan risk 6,620 at scenario 13, every loss as printed")
    func hc03() throws {
        let (market, context) = try spanMarket(instruments: [("ES", "SPX", "2026-12-18", SpanArrays.future, 1),
                                                             ("C410", "SPX", "2026-12-18", SpanArrays.call, 0.5)])
        let explanation = try explain(market, context, [("ES", "1"), ("C410", "-1")])
        let underlying = try require(explanation.underlyings.first)
        #expect(underlying.risk.scanRisk == 6_620)
        #expect(underlying.risk.worstScenario.map { $0 + 1 } == 13)
        #expect(underlying.losses == [460, -610, -690, -1600, 2060, 990, -1460, -2130, 4130, 3240, -1940, -2360, 6620, 6010, -3870, 5500])
        // Contributions: the future loses 10,000 in scenario 13 and the short call gains 3,380.
        let contributions = explanation.contributions.map(\.maintenance).sorted()
        #expect(contributions == [-3_380, 10_000])
    }

    /// HC-05 (CME "Intra Spread Calculations"): outrights M2 = 500, M3 = 500, M4 = 750; intra charges M2vM3 200,
    /// M2vM4 50, M3vM4 0; margin of a 1:1 spread = |outright₂ − outright₁| + charge → 200, 300, 250.
    @Test("HC-05: calendar spreads with per-pair charges", arguments: [("M2", "M3", 200.0), ("M2", "M4", 300.0), ("M3", "M4", 250.0)])
    func hc05(long: String, short: String, expected: Double) throws {
        let expiries = ["M2": "2026-06-19", "M3": "2026-09-18", "M4": "2026-12-18"]
        let outright = ["M2": 500.0, "M3": 500.0, "M4": 750.0]
        let tenor = { (symbol: String) throws -> Timestamp? in try require(CivilTime.parse(expiries[symbol] ?? "")) }
        var charges: [CalendarSpreadCharge.ExpiryPair: Double] = [:]
        charges[CalendarSpreadCharge.ExpiryPair(try tenor("M2"), try tenor("M3"))] = 200
        charges[CalendarSpreadCharge.ExpiryPair(try tenor("M2"), try tenor("M4"))] = 50
        charges[CalendarSpreadCharge.ExpiryPair(try tenor("M3"), try tenor("M4"))] = 0
        // Each future's array is the HC-01 shape scaled so that its scan risk is its outright.
        let instruments = ["M2", "M3", "M4"].map { symbol in
            (symbol: symbol, underlying: "CL", expiry: expiries[symbol], losses: SpanArrays.future.map { $0 / 10_000 * (outright[symbol] ?? 0) }, delta: 1.0)
        }
        let (market, context) = try spanMarket(instruments: instruments, calendar: CalendarSpreadCharge(pairCharges: charges))
        let explanation = try explain(market, context, [(long, "1"), (short, "-1")])
        #expect(abs(explanation.figures.risk - expected) < 1e-9)
    }

    /// HC-06 (CME "Inter Spread Calculations"): corn vs soybeans 2:1, credit 55 %, outrights corn 1,750, soy 2,500:
    /// outright 6,000, credit 3,300, margin 2,700.
    @Test("HC-06: inter-commodity credit as a rate of the legs' outright risk")
    func hc06() throws {
        let (market, context) = try spanMarket(
            instruments: [("ZC", "CORN", "2026-12-14", SpanArrays.future.map { $0 / 10_000 * 1_750 }, 1),
                          ("ZS", "SOY", "2026-11-13", SpanArrays.future.map { $0 / 10_000 * 2_500 }, 1)],
            aggregation: { catalog in
                .interSpreads([try InterSpreadCredit(underlyings: [try require(catalog.asset("CORN")), try require(catalog.asset("SOY"))],
                                                     ratios: [2, 1], rate: 0.55)])
            })
        let explanation = try explain(market, context, [("ZC", "2"), ("ZS", "-1")])
        #expect(abs(explanation.aggregation.sum - 6_000) < 1e-9)
        #expect(abs(explanation.aggregation.credit - 3_300) < 1e-9)
        #expect(abs(explanation.figures.risk - 2_700) < 1e-9)
        #expect(abs(explanation.contributions.reduce(0) { $0 + $1.maintenance } - 2_700) < 1e-9)
    }

    /// The calendar spread rates are fractions of the underlying price per unit of spread (and per year): the
    /// parameters refuse one outside [0, 10] or not finite, naming it, as the other rates of the underlying.
    @Test("calendar spread rates outside [0, 10] are refused by the parameters themselves")
    func calendarRateBounds() {
        for (floor, annual, field) in [(11.0, 0.0, "calendar_spread.floor_rate"), (0.0, -0.1, "calendar_spread.annual_rate"),
                                       (Double.nan, 0.0, "calendar_spread.floor_rate")] {
            do {
                _ = try UnderlyingRiskParameters(priceScanRange: 0.16, calendarSpread: CalendarSpreadCharge(floorRate: floor, annualRate: annual))
                Issue.record("accepted floor \(floor), annual \(annual)")
            } catch {
                #expect(error.field == field)
            }
        }
        #expect((try? UnderlyingRiskParameters(priceScanRange: 0.16, calendarSpread: CalendarSpreadCharge(floorRate: 10, annualRate: 0))) != nil)
    }
}
