import BallastCore

/// The benchmark's market and accounts, built in code from a seed (no files):
///
/// - assets: USDC (6 decimals), BTC, ETH and 20 more coins (8 decimals), each with an index price;
/// - 50 linear perpetuals settling in USDC (contract size 1, lot 0.001, tick 0.01): one per coin, then second
///   and third listings of the first coins to reach 50, each with its own copy of a Binance-BTCUSDT-like
///   10-tier ladder, and a mark within ±0.1 % of the index;
/// - `accountCount` accounts with `positionsPerAccount` cross positions in distinct instruments: notionals
///   log-uniform from 300 to 5 M USDC (so tiers 0–4 are all hit), long or short, entry ±10 % of the mark, half with
///   a chosen leverage; a USDC balance of 1–30 % of the gross notional; 20 % also hold 0.01–3 BTC (haircut 95 %).
///
/// It also holds the same positions in the two shapes the floor kernels read.
struct MarginBook: Sendable {
    /// One instrument's figures for the floor kernels: all they multiply, 32 bytes.
    struct FloorInstrument: Sendable {
        var sizeUnit: Double
        var multiplier: Double
        var mark: Double
        /// The first tier's maintenance rate.
        var rate: Double
    }

    let context: RiskContext
    let accounts: [Account]
    let positionsPerAccount: Int
    /// Per-instrument table of the floor kernels, by instrument index.
    let floorTable: [FloorInstrument]
    /// Struct-of-arrays copy of every position, account after account (`positionsPerAccount` each).
    let soaInstrument: [Int32]
    let soaSize: [Double]

    var assetCount: Int { context.catalog.assets.count }
    var positionCount: Int { soaSize.count }

    static let coins = ["BTC", "ETH", "SOL", "XRP", "BNB", "DOGE", "ADA", "AVAX", "LINK", "DOT", "TRX",
                        "LTC", "BCH", "NEAR", "UNI", "APT", "ARB", "OP", "ATOM", "FIL", "INJ", "SUI"]

    static func make(accountCount: Int = 100_000, positionsPerAccount: Int = 8, instrumentCount: Int = 50,
                     seed: UInt64 = 0xBA11_A575) throws -> MarginBook {
        var rng = SeededGenerator(seed: seed)

        // Assets and index prices (USD).
        var catalog = Catalog(valuation: .usd)
        let usdc = try catalog.add(Asset(symbol: "USDC", decimals: 6))
        var coinIDs: [AssetID] = []
        var coinPrices: [Double] = []
        for coin in coins {
            coinIDs.append(try catalog.add(Asset(symbol: coin, decimals: 8)))
            switch coin {
            case "BTC": coinPrices.append(rng.uniform(58_000, 62_000))
            case "ETH": coinPrices.append(rng.uniform(2_900, 3_100))
            default: coinPrices.append(rng.logUniform(1, 800))
            }
        }
        let btc = coinIDs[0]

        // Instruments.
        for i in 0..<instrumentCount {
            let c = i % coins.count
            let listing = i / coins.count
            let symbol = listing == 0 ? "\(coins[c])USDC" : "\(coins[c])USDC-\(listing + 1)"
            try catalog.add(Instrument(
                symbol: symbol, kind: .perpetual, settlement: .linear, underlying: coinIDs[c], settle: usdc, quote: "USDC",
                contractSize: FixedPoint(units: 1, scale: 0), tickSize: FixedPoint(units: 1, scale: 2),
                lotSize: FixedPoint(units: 1, scale: 3)))
        }

        // Snapshot.
        var snapshot = MarketSnapshot(catalog: catalog, time: Timestamp(millisecondsSinceEpoch: 1_767_225_600_000))
        snapshot.indexPrices[usdc.index] = 1
        for (id, price) in zip(coinIDs, coinPrices) { snapshot.indexPrices[id.index] = price }
        var marks: [Double] = []
        for i in 0..<instrumentCount {
            let index = coinPrices[i % coins.count]
            let mark = (index * rng.uniform(0.999, 1.001) * 100).rounded() / 100
            marks.append(mark)
            snapshot.markPrices[i] = mark
        }

        // Parameters: a Binance-BTCUSDT-like ladder per instrument, BTC collateral at 95 %.
        var parameters = RiskParameters(catalog: catalog)
        var firstTierRates: [Double] = []
        for i in 0..<instrumentCount {
            let table = try TierTable(
                floors: [0, 50_000, 250_000, 1_000_000, 10_000_000, 20_000_000, 50_000_000, 100_000_000, 200_000_000, 300_000_000],
                maxLeverages: [125, 100, 50, 20, 10, 5, 4, 3, 2, 1],
                maintenanceRates: [0.004, 0.005, 0.01, 0.025, 0.05, 0.1, 0.125, 0.15, 0.25, 0.5])
            parameters.instrumentMargin[i] = MarginSchedule(shape: .tiered(table))
            firstTierRates.append(table.tiers[0].maintenanceRate)
        }
        parameters.collateral[btc.index] = try HaircutSchedule(bound: .value, floors: [0], ratios: [0.95])

        let context = RiskContext(catalog: catalog, snapshot: snapshot, parameters: parameters)

        // Accounts.
        var accounts: [Account] = []
        accounts.reserveCapacity(accountCount)
        var soaInstrument: [Int32] = []
        var soaSize: [Double] = []
        soaInstrument.reserveCapacity(accountCount * positionsPerAccount)
        soaSize.reserveCapacity(accountCount * positionsPerAccount)
        var deck = Array(0..<instrumentCount)
        let leverages: [Double] = [5, 10, 20]
        for a in 0..<accountCount {
            var account = Account(id: "acct-\(a)")
            var gross = 0.0
            for k in 0..<positionsPerAccount {  // distinct instruments: a partial Fisher–Yates shuffle
                deck.swapAt(k, k + rng.below(instrumentCount - k))
                let i = deck[k]
                let instrument = catalog.instruments[i]
                let notional = rng.logUniform(300, 5_000_000)
                let lots = max(1, Int64((notional / marks[i] / 0.001).rounded()))
                let size = rng.below(2) == 0 ? lots : -lots
                let entryCents = max(1, Int128((marks[i] * rng.uniform(0.9, 1.1) * 100).rounded()))
                let cost = try TradeExecution.cost(of: size, at: FixedPoint(units: entryCents, scale: 2), instrument: instrument)
                let leverage: Double? = rng.below(2) == 0 ? nil : leverages[rng.below(leverages.count)]
                account.setPosition(Position(instrument: InstrumentID(i), size: size, cost: cost, leverage: leverage, mode: .cross))
                gross += Double(lots) * 0.001 * marks[i]
            }
            account.setBalance(usdc, units: Int128((gross * rng.uniform(0.01, 0.3) * 1e6).rounded()))
            if rng.below(5) == 0 {
                account.setBalance(btc, units: Int128((rng.uniform(0.01, 3) * 1e8).rounded()))
            }
            for position in account.positions {  // the same order MarginSummary reads them in
                soaInstrument.append(Int32(position.instrument.index))
                soaSize.append(Double(position.size))
            }
            accounts.append(account)
        }

        let floorTable = (0..<instrumentCount).map { i in
            let risk = context.instruments[i]
            return FloorInstrument(sizeUnit: risk.sizeUnit, multiplier: risk.multiplier, mark: risk.mark, rate: firstTierRates[i])
        }
        return MarginBook(context: context, accounts: accounts, positionsPerAccount: positionsPerAccount, floorTable: floorTable,
                          soaInstrument: soaInstrument, soaSize: soaSize)
    }
}

/// The book every benchmark reads, built once per process on first use.
let sharedBook: MarginBook = {
    do {
        return try MarginBook.make()
    } catch {
        fatalError("cannot build the benchmark book: \(error)")
    }
}()
