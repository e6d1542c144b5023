import BallastCore
import Testing

/// A small market built in code for tests: assets, instruments and schedules added one by one.
struct TestMarket {
    var catalog = Catalog()
    var indexPrices: [String: Double] = [:]
    var marks: [String: Double] = [:]
    var vols: [String: Double] = [:]
    var schedules: [String: MarginSchedule] = [:]
    var haircuts: [String: HaircutSchedule] = [:]
    var options: [String: OptionMarginParameters] = [:]
    var bands: HealthBands = .binancePortfolioMarginPro
    var scope: LiquidationPriceScope = .instrument
    var time = Timestamp(millisecondsSinceEpoch: 1_622_505_600_000)  // 2021-06-01T00:00:00Z

    @discardableResult
    mutating func asset(_ symbol: String, decimals: Int = 8, price: Double) throws -> AssetID {
        let id = try catalog.add(Asset(symbol: symbol, decimals: decimals))
        indexPrices[symbol] = price
        return id
    }

    @discardableResult
    mutating func perpetual(_ symbol: String, underlying: String, quote: String, settlement: Settlement = .linear,
                            contractSize: String = "1", lot: String = "0.001", tick: String = "0.01",
                            mark: Double, schedule: MarginSchedule) throws -> InstrumentID {
        try future(symbol, kind: .perpetual, underlying: underlying, quote: quote, settlement: settlement,
                   contractSize: contractSize, lot: lot, tick: tick, mark: mark, schedule: schedule)
    }

    @discardableResult
    mutating func future(_ symbol: String, kind: InstrumentKind, underlying: String, quote: String, settlement: Settlement = .linear,
                         contractSize: String = "1", lot: String = "0.001", tick: String = "0.01",
                         mark: Double, schedule: MarginSchedule?) throws -> InstrumentID {
        let u = try require(catalog.asset(underlying))
        let settle = settlement == .linear ? try require(catalog.asset(quote)) : u
        let id = try catalog.add(Instrument(symbol: symbol, kind: kind, settlement: settlement, underlying: u, settle: settle, quote: quote,
                                            contractSize: try fixed(contractSize), tickSize: try fixed(tick), lotSize: try fixed(lot)))
        marks[symbol] = mark
        if let schedule { schedules[symbol] = schedule }
        return id
    }

    func context() -> RiskContext {
        var snapshot = MarketSnapshot(catalog: catalog, time: time)
        var parameters = RiskParameters(catalog: catalog)
        for (symbol, price) in indexPrices { snapshot.indexPrices[catalog.asset(symbol)!.index] = price }
        for (symbol, mark) in marks { snapshot.markPrices[catalog.instrument(symbol)!.index] = mark }
        for (symbol, vol) in vols { snapshot.impliedVolatilities[catalog.instrument(symbol)!.index] = vol }
        for (symbol, schedule) in schedules { parameters.instrumentMargin[catalog.instrument(symbol)!.index] = schedule }
        for (symbol, haircut) in haircuts { parameters.collateral[catalog.asset(symbol)!.index] = haircut }
        for (symbol, option) in options { parameters.optionMargin[catalog.asset(symbol)!.index] = option }
        parameters.healthBands = bands
        parameters.conventions.liquidationPriceScope = scope
        return RiskContext(catalog: catalog, snapshot: snapshot, parameters: parameters)
    }

    /// A position of `size` contracts entered at `entry`, cost basis computed exactly.
    func position(_ symbol: String, size: String, entry: String, leverage: Double? = nil, mode: MarginMode = .cross) throws -> Position {
        let id = try require(catalog.instrument(symbol))
        let instrument = catalog[instrument: id]
        let units = try require(try fixed(size).rescaled(to: instrument.sizeDecimals, rounding: .towardZero))
        let sizeUnits = try require(Int64(exactly: units.units))
        let cost = try TradeExecution.cost(of: sizeUnits, at: try fixed(entry), instrument: instrument)
        return Position(instrument: id, size: sizeUnits, cost: cost, leverage: leverage, mode: mode)
    }

    /// Ledger units of an amount of an asset.
    func units(_ amount: String, of symbol: String) throws -> Int128 {
        let asset = catalog[asset: try require(catalog.asset(symbol))]
        return try require(try fixed(amount).rescaled(to: asset.decimals, rounding: .towardZero)).units
    }

    func account(_ id: String = "test", balances: [(String, String)], positions: [Position]) throws -> Account {
        var account = Account(id: id)
        for (symbol, amount) in balances { account.setBalance(try require(catalog.asset(symbol)), units: try units(amount, of: symbol)) }
        for position in positions { account.setPosition(position) }
        return account
    }
}

struct MissingValue: Error {}

func require<T>(_ value: T?) throws -> T {
    guard let value else { throw MissingValue() }
    return value
}

func fixed(_ text: String) throws -> FixedPoint { try require(FixedPoint(parsing: text)) }

/// Binance USDⓈ-M BTCUSDT brackets of 2021-03-18 (vector BNB-3a), stated in code from the published table.
func binanceBTCUSDT() throws -> MarginSchedule {
    MarginSchedule(shape: .tiered(try TierTable(
        floors: [0, 50_000, 250_000, 1_000_000, 10_000_000, 20_000_000, 50_000_000, 100_000_000, 200_000_000, 300_000_000],
        maxLeverages: [125, 100, 50, 20, 10, 5, 4, 3, 2, 1],
        maintenanceRates: [0.004, 0.005, 0.01, 0.025, 0.05, 0.10, 0.125, 0.15, 0.25, 0.50])))
}

/// A one-tier schedule at a maintenance rate and maximum leverage.
func flatSchedule(maintenance: Double, maxLeverage: Double, basis: NotionalBasis = .mark) throws -> MarginSchedule {
    MarginSchedule(shape: .tiered(try TierTable(floors: [0], maxLeverages: [maxLeverage], maintenanceRates: [maintenance])), notionalBasis: basis)
}

/// A random isolated perpetual position alone in an account, for the closed-form liquidation tests: USDT at 1 and BTC
/// at 30,000; one perpetual "P" (linear in USDT, contract 1, lot 0.001; or inverse in BTC, 100 USD contracts) marked at
/// 20,000–40,000 under `schedule`; long or short, entered within ±10 % of the mark, with a random isolated margin.
struct RandomIsolated {
    var market: TestMarket
    var account: Account
    var position: Position
    var mark: Double
    /// |q|·m: underlying units (linear) or USD face (inverse).
    var units: Double

    init(inverse: Bool, schedule: MarginSchedule, using rng: inout SeededGenerator) throws {
        market = TestMarket()
        try market.asset("USDT", price: 1)
        try market.asset("BTC", price: 30_000)
        mark = Double.random(in: 20_000...40_000, using: &rng).rounded()
        try market.perpetual("P", underlying: "BTC", quote: inverse ? "USD" : "USDT", settlement: inverse ? .inverse : .linear,
                             contractSize: inverse ? "100" : "1", lot: inverse ? "1" : "0.001", tick: "0.5", mark: mark, schedule: schedule)
        let long = Bool.random(using: &rng)
        let contracts = inverse ? Double(Int.random(in: 10...5_000, using: &rng)) : Double.random(in: 0.01...300, using: &rng)
        let size = inverse ? String(Int(contracts)) : format3(contracts)
        let entry = String(Int(mark * Double.random(in: 0.9...1.1, using: &rng)))
        let margin = inverse ? format3(Double.random(in: 0.01...5, using: &rng)) : format3(Double.random(in: 50...500_000, using: &rng))
        position = try market.position("P", size: (long ? "" : "-") + size, entry: entry,
                                       mode: .isolated(margin: try market.units(margin, of: inverse ? "BTC" : "USDT")))
        account = try market.account(balances: [], positions: [position])
        units = try require(Double(size)) * (inverse ? 100 : 1)
    }

    /// The isolated pool of the position with its instrument moved to `price`.
    func pool(at price: Double) throws -> PoolFigures {
        try AccountMargin.isolatedPool(account, slot: 0, context: market.context().moved(position.instrument, by: price / mark, scope: .instrument)).0
    }
}

/// The liquidation price of the isolated position at slot 0 of `account`, which must come from a closed form, checked
/// against the pool it solves: margin balance − MM is 0 there (to 1e-7 relative). `nil` when no price liquidates.
func checkedClosedFormLiquidation(_ account: Account, context: RiskContext, mark: Double, trial: Int) throws -> Double? {
    let (liquidation, _) = try LiquidationPriceSolver.prices(account: account, slot: 0, context: context)
    #expect(liquidation.closedForm, "trial \(trial)")
    guard let price = liquidation.price else { return nil }
    let moved = context.moved(account.positions[0].instrument, by: price / mark, scope: .instrument)
    let pool = try AccountMargin.isolatedPool(account, slot: 0, context: moved).0
    #expect(abs(pool.marginBalance - pool.maintenance) <= 1e-7 * max(1, pool.maintenance), "trial \(trial) LP \(price)")
    return price
}

/// The hand-derived linear cross case of the requirement add-on tests: 10,000 USDT and a cross long of 2 BTC at 50,000
/// in "BTCUSDT" (USDT-settled, marked at 50,000, BTC index 50,000) at 10x, under `schedule`.
func twoBitcoinLongCross(schedule: MarginSchedule) throws -> (account: Account, context: RiskContext) {
    var market = TestMarket()
    try market.asset("USDT", decimals: 6, price: 1)
    try market.asset("BTC", price: 50_000)
    try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", mark: 50_000, schedule: schedule)
    let account = try market.account(balances: [("USDT", "10000")],
                                     positions: [try market.position("BTCUSDT", size: "2", entry: "50000", leverage: 10)])
    return (account, market.context())
}
