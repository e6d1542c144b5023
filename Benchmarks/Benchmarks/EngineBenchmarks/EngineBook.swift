import BallastCore
import BallastEngine
import BallastIO
import Foundation

/// The engine the benchmarks run on: the example venue (`Examples/engine/market.json`: USDC, BTC, ETH; BTC-PERP on
/// Hyperliquid's tiers, ETH-PERP; Binance PM Pro health bands) with 1,000,000 accounts opened and funded through
/// events. Accounts 0 ..< 300,000 hold BTC-PERP (pairs long/short, 0.001–0.3 BTC, deposits so that leverage runs
/// from about 1x to 40x); accounts 300,000 ..< 800,000 hold ETH-PERP; the rest hold only cash. Built once per
/// process, seeded.
final class EngineBook: @unchecked Sendable {
    static let accountCount = 1_000_000
    static let btcHolders = 300_000
    static let ethHolders = 500_000

    var engine: Engine
    var rng = SeededGenerator(seed: 0xE9_61E)
    let usdc: AssetID
    let btc: AssetID
    let btcPerp: InstrumentID
    let ethPerp: InstrumentID
    var btcPrice = 109_000.0
    var ethPrice = 3_850.0
    var tickStep = 0
    let genesis: String

    init() {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Examples/engine/market.json")
        guard let data = FileManager.default.contents(atPath: url.standardized.path) else { fatalError("cannot read \(url.path)") }
        genesis = String(decoding: data, as: UTF8.self)
        do {
            engine = Engine(genesis: try EngineDocuments().genesis(genesis))
        } catch {
            fatalError("genesis: \(error)")
        }
        let catalog = engine.catalog
        guard let usdc = catalog.asset("USDC"), let btc = catalog.asset("BTC"), let btcPerp = catalog.instrument("BTC-PERP"),
              let ethPerp = catalog.instrument("ETH-PERP") else { fatalError("the example venue changed") }
        (self.usdc, self.btc, self.btcPerp, self.ethPerp) = (usdc, btc, btcPerp, ethPerp)
        for index in 0..<Self.accountCount {
            apply(.openAccount(AccountOpening(account: Self.id(index))))
        }
        for pair in stride(from: 0, to: Self.btcHolders, by: 2) {
            let size = Int64(1 + below(300))
            let notional = Double(size) * 0.001 * btcPrice
            for side in 0..<2 {
                let leverage = 1 + uniform() * 39
                apply(.deposit(FundsMovement(account: Self.id(pair + side), asset: usdc, amount: Int128(notional / leverage * 1e6) + 1)))
            }
            apply(.fill(Fill(instrument: btcPerp, price: price(btcPrice, tick: 10), size: size,
                             buyer: Fill.Side(account: Self.id(pair)), seller: Fill.Side(account: Self.id(pair + 1)))))
        }
        for pair in stride(from: Self.btcHolders, to: Self.btcHolders + Self.ethHolders, by: 2) {
            let size = Int64(1 + below(1_000))
            let notional = Double(size) * 0.01 * ethPrice
            for side in 0..<2 {
                apply(.deposit(FundsMovement(account: Self.id(pair + side), asset: usdc, amount: Int128(notional / (1 + uniform() * 20) * 1e6) + 1)))
            }
            apply(.fill(Fill(instrument: ethPerp, price: price(ethPrice, tick: 100), size: size,
                             buyer: Fill.Side(account: Self.id(pair)), seller: Fill.Side(account: Self.id(pair + 1)))))
        }
        for index in (Self.btcHolders + Self.ethHolders)..<Self.accountCount {
            apply(.deposit(FundsMovement(account: Self.id(index), asset: usdc, amount: Int128(100 + below(100_000)) * 1_000_000)))
        }
    }

    static func id(_ index: Int) -> String { "acct-\(index)" }

    func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
    func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    /// A price on the instrument's tick grid (`tick` = ticks per unit).
    func price(_ value: Double, tick: Int) -> FixedPoint {
        FixedPoint(units: Int128((value * Double(tick)).rounded()), scale: tick == 10 ? 1 : 2)
    }

    /// The next event with `body`, at the next sequence number and one millisecond later.
    func event(_ body: EventBody) -> EngineEvent {
        let sequence = engine.lastSequence + 1
        let time = Timestamp(millisecondsSinceEpoch: engine.lastTime.millisecondsSinceEpoch + 1)
        return EngineEvent(id: "b\(sequence)", sequence: sequence, time: time, body: body)
    }

    /// Applies an event that must be accepted.
    func apply(_ body: EventBody) {
        if case .rejected(let rejection) = engine.apply(event(body)) { fatalError("setup event rejected: \(rejection)") }
    }

    /// `count` fills between random accounts holding the same instrument (a BTC holder with a BTC holder, an ETH
    /// holder with an ETH holder), small sizes, at the current marks; the events are numbered from `first`.
    func fills(_ count: Int, first: UInt64) -> [EngineEvent] {
        var events: [EngineEvent] = []
        events.reserveCapacity(count)
        let time = Timestamp(millisecondsSinceEpoch: engine.lastTime.millisecondsSinceEpoch + 1)
        for k in 0..<count {
            let btcFill = below(10) < 3
            let range = btcFill ? 0..<Self.btcHolders : Self.btcHolders..<(Self.btcHolders + Self.ethHolders)
            let a = range.lowerBound + below(range.count)
            var b = range.lowerBound + below(range.count)
            if a == b { b = a + 1 < range.upperBound ? a + 1 : range.lowerBound }
            let fill = Fill(instrument: btcFill ? btcPerp : ethPerp,
                            price: btcFill ? price(btcPrice, tick: 10) : price(ethPrice, tick: 100),
                            size: Int64(1 + below(20)), buyer: Fill.Side(account: Self.id(a), fee: 1_000), seller: Fill.Side(account: Self.id(b), fee: 1_000))
            let sequence = first + UInt64(k)
            events.append(EngineEvent(id: "f\(sequence)", sequence: sequence, time: time, body: .fill(fill)))
        }
        return events
    }

    /// The next BTC price tick: alternately up and down by `move` (so the price stays near its start).
    func btcTick(move: Double) -> EngineEvent {
        tickStep += 1
        btcPrice *= tickStep % 2 == 1 ? 1 + move : 1 / (1 + move)
        return event(.prices(PriceUpdate(index: [IndexQuote(asset: btc, price: btcPrice)], marks: [MarkQuote(instrument: btcPerp, price: btcPrice)])))
    }
}

/// Built on first use, shared by every benchmark of the process.
let sharedEngineBook = EngineBook()
