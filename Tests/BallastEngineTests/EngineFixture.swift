import BallastCore
import BallastEngine

/// A venue built in code for engine tests: USDC, BTC, ETH; a tiered BTCUSDT perpetual (Binance brackets of
/// 2021-03-18), an ETHUSDT perpetual, a coin-margined BTCUSD inverse perpetual, a BTC future and two BTC options
/// expiring on 2021-06-25, a BTC/USDC spot pair and a coin-settled BTC call. BTC counts at 95 %, ETH at 90 %; option margin in Deribit's
/// form; health bands 150 % / 120 % / 105 % (Binance PM Pro).
enum EngineFixture {
    static let start = Timestamp(millisecondsSinceEpoch: 1_622_505_600_000)  // 2021-06-01T00:00:00Z
    static let expiry = Timestamp(millisecondsSinceEpoch: 1_624_608_000_000)  // 2021-06-25T08:00:00Z
    static let document = "engine-fixture/1"

    static let usdc = AssetID(0)
    static let btc = AssetID(1)
    static let eth = AssetID(2)
    static let btcusdt = InstrumentID(0)
    static let ethusdt = InstrumentID(1)
    static let btcusd = InstrumentID(2)
    static let btcFuture = InstrumentID(3)
    static let btcCall = InstrumentID(4)
    static let btcPut = InstrumentID(5)
    static let btcSpot = InstrumentID(6)
    static let btcCoinCall = InstrumentID(7)

    static func genesis(settings: EngineSettings = EngineSettings(), portfolio: PortfolioParameters? = nil) throws -> EngineGenesis {
        var catalog = Catalog()
        try catalog.add(Asset(symbol: "USDC", decimals: 6))
        try catalog.add(Asset(symbol: "BTC", decimals: 8))
        try catalog.add(Asset(symbol: "ETH", decimals: 8))
        func add(_ symbol: String, _ kind: InstrumentKind, settlement: Settlement = .linear, underlying: AssetID = btc, settle: AssetID = usdc,
                 quote: String = "USDC", contract: String = "1", tick: String, lot: String) throws {
            try catalog.add(Instrument(symbol: symbol, kind: kind, settlement: settlement, underlying: underlying, settle: settle, quote: quote,
                                       contractSize: try fixed(contract), tickSize: try fixed(tick), lotSize: try fixed(lot)))
        }
        try add("BTCUSDT", .perpetual, tick: "0.1", lot: "0.001")
        try add("ETHUSDT", .perpetual, underlying: eth, tick: "0.01", lot: "0.01")
        try add("BTCUSD", .perpetual, settlement: .inverse, settle: btc, quote: "USD", contract: "100", tick: "0.1", lot: "1")
        try add("BTC-25JUN21", .future(expiry: expiry), tick: "0.5", lot: "0.001")
        try add("BTC-25JUN21-70000-C", .option(right: .call, strike: 70_000, expiry: expiry), tick: "0.5", lot: "0.01")
        try add("BTC-25JUN21-50000-P", .option(right: .put, strike: 50_000, expiry: expiry), tick: "0.5", lot: "0.01")
        try add("BTCUSDC", .spot, tick: "0.01", lot: "0.0001")
        try add("BTC-25JUN21-60000-C-BTC", .option(right: .call, strike: 60_000, expiry: expiry), settlement: .inverse, settle: btc,
                quote: "USD", tick: "0.0005", lot: "0.1")

        var snapshot = MarketSnapshot(catalog: catalog, time: start)
        snapshot.indexPrices = [1, 60_000, 3_000]
        snapshot.markPrices = [60_000, 3_000, 60_000, 60_500, 1_500, 800, 60_000, 0.05]

        var parameters = RiskParameters(catalog: catalog)
        let btcLadder = MarginSchedule(shape: .tiered(try TierTable(
            floors: [0, 50_000, 250_000, 1_000_000, 10_000_000, 20_000_000, 50_000_000, 100_000_000, 200_000_000, 300_000_000],
            maxLeverages: [125, 100, 50, 20, 10, 5, 4, 3, 2, 1],
            maintenanceRates: [0.004, 0.005, 0.01, 0.025, 0.05, 0.10, 0.125, 0.15, 0.25, 0.50])))
        parameters.instrumentMargin[btcusdt.index] = btcLadder
        parameters.instrumentMargin[btcFuture.index] = btcLadder
        parameters.instrumentMargin[ethusdt.index] = MarginSchedule(shape: .tiered(try TierTable(
            floors: [0, 10_000, 100_000], maxLeverages: [100, 75, 50], maintenanceRates: [0.005, 0.0065, 0.01])))
        parameters.instrumentMargin[btcusd.index] = MarginSchedule(shape: .tiered(try TierTable(
            floors: [0, 5, 10, 20], maxLeverages: [125, 100, 50, 20], maintenanceRates: [0.004, 0.005, 0.01, 0.025])))
        parameters.collateral[btc.index] = try HaircutSchedule(bound: .value, floors: [0], ratios: [0.95])
        parameters.collateral[eth.index] = try HaircutSchedule(bound: .value, floors: [0], ratios: [0.90])
        parameters.optionMargin[btc.index] = try OptionMarginParameters(
            call: ShortOptionRates(otmInitialRate: 0.15, minimumInitialRate: 0.10, maintenanceRate: 0.075),
            put: ShortOptionRates(otmInitialRate: 0.15, minimumInitialRate: 0.10, maintenanceRate: 0.075, maintenanceMarkRate: 0.075,
                                  initialAtLeastMaintenance: true))
        parameters.portfolio = portfolio
        return EngineGenesis(catalog: catalog, snapshot: snapshot, parameters: parameters, settings: settings, document: document)
    }

    /// Reads the fixture's genesis back (the only document this fixture uses) and parameter changes that are the
    /// name of a health band set ("maintenance-line").
    struct Documents: EngineDocumentReader {
        var settings = EngineSettings()

        func genesis(_ document: String) throws -> EngineGenesis {
            guard document == EngineFixture.document else { throw MissingValue() }
            return try EngineFixture.genesis(settings: settings)
        }

        func parameters(_ document: String, over base: RiskParameters, catalog: Catalog) throws -> RiskParameters {
            try EngineFixture.parameterChange(document, over: base)
        }
    }

    /// The parameter changes the tests use, by name.
    static func parameterChange(_ name: String, over base: RiskParameters) throws -> RiskParameters {
        var parameters = base
        switch name {
        case "maintenance-line":
            parameters.healthBands = try HealthBands(warningBelow: fixed("1"), reduceOnlyBelow: fixed("1"), liquidationBelow: fixed("1"))
        case "eth-haircut-50":
            parameters.collateral[eth.index] = try HaircutSchedule(bound: .value, floors: [0], ratios: [0.5])
        default:
            throw MissingValue()
        }
        return parameters
    }
}

struct MissingValue: Error {}

func require<T>(_ value: T?) throws -> T {
    guard let value else { throw MissingValue() }
    return value
}

func fixed(_ text: String) throws -> FixedPoint { try require(FixedPoint(parsing: text)) }

/// Builds events with increasing sequence numbers and ids.
struct EventScript {
    var sequence: UInt64 = 0
    var time = EngineFixture.start

    mutating func next(_ body: EventBody, at time: Timestamp? = nil) -> EngineEvent {
        sequence += 1
        if let time { self.time = time }
        return EngineEvent(id: "e\(sequence)", sequence: sequence, time: self.time, body: body)
    }
}

extension Engine {
    /// Applies an event that must be accepted; returns its signals.
    @discardableResult
    mutating func accept(_ event: EngineEvent) throws -> [Signal] {
        switch apply(event) {
        case .applied(let signals): return signals
        case .duplicate: return []
        case .rejected(let rejection): throw rejection
        }
    }

    /// Applies an event that must be rejected; returns the rejection.
    mutating func reject(_ event: EngineEvent) throws -> EventRejection {
        guard case .rejected(let rejection) = apply(event) else { throw MissingValue() }
        return rejection
    }
}
