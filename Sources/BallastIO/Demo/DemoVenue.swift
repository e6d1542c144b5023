import BallastCore
import BallastEngine

/// The demo market as the book builder sees it: the genesis risk context, the ids of what it trades, and the
/// conversions from market figures (`Double`) to what events carry (prices on the tick grid, sizes in whole lots,
/// amounts in ledger units), each with its rounding named.
struct DemoVenue {
    /// The genesis market, parameters and per-instrument figures (marks of the options included).
    let context: RiskContext
    let usdc: AssetID
    let btc: AssetID
    let eth: AssetID
    let sol: AssetID
    /// BTC-PERP, ETH-PERP, SOL-PERP.
    let perpetuals: [InstrumentID]
    /// The dated BTC future.
    let future: InstrumentID
    /// BTC options by expiry (earliest first), each by strike (lowest first).
    let calls: [[InstrumentID]]
    let puts: [[InstrumentID]]

    /// Resolves the demo's assets and instruments in `genesis`.
    init(genesis: EngineGenesis) throws(DemoError) {
        let catalog = genesis.catalog
        context = RiskContext(catalog: catalog, snapshot: genesis.snapshot, parameters: genesis.parameters)
        func asset(_ symbol: String) throws(DemoError) -> AssetID {
            guard let id = catalog.asset(symbol) else { throw .missing("asset \(symbol)") }
            return id
        }
        usdc = try asset("USDC")
        btc = try asset("BTC")
        eth = try asset("ETH")
        sol = try asset("SOL")
        var perpetuals: [InstrumentID] = []
        for (_, symbol) in DemoMarket.perpetuals {
            guard let id = catalog.instrument(symbol) else { throw .missing("instrument \(symbol)") }
            perpetuals.append(id)
        }
        self.perpetuals = perpetuals
        var future: InstrumentID?
        var options: [(expiry: Timestamp, strike: Double, right: OptionRight, id: InstrumentID)] = []
        for (i, instrument) in catalog.instruments.enumerated() where instrument.underlying == btc && instrument.settle == usdc {
            switch instrument.kind {
            case .future: future = future ?? InstrumentID(i)
            case .option(let right, let strike, let expiry): options.append((expiry, strike, right, InstrumentID(i)))
            default: break
            }
        }
        guard let future else { throw .missing("USDC-settled BTC future") }
        self.future = future
        let expiries = Array(Set(options.map(\.expiry))).sorted()
        func chain(_ right: OptionRight) -> [[InstrumentID]] {
            expiries.map { expiry in options.filter { $0.expiry == expiry && $0.right == right }.sorted { $0.strike < $1.strike }.map(\.id) }
        }
        calls = chain(.call)
        puts = chain(.put)
        guard !expiries.isEmpty, calls.allSatisfy({ $0.count >= 3 }), calls.map(\.count) == puts.map(\.count) else {
            throw .missing("USDC-settled BTC calls and puts at three or more strikes per expiry")
        }
    }

    var catalog: Catalog { context.catalog }

    /// The instrument's mark at genesis (options: the engine's Black-76 model mark).
    func mark(_ id: InstrumentID) -> Double { context.instruments[id.index].mark }

    /// An asset's index price at genesis.
    func index(_ asset: AssetID) -> Double { context.indexPrices[asset.index] }

    /// The perpetual on an underlying.
    func perpetual(on asset: AssetID) -> InstrumentID {
        perpetuals.first { catalog[instrument: $0].underlying == asset } ?? perpetuals[0]
    }

    /// `price` on the instrument's tick grid (nearest tick, at least one tick).
    func price(_ id: InstrumentID, near price: Double) -> FixedPoint {
        let tick = catalog[instrument: id].tickSize
        let ticks = max(1, (price / tick.doubleValue).rounded())
        return FixedPoint(units: Int128(ticks) * tick.units, scale: tick.scale)
    }

    /// `contracts` as a whole number of lots (rounded down, at least one lot), in size units (10^-sizeDecimals).
    func size(_ id: InstrumentID, contracts: Double) -> Int64 {
        let instrument = catalog[instrument: id]
        let lot = instrument.lotSize
        let lots = max(1, (contracts / lot.doubleValue).rounded(.down))
        let lotUnits = lot.rescaled(to: instrument.sizeDecimals, rounding: .down)?.units ?? 1
        return Int64(lots) * Int64(lotUnits)
    }

    /// The contracts of a size in size units, as an exact decimal.
    func contracts(_ id: InstrumentID, size: Int64) -> FixedPoint {
        FixedPoint(units: Int128(size.magnitude), scale: catalog[instrument: id].sizeDecimals)
    }

    /// A fee of `rate` on `size` × multiplier × `price`, in ledger units of the settlement asset, rounded up.
    func fee(_ id: InstrumentID, size: Int64, price: FixedPoint, rate: FixedPoint) -> Int128 {
        let instrument = catalog[instrument: id]
        let value = contracts(id, size: size) * instrument.contractSize * price * rate
        return value.rescaled(to: catalog[asset: instrument.settle].decimals, rounding: .up)?.units ?? 0
    }

    /// An amount of `value` USD of `asset` at its genesis index, shown to `decimals` decimals (rounded down, at least
    /// one unit at that scale), in ledger units.
    func amount(_ asset: AssetID, worth value: Double, decimals: Int) -> Int128 {
        let quantity = FixedPoint(value / index(asset), scale: decimals, rounding: .down) ?? FixedPoint(units: 0, scale: decimals)
        let atLeastOne = max(quantity.units, 1)
        let ledger = catalog[asset: asset].decimals
        return FixedPoint(units: atLeastOne, scale: decimals).rescaled(to: ledger, rounding: .down)?.units ?? 0
    }

    /// Whole USDC worth at least `value` USD, in ledger units (rounded up: a requirement to cover).
    func usdcCovering(_ value: Double) -> Int128 {
        let whole = FixedPoint(max(value, 1) / index(usdc), scale: 0, rounding: .up) ?? FixedPoint(units: 1, scale: 0)
        return whole.rescaled(to: catalog[asset: usdc].decimals, rounding: .up)?.units ?? 0
    }
}
