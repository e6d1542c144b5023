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
    /// field and value, before it changes anything, instead of failing the store's write after it was applied. One
    /// event numbered 2^63 − 1 used to be accepted at once and leave no room for any later one (found by fuzzing
    /// `ballast serve`): a sequence may run at most 2^48 ahead of the last, so 2^63 − 1 is reached only after 2^15
    /// such jumps (from the 2 of the set-up: 2 + 32,767·2^48 = 2^63 − 2^48 + 2, then 2^48 − 3 more).
    @Test("a sequence above 2^63 − 1 or more than 2^48 ahead is rejected; 2^63 − 1 is reached step by step")
    func sequenceBound() throws {
        var (engine, _) = try EngineLifecycleTests.engine([("alice", 1_000_000)])
        #expect(engine.lastSequence == 2)
        let deposit = EventBody.deposit(FundsMovement(account: "alice", asset: F.usdc, amount: 5))
        let above = EngineEvent(id: "above", sequence: EngineEvent.maximumSequence + 1, time: F.start, body: deposit)
        let rejection = try engine.reject(above)
        #expect(rejection.field == "sequence")
        #expect(rejection.value == "9223372036854775808")
        let far = try engine.reject(EngineEvent(id: "far", sequence: EngineEvent.maximumSequence, time: F.start, body: deposit))
        #expect(far.field == "sequence" && far.value == "9223372036854775807")
        #expect(far.message.hasPrefix("sequence 9223372036854775807 is more than 2^48 above the last accepted sequence 2"))
        #expect(try engine.reject(EngineEvent(id: "step+1", sequence: 2 + (1 << 48) + 1, time: F.start, body: deposit)).field == "sequence")
        #expect(engine.accounts[0].balance(F.usdc) == 1_000_000)
        for k in 1...32_767 {
            try engine.accept(EngineEvent(id: "step\(k)", sequence: engine.lastSequence + EngineEvent.maximumSequenceStep, time: F.start, body: deposit))
        }
        #expect(engine.lastSequence == EngineEvent.maximumSequence - (1 << 48) + 3)
        try engine.accept(EngineEvent(id: "at", sequence: EngineEvent.maximumSequence, time: F.start, body: deposit))
        #expect(engine.accounts[0].balance(F.usdc) == 1_000_000 + 5 * 32_768)
        #expect(engine.lastSequence == UInt64(Int64.max))
        // The first event may start anywhere up to 2^62: a feed numbered in microseconds since 1970.
        var fresh = Engine(genesis: try F.genesis())
        let open = EventBody.openAccount(AccountOpening(account: "alice"))
        #expect(try fresh.reject(EngineEvent(id: "first", sequence: (1 << 62) + 1, time: F.start, body: open)).field == "sequence")
        try fresh.accept(EngineEvent(id: "first", sequence: 1_764_000_000_000_000, time: F.start, body: open))
    }

    /// A bad price or volatility is named by its key in the event's JSON (`index.BTC`, `marks.ETHUSDT`,
    /// `volatilities.<option>`), not by its position in the sorted quotes, and its value as written (0, not 0.0).
    /// Found by fuzzing `ballast ingest`, which said `index[0].price`.
    @Test("a bad price or volatility is named by its asset or instrument, and nothing changes; prices stop at 1e18")
    func pricesNamedByKey() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("alice", 1_000_000)])
        let before = engine.stateHash
        let index = try engine.reject(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: 0)]))))
        #expect(index.field == "index.BTC")
        #expect(index.value == "0")
        #expect(index.message == "index.BTC 0 must be a positive finite number")
        let marks = try engine.reject(script.next(.prices(PriceUpdate(marks: [MarkQuote(instrument: F.btcusdt, price: 60_000),
                                                                              MarkQuote(instrument: F.ethusdt, price: -2.5)]))))
        #expect(marks.field == "marks.ETHUSDT")
        #expect(marks.value == "-2.5")
        let volatility = try engine.reject(script.next(.volatility(VolatilityUpdate(volatilities: [
            ImpliedVolatility(instrument: F.btcCall, volatility: 0.5), ImpliedVolatility(instrument: F.btcPut, volatility: .infinity)]))))
        #expect(volatility.field == "volatilities.\(engine.catalog[instrument: F.btcPut].symbol)")
        // Found by fuzzing `ballast serve`: a mark of 1e300 was applied, and pools holding BTC could no longer be
        // margined (they kept their last state, with no signal).
        let huge = try engine.reject(script.next(.prices(PriceUpdate(marks: [MarkQuote(instrument: F.btcusdt, price: 1e300)]))))
        #expect(huge.field == "marks.BTCUSDT" && huge.value == "1e+300")
        #expect(huge.message == "marks.BTCUSDT 1e+300 is outside [1e-18, 1e18]")
        #expect(try engine.reject(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: 1e-19)])))).field == "index.BTC")
        #expect(engine.stateHash == before)
        try engine.accept(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: 1e18)]))))
    }

    /// Alice and Bob would each pay 10^14 BTC × 10^18 × 1 = 10^32 USDC (10^38 units), beyond the ledger's range of
    /// 10^20 USDC, and their running total −2·10^38 is beyond Int128 (it used to trap): the funding is refused.
    @Test("funding whose payments sum beyond the ledger's range is refused and changes nothing")
    func fundingSumOverflow() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("alice", 1), ("bob", 1), ("carol", 1)])
        let size: Int64 = 100_000_000_000_000_000  // 10^14 BTC in lots of 0.001
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("1"), size: size,
                                                  buyer: Fill.Side(account: "alice"), seller: nil))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("1"), size: size,
                                                  buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "carol")))))
        let before = engine.stateHash
        let rejection = try engine.reject(script.next(.funding(FundingPayment(instrument: F.btcusdt, rate: try fixed("1"),
                                                                               price: try fixed("1000000000000000000")))))
        #expect(rejection.code == .notApplicable && rejection.field == "rate")
        #expect(engine.stateHash == before)
        #expect(engine.accounts.allSatisfy { $0.balance(F.usdc) == 1 })
    }

    /// Two longs of 60 BTC bought from the external account settle at 9·10^17: each exit is 5.4·10^37 at 10^-18, the
    /// external account's short of 120 exits at 1.08·10^38, within Int128 (at 100 BTC each it would be 1.8·10^38 and the
    /// exit's own cost overflow would refuse the event before the range check). Each long gains about 5.4·10^19 USDC,
    /// within the ledger's range of ±10^20; the external account would lose 1.08·10^20 USDC, beyond it, so the
    /// settlement is refused by the range and changes nothing.
    @Test("a settlement whose exits sum beyond the ledger's range is refused and changes nothing")
    func settlementSumOverflow() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("alice", 1), ("bob", 1)])
        for buyer in ["alice", "bob"] {
            try engine.accept(script.next(.fill(Fill(instrument: F.btcFuture, price: try fixed("60500"), size: 60_000,
                                                      buyer: Fill.Side(account: buyer), seller: nil))))
        }
        let before = engine.stateHash
        let after = Timestamp(millisecondsSinceEpoch: F.expiry.millisecondsSinceEpoch + 1)
        let rejection = try engine.reject(script.next(.settlement(ExpirySettlement(instrument: F.btcFuture, price: try fixed("900000000000000000"))),
                                                      at: after))
        #expect(rejection.code == .notApplicable && rejection.field == "price")
        #expect(rejection.message.contains("beyond the ledger's range"), "\(rejection.message)")
        #expect(engine.stateHash == before)
        #expect(!engine.settled[F.btcFuture.index])
    }

    /// Two members' costs of 100 BTC at 9·10^17 (9·10^37 each at 10^-18) sum beyond Int128 in the group's pool; the
    /// merge used to trap on every evaluation of the group. It saturates now, and the pool is evaluated.
    @Test("a group whose members' costs sum beyond Int128 is evaluated without trapping")
    func groupCostOverflow() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("alice", 1), ("bob", 1), ("carol", 1), ("dave", 1)])
        for member in ["alice", "bob"] {
            try engine.accept(script.next(.group(GroupMembership(account: member, group: "g"))))
        }
        for (member, seller) in [("alice", "carol"), ("bob", "dave")] {
            try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("900000000000000000"), size: 100_000,
                                                      buyer: Fill.Side(account: member), seller: Fill.Side(account: seller)))))
        }
        let group = try #require(engine.groupIndex(of: "g"))
        #expect(engine.status(of: .group(group)).cross.state == .bankrupt)
        #expect(engine.accounts[0].positions.first?.cost == 90_000_000_000_000_000_000_000_000_000_000_000_000)
        #expect(engine.accounts[1].positions.first?.cost == 90_000_000_000_000_000_000_000_000_000_000_000_000)
    }
}
