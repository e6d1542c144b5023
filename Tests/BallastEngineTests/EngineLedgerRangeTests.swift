import BallastCore
import BallastEngine
import Testing

/// The ledger's range (``LedgerRange``): every balance, isolated margin and total of the books stays within ±10^20 of
/// its asset. Found by fuzzing `ballast ingest`: 171 deposits of 10^18 of an 18-decimal asset (10^36 units each) took
/// a balance past Int128 (about 1.7·10^38) and trapped the process; a balance above 1.7·10^20 of an asset also
/// wrapped the margin sums at 10^-18.
@Suite("Engine: the ledger's range")
struct EngineLedgerRangeTests {
    typealias F = EngineFixture

    /// 10^20 USDC at 6 decimals: 10^26 units.
    static let bound: Int128 = 100_000_000_000_000_000_000_000_000

    @Test("the bound is 10^(20+d) ledger units for d = 0…18, and a sum beyond it or beyond Int128 is nil")
    func bounds() {
        #expect(LedgerRange.bound(decimals: 6) == Self.bound)
        #expect(LedgerRange.bound(decimals: 0) == 100_000_000_000_000_000_000)
        #expect(LedgerRange.bound(decimals: 18) == Self.bound * 1_000_000_000_000)  // 10^38
        #expect(LedgerRange.adding(1, to: Self.bound - 1, bound: Self.bound) == Self.bound)
        #expect(LedgerRange.adding(1, to: Self.bound, bound: Self.bound) == nil)
        #expect(LedgerRange.adding(-1, to: -Self.bound, bound: Self.bound) == nil)
        #expect(LedgerRange.adding(.max, to: 1, bound: .max) == nil)
    }

    /// A deposit up to the bound is applied; one unit more is refused at `amount`, naming the balance, and changes
    /// nothing. Another account's deposit of one unit is refused by the deposits' total.
    @Test("a deposit beyond the range of the balance or of the deposits' total is refused and changes nothing")
    func deposits() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("alice", Self.bound)])
        try engine.accept(script.next(.openAccount(AccountOpening(account: "bob"))))
        #expect(engine.accounts[0].balance(F.usdc) == Self.bound)
        let before = engine.stateHash
        let balance = try engine.reject(script.next(.deposit(FundsMovement(account: "alice", asset: F.usdc, amount: 1))))
        #expect(balance.code == .notApplicable && balance.field == "amount" && balance.value == "0.000001")
        #expect(balance.message == "amount 0.000001 would take alice's USDC balance beyond the ledger's range (±10^20 USDC)")
        let total = try engine.reject(script.next(.deposit(FundsMovement(account: "bob", asset: F.usdc, amount: 1))))
        #expect(total.message == "amount 0.000001 would take the USDC deposits beyond the ledger's range (±10^20 USDC)")
        #expect(engine.stateHash == before)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }

    /// Deposits alone cannot take a balance past the bound (their total is bounded too), gains can: Alice holds
    /// 10^20 − 1 USDC; Bob gains 2 USDC from the external account (buys 1 BTC at 60,000, sells at 60,002). His
    /// 1.000001 USDC cannot go to Alice (he keeps it), his 1 USDC can.
    @Test("a transfer that takes the receiver's balance beyond the range is refused and changes nothing")
    func transfer() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("alice", Self.bound - 1_000_000)])
        try engine.accept(script.next(.openAccount(AccountOpening(account: "bob"))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                                                  buyer: Fill.Side(account: "bob"), seller: nil))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60002"), size: 1_000,
                                                  buyer: nil, seller: Fill.Side(account: "bob")))))
        #expect(engine.accounts[1].balance(F.usdc) == 2_000_000)
        let before = engine.stateHash
        let rejection = try engine.reject(script.next(.transfer(Transfer(from: "bob", to: "alice", asset: F.usdc, amount: 1_000_001))))
        #expect(rejection.code == .notApplicable && rejection.field == "amount" && rejection.value == "1.000001")
        #expect(rejection.message == "amount 1.000001 would take alice's USDC balance beyond the ledger's range (±10^20 USDC)")
        #expect(engine.stateHash == before)
        try engine.accept(script.next(.transfer(Transfer(from: "bob", to: "alice", asset: F.usdc, amount: 1_000_000))))
        #expect(engine.accounts[0].balance(F.usdc) == Self.bound)
        #expect(engine.accounts[1].balance(F.usdc) == 1_000_000)
    }

    /// Alice holds 10^20 − 2,001,000 USDC and buys 1 BTC at 60,000 from Bob. Selling it at P realises P − 60,000, so
    /// her balance becomes (10^20 − 2,001,000) + (P − 60,000): exactly the bound at P = 2,061,000, which is applied;
    /// at 2,061,000.1 it would be 0.1 USDC beyond, and the fill is refused at its price.
    @Test("a fill whose realised PnL takes a balance beyond the range is refused at its price and changes nothing")
    func fill() throws {
        let usdc: Int128 = 1_000_000
        var (engine, script) = try EngineLifecycleTests.engine([("alice", Self.bound - 2_001_000 * usdc), ("bob", 2_000_000 * usdc)])
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                                                  buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob")))))
        let before = engine.stateHash
        let rejection = try engine.reject(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("2061000.1"), size: 1_000,
                                                                   buyer: nil, seller: Fill.Side(account: "alice")))))
        #expect(rejection.code == .notApplicable && rejection.field == "price" && rejection.value == "2061000.1")
        #expect(rejection.message == "price 2061000.1 would take alice's USDC balance beyond the ledger's range (±10^20 USDC)")
        #expect(engine.stateHash == before)
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("2061000"), size: 1_000,
                                                  buyer: nil, seller: Fill.Side(account: "alice")))))
        #expect(engine.accounts[0].balance(F.usdc) == Self.bound)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }

    /// Alice holds the bound (10^38 at 10^-18); Bob buys 1 BTC at 60,000 from the external account and sells it
    /// back at 10^20, realising 10^20 − 60,000 USDC. The audit's running sum over accounts passes 2·10^38, beyond
    /// Int128 (it trapped); it wraps modulo 2^128, and the external account's −(10^20 − 60,000) brings it back: the
    /// books balance.
    @Test("the audit sums modulo 2^128 where balances within the range sum beyond Int128")
    func auditBeyondInt128() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("alice", Self.bound)])
        try engine.accept(script.next(.openAccount(AccountOpening(account: "bob"))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                                                  buyer: Fill.Side(account: "bob"), seller: nil))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: FixedPoint(units: 100_000_000_000_000_000_000, scale: 0), size: 1_000,
                                                  buyer: nil, seller: Fill.Side(account: "bob")))))
        #expect(engine.accounts[1].balance(F.usdc) == Self.bound - 60_000_000_000)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }
    /// A venue settling in WEI (18 decimals: a ledger unit is 10^-18 WEI) with a perpetual XWEI on X, lot 1.
    static func weiVenue() throws -> (Engine, EventScript) {
        var catalog = Catalog()
        try catalog.add(Asset(symbol: "WEI", decimals: 18))
        try catalog.add(Asset(symbol: "X", decimals: 0))
        try catalog.add(Instrument(symbol: "XWEI", kind: .perpetual, settlement: .linear, underlying: AssetID(1), settle: AssetID(0), quote: "WEI",
                                   contractSize: try fixed("1"), tickSize: try fixed("1"), lotSize: try fixed("1")))
        var snapshot = MarketSnapshot(catalog: catalog, time: F.start)
        snapshot.indexPrices = [1e-12, 100_000_000_000]
        snapshot.markPrices = [100_000_000_000]
        var parameters = RiskParameters(catalog: catalog)
        parameters.instrumentMargin[0] = MarginSchedule(shape: .tiered(try TierTable(floors: [0], maxLeverages: [100], maintenanceRates: [0.005])))
        var engine = Engine(genesis: EngineGenesis(catalog: catalog, snapshot: snapshot, parameters: parameters, document: F.document))
        var script = EventScript()
        for id in ["alice", "bob", "carol", "dave"] { try engine.accept(script.next(.openAccount(AccountOpening(account: id)))) }
        return (engine, script)
    }

    /// Alice and Bob are long 10^9 XWEI, Carol and Dave short, at 10^11 WEI. Funding at rate 1 and price 10^11 makes
    /// each long pay 10^20 WEI (10^38 units) and each short receive it: every balance ends within ±10^38, the range at
    /// 18 decimals, and the payments sum to 0. The running sum −2·10^38 after Bob passed Int128, and the funding was
    /// refused; the sum wraps now and is exact at the end.
    @Test("funding whose partial sums pass Int128 but whose total is 0 is applied")
    func fundingPartialSums() throws {
        var (engine, script) = try Self.weiVenue()
        let instrument = InstrumentID(0)
        let price = FixedPoint(units: 100_000_000_000, scale: 0)
        for (buyer, seller) in [("alice", "carol"), ("bob", "dave")] {
            try engine.accept(script.next(.fill(Fill(instrument: instrument, price: price, size: 1_000_000_000,
                                                      buyer: Fill.Side(account: buyer), seller: Fill.Side(account: seller)))))
        }
        try engine.accept(script.next(.funding(FundingPayment(instrument: instrument, rate: FixedPoint(units: 1, scale: 0), price: price))))
        // 10^9 × 10^11 WEI = 10^20 WEI = 10^38 units at 18 decimals.
        let payment: Int128 = 100_000_000_000_000_000_000_000_000_000_000_000_000
        #expect(engine.accounts.map { $0.balance(AssetID(0)) } == [-payment, -payment, payment, payment])
        #expect(engine.ledger[0].insuranceFund == 0)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }

    /// A withdrawal is checked against the withdrawals' total. Alice deposits 6·10^19 USDC and Bob 4·10^19 (the deposits
    /// total the bound, 10^20); Bob gains 2 USDC from the external account (buys 0.001 BTC at 60,000, sells at 62,000);
    /// Alice withdraws her 6·10^19. Bob's 4·10^19 + 1 USDC, which his balance covers, would take the withdrawals' total
    /// 1 USDC past 10^20 and is refused; 4·10^19 exactly is applied.
    @Test("a withdrawal that takes the withdrawals' total beyond the range is refused and changes nothing")
    func withdrawalsTotal() throws {
        let usdc: Int128 = 1_000_000
        let sixty = Self.bound / 10 * 6, forty = Self.bound / 10 * 4
        var (engine, script) = try EngineLifecycleTests.engine([("alice", sixty), ("bob", forty)])
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1, buyer: Fill.Side(account: "bob"), seller: nil))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("62000"), size: 1, buyer: nil, seller: Fill.Side(account: "bob")))))
        #expect(engine.accounts[1].balance(F.usdc) == forty + 2 * usdc)
        try engine.accept(script.next(.withdrawal(FundsMovement(account: "alice", asset: F.usdc, amount: sixty))))
        let before = engine.stateHash
        let rejection = try engine.reject(script.next(.withdrawal(FundsMovement(account: "bob", asset: F.usdc, amount: forty + usdc))))
        #expect(rejection.code == .notApplicable && rejection.field == "amount")
        #expect(rejection.message.hasSuffix("would take the USDC withdrawals beyond the ledger's range (±10^20 USDC)"), "\(rejection.message)")
        #expect(engine.stateHash == before)
        try engine.accept(script.next(.withdrawal(FundsMovement(account: "bob", asset: F.usdc, amount: forty))))
        #expect(engine.ledger[F.usdc.index].withdrawals == Self.bound)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }

    /// The fees' total has the range too. Alice, holding 10^20 − 1 USDC, trades 0.001 BTC at 60,000 with Bob 100 times,
    /// paying 10^18 USDC each time (on alternate sides): the fees reach 10^20. A fee of 0.000001 more is refused at
    /// the side that pays it, `buyer.fee` or `seller.fee`, and changes nothing.
    @Test("a fill whose fee takes the fees' total beyond the range is refused at the paying side's fee")
    func feesTotal() throws {
        let fee = Self.bound / 100  // 10^18 USDC
        var (engine, script) = try EngineLifecycleTests.engine([("alice", Self.bound - 1_000_000), ("bob", 1_000_000)])
        for i in 0..<100 {
            let alice = Fill.Side(account: "alice", fee: fee)
            let bob = Fill.Side(account: "bob")
            let fill = i % 2 == 0 ? Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1, buyer: alice, seller: bob)
                                  : Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1, buyer: bob, seller: alice)
            try engine.accept(script.next(.fill(fill)))
        }
        #expect(engine.ledger[F.usdc.index].fees == Self.bound)
        #expect(engine.accounts[0].balance(F.usdc) == -1_000_000)
        let before = engine.stateHash
        let buyerPays = try engine.reject(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1,
                                                                   buyer: Fill.Side(account: "bob", fee: 1), seller: Fill.Side(account: "alice")))))
        #expect(buyerPays.code == .notApplicable && buyerPays.field == "buyer.fee" && buyerPays.value == "0.000001")
        #expect(buyerPays.message == "buyer.fee 0.000001 would take the USDC fees beyond the ledger's range (±10^20 USDC)")
        let sellerPays = try engine.reject(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1,
                                                                    buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob", fee: 1)))))
        #expect(sellerPays.field == "seller.fee" && sellerPays.value == "0.000001")
        #expect(engine.stateHash == before)
    }

    /// Bob's side of an isolated fill at 1×.
    static let isolatedSide = Fill.Side(account: "bob", leverage: 1, isolated: true)
    /// 2·10^15 BTC in 0.001 BTC lots: at 60,000 and 1×, an initial margin of 1.2·10^20 USDC.
    static let beyondIsolated: Int64 = 2_000_000_000_000_000_000

    /// Bob holding 10^20 USDC and 0.001 BTCUSDT isolated at 1×, bought at 60,000 from the external account.
    static func isolatedBob() throws -> (Engine, EventScript) {
        var (engine, script) = try EngineLifecycleTests.engine([("bob", Self.bound)])
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1, buyer: isolatedSide, seller: nil))))
        return (engine, script)
    }

    /// An isolated position's margin has the range: Bob, holding 10^20 USDC, opens 0.001 BTC isolated at 1× at 60,000
    /// (margin 60 USDC), then buys 2·10^15 BTC more at 60,000: the position's initial margin at 1×, on its notional at
    /// the mark of 60,000, is 1.2·10^20 USDC, beyond the range (while Bob's balance, 10^20 − 1.2·10^20, is not): the
    /// fill is refused at its price, naming the isolated margin.
    @Test("a fill whose isolated margin would pass the range is refused at its price")
    func isolatedMargin() throws {
        var (engine, script) = try Self.isolatedBob()
        let before = engine.stateHash
        let rejection = try engine.reject(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: Self.beyondIsolated,
                                                                   buyer: Self.isolatedSide, seller: nil))))
        #expect(rejection.code == .notApplicable && rejection.field == "price")
        #expect(rejection.message == "price 60000 would take the isolated margin of bob's BTCUSDT position beyond the ledger's range (±10^20 USDC)",
                "\(rejection.message)")
        #expect(engine.stateHash == before)
    }

    /// The engine's pre-trade check meets the range where the fill would: the same isolated order as in
    /// ``isolatedMargin()`` is refused at its price, naming the isolated margin, not answered as passing.
    @Test("a pre-trade check of an order beyond the range is refused at its price, as its fill would be")
    func preTradeCheck() throws {
        let (engine, _) = try Self.isolatedBob()
        let order = Trade(instrument: F.btcusdt, size: Self.beyondIsolated, price: try fixed("60000"), leverage: 1, isolated: true)
        do {
            _ = try engine.preTradeCheck(order, account: "bob")
            Issue.record("the order passed")
        } catch {
            #expect(error.code == .notApplicable && error.field == "price" && error.value == "60000")
            #expect(error.message == "price 60000 would take the isolated margin of bob's BTCUSDT position beyond the ledger's range (±10^20 USDC)")
        }
    }

    /// An option or a spot pair takes neither isolated margin nor a hedge-mode leg: a fill naming one is refused as an
    /// invalid field, before anything the state could refuse (the plan's rule, mapped by the engine).
    @Test("a fill that isolates an option or names a leg of it is refused as an invalid field")
    func optionFields() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("bob", 1_000_000 * 1_000_000)])
        let isolated = try engine.reject(script.next(.fill(Fill(instrument: F.btcCall, price: try fixed("100"), size: 1,
                                                                  buyer: Fill.Side(account: "bob", isolated: true), seller: nil))))
        #expect(isolated.code == .invalidField && isolated.field == "buyer.isolated")
        let leg = try engine.reject(script.next(.fill(Fill(instrument: F.btcCall, price: try fixed("100"), size: 1,
                                                             buyer: nil, seller: Fill.Side(account: "bob", positionSide: .long)))))
        #expect(leg.code == .invalidField && leg.field == "seller.position_side")
        // A buyer's state problem does not hide a seller's invalid field.
        let unknownSeller = try engine.reject(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 2_000_000_000_000_000_000,
                                                                       buyer: Fill.Side(account: "bob", leverage: 1, isolated: true),
                                                                       seller: Fill.Side(account: "bob-2", fee: -1)))))
        #expect(unknownSeller.field == "seller.account")
    }
}
