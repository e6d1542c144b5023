import BallastCore
import BallastEngine
import Testing

@Suite("Engine: sequencing, funds and fills")
struct EngineFundsAndFillsTests {
    typealias F = EngineFixture

    /// 1 USDC in ledger units.
    static let usdc: Int128 = 1_000_000

    func openFunded(_ engine: inout Engine, _ script: inout EventScript, _ accounts: [(String, Int128)]) throws {
        for (id, amount) in accounts {
            try engine.accept(script.next(.openAccount(AccountOpening(account: id))))
            try engine.accept(script.next(.deposit(FundsMovement(account: id, asset: F.usdc, amount: amount))))
        }
    }

    @Test("a repeated id is acknowledged and not applied again; an old sequence is rejected; a rejection changes nothing")
    func sequencing() throws {
        var engine = Engine(genesis: try F.genesis())
        var script = EventScript()
        try openFunded(&engine, &script, [("alice", 1_000 * Self.usdc)])
        let deposit = script.next(.deposit(FundsMovement(account: "alice", asset: F.usdc, amount: 5 * Self.usdc)))
        try engine.accept(deposit)
        #expect(engine.accounts[0].balance(F.usdc) == 1_005 * Self.usdc)
        #expect(engine.apply(deposit) == .duplicate)
        #expect(engine.accounts[0].balance(F.usdc) == 1_005 * Self.usdc)

        let before = engine.stateHash
        var stale = deposit
        stale.id = "another"
        #expect(try engine.reject(stale).code == .outOfOrder)
        let unknown = try engine.reject(script.next(.deposit(FundsMovement(account: "nobody", asset: F.usdc, amount: 1))))
        #expect(unknown.code == .unknown && unknown.field == "account" && unknown.value == "nobody")
        let zero = try engine.reject(script.next(.deposit(FundsMovement(account: "alice", asset: F.usdc, amount: 0))))
        #expect(zero.code == .invalidField && zero.field == "amount")
        let badAsset = try engine.reject(script.next(.deposit(FundsMovement(account: "alice", asset: AssetID(9), amount: 1))))
        #expect(badAsset.field == "asset")
        let empty = try engine.reject(EngineEvent(id: "", sequence: 99, time: F.start, body: .deposit(FundsMovement(account: "alice", asset: F.usdc, amount: 1))))
        #expect(empty.code == .invalidID)
        #expect(engine.stateHash == before)
        #expect(engine.lastSequence == 3)
    }

    @Test("a fill moves positions, fees and cash exactly; the withdrawal rule keeps max(IM, 10 % of notional) and no profit leaves")
    func fillAndWithdrawal() throws {
        var engine = Engine(genesis: try F.genesis())
        var script = EventScript()
        try openFunded(&engine, &script, [("alice", 10_000 * Self.usdc), ("bob", 20_000 * Self.usdc)])
        let fill = Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                        buyer: Fill.Side(account: "alice", fee: 24 * Self.usdc, leverage: 10),
                        seller: Fill.Side(account: "bob", fee: 12 * Self.usdc))
        try engine.accept(script.next(.fill(fill)))
        let alice = engine.accounts[0]
        #expect(alice.balance(F.usdc) == 9_976 * Self.usdc)
        #expect(alice.position(F.btcusdt)?.size == 1_000)
        #expect(engine.accounts[1].position(F.btcusdt)?.size == -1_000)
        #expect(engine.ledger[F.usdc.index].fees == 36 * Self.usdc)
        #expect(LedgerAudit.imbalances(engine).isEmpty)

        // IM = 60,000 / 10 = 6,000; MM = 60,000 × 0.5 % − 50 = 250 (tier 2 of the ladder); margin balance 9,976.
        let status = engine.status(of: .account(0))
        #expect(status.cross.figures.initial == 6_000 * Self.usdc)
        #expect(status.cross.figures.maintenance == 250 * Self.usdc)
        #expect(status.cross.figures.marginBalance == 9_976 * Self.usdc)

        // Withdrawal requirement max(6,000, 10 % × 60,000) = 6,000: 3,976 may go, not a cent more.
        let tooMuch = try engine.reject(script.next(.withdrawal(FundsMovement(account: "alice", asset: F.usdc, amount: 3_976 * Self.usdc + 1))))
        #expect(tooMuch.code == .insufficientMargin && tooMuch.field == "amount")
        try engine.accept(script.next(.withdrawal(FundsMovement(account: "alice", asset: F.usdc, amount: 3_976 * Self.usdc))))
        #expect(engine.accounts[0].balance(F.usdc) == 6_000 * Self.usdc)

        // A 1,000 USDC paper profit does not raise what may be withdrawn.
        try engine.accept(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: 61_000)],
                                                          marks: [MarkQuote(instrument: F.btcusdt, price: 61_000)]))))
        let profit = try engine.reject(script.next(.withdrawal(FundsMovement(account: "alice", asset: F.usdc, amount: 1))))
        #expect(profit.code == .insufficientMargin)
        // The notional is now 61,000: the requirement 6,100 exceeds the 6,000 balance, profit excluded.
        #expect(profit.message.contains("6100"))
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }

    @Test("a price path emits margin call, reduce-only, liquidation, bankrupt and recovered at hand-derived prices")
    func signalsAlongAPricePath() throws {
        var engine = Engine(genesis: try F.genesis())
        var script = EventScript()
        try openFunded(&engine, &script, [("alice", 6_024 * Self.usdc), ("bob", 50_000 * Self.usdc)])
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                                                  buyer: Fill.Side(account: "alice", fee: 24 * Self.usdc), seller: Fill.Side(account: "bob")))))
        // Alice: 6,000 USDC and 1 BTC long from 60,000. At P ≥ 50,000: MB = P − 54,000, MM = 0.005·P − 50.
        func move(_ price: Double) throws -> [Signal.Kind] {
            try engine.accept(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: price)],
                                                              marks: [MarkQuote(instrument: F.btcusdt, price: price)])))).map(\.kind)
        }
        #expect(try move(59_990) == [])
        #expect(try move(54_400) == [])  // MB 400 / MM 222 = 1.80
        #expect(try move(54_300) == [.marginCall])  // 300 / 221.5 = 1.35 < 1.5
        #expect(engine.status(of: .account(0)).cross.state == .warning)
        #expect(try move(54_250) == [.reduceOnly])  // 250 / 221.25 = 1.13 < 1.2
        #expect(try move(54_230) == [.liquidation])  // 230 / 221.15 = 1.04 < 1.05
        #expect(try move(53_990) == [.bankrupt])  // equity −10
        let recovered = try engine.accept(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: 60_000)],
                                                                          marks: [MarkQuote(instrument: F.btcusdt, price: 60_000)]))))
        #expect(recovered.count == 1)
        #expect(recovered.first?.kind == .recovered && recovered.first?.to == .healthy && recovered.first?.subject == .account("alice"))
    }

    @Test("a fill against the outside world books the other half to the external account; spot rounding goes to the insurance fund")
    func externalAndSpot() throws {
        var engine = Engine(genesis: try F.genesis())
        var script = EventScript()
        try openFunded(&engine, &script, [("alice", 10_000 * Self.usdc), ("bob", 10_000 * Self.usdc)])
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000.1"), size: 250,
                                                  buyer: Fill.Side(account: "alice"), seller: nil))))
        #expect(engine.external.position(F.btcusdt)?.size == -250)
        // Spot: 0.0003 BTC at 60,000.01 costs 18.000003 USDC exactly (no rounding left for the insurance fund).
        try engine.accept(script.next(.deposit(FundsMovement(account: "bob", asset: F.btc, amount: 100_000_000))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcSpot, price: try fixed("60000.01"), size: 3,
                                                  buyer: Fill.Side(account: "alice", fee: 1), seller: Fill.Side(account: "bob")))))
        #expect(engine.accounts[0].balance(F.btc) == 30_000)
        #expect(engine.accounts[0].balance(F.usdc) == 10_000 * Self.usdc - 18_000_003 - 1)
        #expect(engine.accounts[1].balance(F.usdc) == 10_000 * Self.usdc + 18_000_003)
        #expect(engine.ledger[F.usdc.index].insuranceFund == 0)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
        let offTick = try engine.reject(script.next(.fill(Fill(instrument: F.btcSpot, price: try fixed("60000.015"), size: 3,
                                                                buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob")))))
        #expect(offTick.field == "price")
        let selfTrade = try engine.reject(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1,
                                                                  buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "bob")))))
        #expect(selfTrade.field == "seller.account")
    }

    /// Alice buys 7 BTCUSD (100 USD each) from Bob at 50,000 and sells them back at 50,000.1. Her PnL is
    /// 700 × (1/50,000 − 1/50,000.1) = 0.000000027999944… BTC, credited rounded down: 2 satoshi; Bob's is the negative,
    /// debited rounded up: 3. The satoshi neither receives is the venue's: it goes to the insurance fund (it stayed in
    /// the residue, so Σ balances + fees + insurance fund fell one unit short of the deposits with everything closed).
    @Test("closing rounding that no account receives goes to the insurance fund; with everything closed the books are plain")
    func closingRoundingToInsuranceFund() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("alice", 1), ("bob", 1)])
        for account in ["alice", "bob"] {
            try engine.accept(script.next(.deposit(FundsMovement(account: account, asset: F.btc, amount: 10_000_000))))
        }
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusd, price: try fixed("50000"), size: 7,
                                                  buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob")))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusd, price: try fixed("50000.1"), size: 7,
                                                  buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "alice")))))
        #expect(engine.accounts[0].balance(F.btc) == 10_000_002)
        #expect(engine.accounts[1].balance(F.btc) == 9_999_997)
        let books = engine.ledger[F.btc.index]
        #expect(books.insuranceFund == 1 && books.residue == 0)
        #expect(engine.accounts[0].balance(F.btc) + engine.accounts[1].balance(F.btc) + books.fees + books.insuranceFund
                == books.deposits - books.withdrawals)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }
}
