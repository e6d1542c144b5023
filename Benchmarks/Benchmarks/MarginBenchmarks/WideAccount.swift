import BallastCore

/// One account holding a position in each of `positionCount` BTC perpetuals (a market maker's book across many
/// listings), built in code: what a margin report costs as an account grows. Each position has its own liquidation
/// and bankruptcy price searches, so a report whose every step re-evaluated the whole pool grew with the square of
/// the positions.
struct WideAccount: Sendable {
    let context: RiskContext
    let account: Account

    static func make(positionCount: Int = 2_000, seed: UInt64 = 0x5EED_0002) throws -> WideAccount {
        var rng = SeededGenerator(seed: seed)
        var catalog = Catalog(valuation: .usd)
        let usdc = try catalog.add(Asset(symbol: "USDC", decimals: 6))
        let btc = try catalog.add(Asset(symbol: "BTC", decimals: 8))
        var instruments: [InstrumentID] = []
        for i in 0..<positionCount {
            instruments.append(try catalog.add(Instrument(
                symbol: "BTC-PERP-\(i)", kind: .perpetual, settlement: .linear, underlying: btc, settle: usdc, quote: "USDC",
                contractSize: FixedPoint(units: 1, scale: 0), tickSize: FixedPoint(units: 1, scale: 1), lotSize: FixedPoint(units: 1, scale: 3))))
        }
        var snapshot = MarketSnapshot(catalog: catalog, time: Timestamp(millisecondsSinceEpoch: 1_767_225_600_000))
        snapshot.indexPrices[usdc.index] = 1
        snapshot.indexPrices[btc.index] = 60_000
        var parameters = RiskParameters(catalog: catalog)
        let table = try TierTable(floors: [0, 50_000, 250_000, 1_000_000], maxLeverages: [50, 20, 10, 5],
                                  maintenanceRates: [0.01, 0.025, 0.05, 0.1])
        var account = Account(id: "wide")
        var gross = 0.0
        for (i, id) in instruments.enumerated() {
            let mark = (60_000 * rng.uniform(0.995, 1.005) * 10).rounded() / 10
            snapshot.markPrices[i] = mark
            parameters.instrumentMargin[i] = MarginSchedule(shape: .tiered(table))
            let lots = Int64(rng.logUniform(1, 2_000).rounded())
            let size = rng.below(2) == 0 ? lots : -lots
            let entry = FixedPoint(units: Int128((mark * rng.uniform(0.97, 1.03) * 10).rounded()), scale: 1)
            account.setPosition(Position(instrument: id, size: size, cost: try TradeExecution.cost(of: size, at: entry, instrument: catalog.instruments[i]),
                                         leverage: nil, mode: .cross))
            gross += Double(lots) * 0.001 * mark
        }
        account.setBalance(usdc, units: Int128((gross * 0.05 * 1e6).rounded()))
        return WideAccount(context: RiskContext(catalog: catalog, snapshot: snapshot, parameters: parameters), account: account)
    }
}

/// The wide account every report benchmark reads, built once per process on first use.
let sharedWideAccount: WideAccount = {
    do {
        return try WideAccount.make()
    } catch {
        fatalError("cannot build the wide account: \(error)")
    }
}()
