import BallastCore
import BallastEngine
import Testing

/// Engine events at the edges of their ranges, found by fuzzing `ballast ingest`: each used to trap or to fail in the
/// store after it was applied.
@Suite("Engine: events at the edges of their ranges")
struct EngineExtremeInputTests {
    typealias F = EngineFixture

    /// A funding rate and a price of 18 decimals each make a product at scale 36 before the size is applied (it used
    /// to trap building a 54-decimal value). 0.003 BTC × 97,500.000000000000000001 × 10^-18 ≈ 2.9·10^-16 USDC: the
    /// payer's share rounds up to one unit (0.000001 USDC), the receiver's down to zero, the unit to the insurance fund.
    @Test("funding with an 18-decimal rate and an 18-decimal price pays one unit, rounded for the venue")
    func fundingAtFullScale() throws {
        let usdc: Int128 = 1_000_000
        var (engine, script) = try EngineLifecycleTests.engine([("long", 10_000 * usdc), ("short", 10_000 * usdc)])
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 3,
                                                  buyer: Fill.Side(account: "long"), seller: Fill.Side(account: "short")))))
        try engine.accept(script.next(.funding(FundingPayment(instrument: F.btcusdt, rate: try fixed("0.000000000000000001"),
                                                              price: try fixed("97500.000000000000000001")))))
        #expect(engine.accounts[0].balance(F.usdc) == 10_000 * usdc - 1)
        #expect(engine.accounts[1].balance(F.usdc) == 10_000 * usdc)
        #expect(engine.ledger[F.usdc.index].insuranceFund == 1)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }

    /// Journals keep sequences in a signed 64-bit column: a sequence above 2^63 − 1 is rejected by the engine with the
    /// field and value, before it changes anything, instead of failing the store's write after it was applied.
    @Test("a sequence above 2^63 − 1 is rejected; 2^63 − 1 itself is accepted")
    func sequenceBound() throws {
        var (engine, _) = try EngineLifecycleTests.engine([("alice", 1_000_000)])
        let deposit = EventBody.deposit(FundsMovement(account: "alice", asset: F.usdc, amount: 5))
        let above = EngineEvent(id: "above", sequence: EngineEvent.maximumSequence + 1, time: F.start, body: deposit)
        let rejection = try engine.reject(above)
        #expect(rejection.field == "sequence")
        #expect(rejection.value == "9223372036854775808")
        #expect(engine.accounts[0].balance(F.usdc) == 1_000_000)
        try engine.accept(EngineEvent(id: "at", sequence: EngineEvent.maximumSequence, time: F.start, body: deposit))
        #expect(engine.accounts[0].balance(F.usdc) == 1_000_005)
        #expect(engine.lastSequence == UInt64(Int64.max))
    }

    /// A bad price or volatility is named by its key in the event's JSON (`index.BTC`, `marks.ETHUSDT`,
    /// `volatilities.<option>`), not by its position in the sorted quotes, and its value as written (0, not 0.0).
    /// Found by fuzzing `ballast ingest`, which said `index[0].price`.
    @Test("a bad price or volatility is named by its asset or instrument, and nothing changes")
    func pricesNamedByKey() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("alice", 1_000_000)])
        let before = engine.stateHash
        let index = try engine.reject(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: 0)]))))
        #expect(index.field == "index.BTC")
        #expect(index.value == "0")
        #expect(index.message == "index.BTC must be a positive finite number, not 0")
        let marks = try engine.reject(script.next(.prices(PriceUpdate(marks: [MarkQuote(instrument: F.btcusdt, price: 60_000),
                                                                              MarkQuote(instrument: F.ethusdt, price: -2.5)]))))
        #expect(marks.field == "marks.ETHUSDT")
        #expect(marks.value == "-2.5")
        let volatility = try engine.reject(script.next(.volatility(VolatilityUpdate(volatilities: [
            ImpliedVolatility(instrument: F.btcCall, volatility: 0.5), ImpliedVolatility(instrument: F.btcPut, volatility: .infinity)]))))
        #expect(volatility.field == "volatilities.\(engine.catalog[instrument: F.btcPut].symbol)")
        #expect(engine.stateHash == before)
    }
}
