import BallastCore
import BallastEngine
import Testing

@Suite("Engine: risk index")
struct RiskIndexTests {
    typealias F = EngineFixture

    @Test("on small ticks the index re-evaluates a fraction of the books, and every stored state stays exact")
    func ticksTouchFewPools() throws {
        var engine = Engine(genesis: try F.genesis())
        var script = EventScript()
        var rng = SeededGenerator(seed: 31)
        func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
        let count = 300
        for i in 0..<count {
            let id = "trader-\(i)"
            try engine.accept(script.next(.openAccount(AccountOpening(account: id))))
            // Leverage from 2x to 60x on a BTC notional of 6,000 to 600,000 USDC.
            let notional = 6_000 * (1 + 99 * uniform())
            let leverage = 2 + 58 * uniform()
            try engine.accept(script.next(.deposit(FundsMovement(account: id, asset: F.usdc, amount: Int128(notional / leverage * 1e6)))))
            let size = Int64(notional / 60)  // 0.001 BTC lots at 60,000
            let long = uniform() < 0.5
            try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: max(1, size),
                                                      buyer: long ? Fill.Side(account: id) : nil, seller: long ? nil : Fill.Side(account: id)))))
            if uniform() < 0.3 {
                try engine.accept(script.next(.fill(Fill(instrument: F.ethusdt, price: try fixed("3000"), size: Int64(1 + uniform() * 300),
                                                          buyer: long ? nil : Fill.Side(account: id), seller: long ? Fill.Side(account: id) : nil))))
            }
        }
        var btc = 60_000.0
        var eth = 3_000.0
        var signals = 0
        let before = engine.evaluations
        let ticks = 400
        for tick in 0..<ticks {
            btc *= 1 + (uniform() - 0.5) * 0.006
            var update = PriceUpdate(index: [IndexQuote(asset: F.btc, price: btc)], marks: [MarkQuote(instrument: F.btcusdt, price: btc)])
            if tick % 3 == 0 {
                eth *= 1 + (uniform() - 0.5) * 0.008
                update.index.append(IndexQuote(asset: F.eth, price: eth))
                update.marks.append(MarkQuote(instrument: F.ethusdt, price: eth))
            }
            signals += try engine.accept(script.next(.prices(update))).count
            try EngineStreamTests.checkStates(engine)
        }
        try EngineStreamTests.checkStates(engine)
        let evaluated = engine.evaluations - before
        #expect(signals > 20)
        // A full scan would be 300 × 400 = 120,000 evaluations.
        #expect(evaluated < count * ticks / 5, "evaluated \(evaluated)")
    }
}
