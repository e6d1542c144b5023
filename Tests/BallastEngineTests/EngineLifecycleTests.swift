import BallastCore
import BallastEngine
import Testing

@Suite("Engine: funding, expiry, groups and parameters")
struct EngineLifecycleTests {
    typealias F = EngineFixture
    static let usdc: Int128 = 1_000_000

    static func engine(_ accounts: [(String, Int128)]) throws -> (Engine, EventScript) {
        var engine = Engine(genesis: try F.genesis())
        var script = EventScript()
        for (id, amount) in accounts {
            try engine.accept(script.next(.openAccount(AccountOpening(account: id))))
            try engine.accept(script.next(.deposit(FundsMovement(account: id, asset: F.usdc, amount: amount))))
        }
        return (engine, script)
    }

    @Test("funding: longs pay shorts size × price × rate, payers rounded up, receivers down, the difference to the insurance fund")
    func funding() throws {
        var (engine, script) = try Self.engine([("long", 10_000 * Self.usdc), ("short", 10_000 * Self.usdc)])
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 3,
                                                  buyer: Fill.Side(account: "long"), seller: Fill.Side(account: "short")))))
        // 0.003 × 60,000.1 × 0.0001 = 0.01800003 USDC: the long pays 0.018001, the short receives 0.018000.
        try engine.accept(script.next(.funding(FundingPayment(instrument: F.btcusdt, rate: try fixed("0.0001"), price: try fixed("60000.1")))))
        #expect(engine.accounts[0].balance(F.usdc) == 10_000 * Self.usdc - 18_001)
        #expect(engine.accounts[1].balance(F.usdc) == 10_000 * Self.usdc + 18_000)
        #expect(engine.ledger[F.usdc.index].insuranceFund == 1)
        // A negative rate: shorts pay. Inverse: 100 USD contracts, 7 of them, rate −0.0003 at 50,000: 700/50,000 ×
        // 0.0003 = 0.0000042 BTC = 420 satoshi exactly.
        try engine.accept(script.next(.deposit(FundsMovement(account: "long", asset: F.btc, amount: 10_000_000))))
        try engine.accept(script.next(.deposit(FundsMovement(account: "short", asset: F.btc, amount: 10_000_000))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusd, price: try fixed("50000"), size: 7,
                                                  buyer: Fill.Side(account: "long"), seller: Fill.Side(account: "short")))))
        try engine.accept(script.next(.funding(FundingPayment(instrument: F.btcusd, rate: try fixed("-0.0003"), price: try fixed("50000")))))
        #expect(engine.accounts[0].balance(F.btc) == 10_000_420)
        #expect(engine.accounts[1].balance(F.btc) == 9_999_580)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
        let notPerpetual = try engine.reject(script.next(.funding(FundingPayment(instrument: F.btcFuture, rate: try fixed("0.0001"),
                                                                                   price: try fixed("60000")))))
        #expect(notPerpetual.field == "instrument")
    }

    @Test("expiry: a future settles at the delivery price, a call at its intrinsic value, a put expires worthless")
    func settlement() throws {
        var (engine, script) = try Self.engine([("alice", 100_000 * Self.usdc), ("bob", 100_000 * Self.usdc)])
        try engine.accept(script.next(.fill(Fill(instrument: F.btcFuture, price: try fixed("60500"), size: 500,
                                                  buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob")))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcCall, price: try fixed("1500"), size: 100,
                                                  buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob")))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcPut, price: try fixed("800"), size: 200,
                                                  buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob")))))
        let early = try engine.reject(script.next(.settlement(ExpirySettlement(instrument: F.btcFuture, price: try fixed("72000")))))
        #expect(early.field == "time")
        let after = Timestamp(millisecondsSinceEpoch: F.expiry.millisecondsSinceEpoch + 1)
        for instrument in [F.btcFuture, F.btcCall, F.btcPut] {
            try engine.accept(script.next(.settlement(ExpirySettlement(instrument: instrument, price: try fixed("72000"))), at: after))
        }
        // Alice: future +0.5 × (72,000 − 60,500) = +5,750; call +1 × (2,000 − 1,500) = +500; put 2 × (0 − 800) = −1,600.
        #expect(engine.accounts[0].balance(F.usdc) == (100_000 + 5_750 + 500 - 1_600) * Self.usdc)
        #expect(engine.accounts[1].balance(F.usdc) == (100_000 - 5_750 - 500 + 1_600) * Self.usdc)
        #expect(engine.accounts[0].positions.isEmpty && engine.accounts[1].positions.isEmpty)
        #expect(engine.settled[F.btcFuture.index])
        #expect(LedgerAudit.imbalances(engine).isEmpty)
        let closed = try engine.reject(script.next(.fill(Fill(instrument: F.btcFuture, price: try fixed("60500"), size: 1,
                                                               buyer: Fill.Side(account: "alice"), seller: nil))))
        #expect(closed.code == .instrumentClosed)
    }

    @Test("a group shares one pool: a member's loss is covered by another's collateral, and leaving needs both pools covered")
    func groups() throws {
        var (engine, script) = try Self.engine([("trader", 1_000 * Self.usdc), ("treasury", 50_000 * Self.usdc), ("street", 100_000 * Self.usdc)])
        try engine.accept(script.next(.group(GroupMembership(account: "trader", group: "desk"))))
        try engine.accept(script.next(.group(GroupMembership(account: "treasury", group: "desk"))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                                                  buyer: Fill.Side(account: "trader"), seller: Fill.Side(account: "street")))))
        // Alone the trader (1,000 USDC, 1 BTC) would be in liquidation at 59,200 (MB −, MM 246); the desk holds 51,000 USDC.
        let signals = try engine.accept(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: 59_200)],
                                                                        marks: [MarkQuote(instrument: F.btcusdt, price: 59_200)]))))
        #expect(signals.isEmpty)
        let desk = try #require(engine.groupIndex(of: "desk"))
        #expect(engine.status(of: .group(desk)).cross.state == .healthy)
        #expect(engine.freshStatus(of: .group(desk)).cross.figures.marginBalance == (51_000 - 800) * Self.usdc)
        // The treasury cannot leave: the trader alone would fall short of its initial margin.
        let leave = try engine.reject(script.next(.group(GroupMembership(account: "treasury", group: nil))))
        #expect(leave.code == .insufficientMargin)
        // The trader can leave once funded on its own; its pool is then evaluated alone.
        try engine.accept(script.next(.transfer(Transfer(from: "treasury", to: "trader", asset: F.usdc, amount: 20_000 * Self.usdc))))
        try engine.accept(script.next(.group(GroupMembership(account: "trader", group: nil))))
        let trader = try #require(engine.accountIndex(of: "trader"))
        #expect(engine.unit(ofAccount: trader) == .account(trader))
        #expect(engine.status(of: .account(trader)).cross.figures.marginBalance == (21_000 - 800) * Self.usdc)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }

    @Test("a parameter change takes effect at its effective time, re-evaluates every pool, and stale versions are refused")
    func parameterChange() throws {
        var (engine, script) = try Self.engine([("alice", 1_000 * Self.usdc), ("bob", 100_000 * Self.usdc)])
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                                                  buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob")))))
        // At 59,300: MB 300 / MM 246.5 = 1.22, in the warning band (below 1.5, not below 1.2).
        let warning = try engine.accept(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: 59_300)],
                                                                        marks: [MarkQuote(instrument: F.btcusdt, price: 59_300)]))))
        #expect(warning.map(\.kind) == [.marginCall])
        let later = Timestamp(millisecondsSinceEpoch: script.time.millisecondsSinceEpoch + 60_000)
        let line = try F.parameterChange("maintenance-line", over: engine.latestParameters)
        try engine.accept(script.next(.parameters(ParameterChange(version: 2, effective: later, document: "maintenance-line", parameters: line))))
        #expect(engine.parameterVersion == 1)
        let stale = try engine.reject(script.next(.parameters(ParameterChange(version: 2, effective: later, document: "maintenance-line",
                                                                               parameters: line))))
        #expect(stale.code == .staleVersion)
        // The next event at or after the effective time puts version 2 in force: the warning band disappears.
        let recovered = try engine.accept(script.next(.deposit(FundsMovement(account: "bob", asset: F.usdc, amount: 1)), at: later))
        #expect(engine.parameterVersion == 2)
        #expect(recovered.map(\.kind) == [.recovered])
    }

    @Test("every event kind survives the binary codec; damaged bytes give an error, never a crash")
    func codec() throws {
        let genesis = try F.genesis()
        let change = ParameterChange(version: 2, effective: F.start, document: "maintenance-line",
                                     parameters: try F.parameterChange("maintenance-line", over: genesis.parameters))
        let bodies: [EventBody] = [
            .openAccount(AccountOpening(account: "a", model: .portfolio)),
            .deposit(FundsMovement(account: "a", asset: F.btc, amount: -170_141_183_460_469_231_731_687_303_715_884_105_727)),
            .withdrawal(FundsMovement(account: "a", asset: F.usdc, amount: 5)),
            .transfer(Transfer(from: "a", to: "b", asset: F.eth, amount: 1 << 100)),
            .fill(Fill(instrument: F.btcusd, price: try fixed("60000.5"), size: .max,
                       buyer: Fill.Side(account: "a", fee: 3, leverage: 12.5, isolated: true), seller: nil)),
            .prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: 61_234.56)], marks: [MarkQuote(instrument: F.btcCall, price: 0.1)])),
            .volatility(VolatilityUpdate(volatilities: [ImpliedVolatility(instrument: F.btcPut, volatility: 0.55)])),
            .funding(FundingPayment(instrument: F.btcusdt, rate: try fixed("-0.000375"), price: try fixed("61000"))),
            .settlement(ExpirySettlement(instrument: F.btcFuture, price: try fixed("61000.25"))),
            .parameters(change),
            .group(GroupMembership(account: "a", group: "g", model: .portfolio)),
            .group(GroupMembership(account: "a", group: nil)),
            .leverage(LeverageChange(account: "a", instrument: F.btcusdt, leverage: 12.5)),
            .marginMode(MarginModeChange(account: "a", instrument: F.btcusdt, isolated: true)),
            .fill(Fill(instrument: F.btcusdt, price: try fixed("61000.5"), size: 1_250,
                       buyer: Fill.Side(account: "a", isolated: false, positionSide: .short), seller: Fill.Side(account: "b"))),
        ]
        for (i, body) in bodies.enumerated() {
            let event = EngineEvent(id: "ev-\(i)-é", sequence: UInt64(i) * 1_000_003, time: F.start, body: body)
            let bytes = EventCodec.encode(event)
            let decoded = try EventCodec.decode(bytes, catalog: genesis.catalog) { try F.parameterChange($0, over: genesis.parameters) }
            #expect(EventCodec.encode(decoded) == bytes)
            #expect(decoded.id == event.id && decoded.sequence == event.sequence && decoded.body.kind == body.kind)
            for cut in 0..<bytes.count {
                #expect(throws: CodecError.self) {
                    try EventCodec.decode(Array(bytes[..<cut]), catalog: genesis.catalog) { try F.parameterChange($0, over: genesis.parameters) }
                }
            }
        }
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<2_000 {
            let bytes = (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = try? EventCodec.decode(bytes, catalog: genesis.catalog) { try F.parameterChange($0, over: genesis.parameters) }
            _ = try? SnapshotCodec.decode(bytes, documents: F.Documents())
        }
    }
}
