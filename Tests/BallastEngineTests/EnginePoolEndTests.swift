import BallastCore
import BallastEngine
import Testing

/// Pools that go underwater through funding, and pools that end: the last signal of every pool is its state.
@Suite("Engine: underwater isolated pools and pools that end")
struct EnginePoolEndTests {
    typealias F = EngineFixture
    static let usdc: Int128 = 1_000_000

    /// Alice buys 1 BTC of BTCUSDT from Bob at 60,000, isolated at 20×: 3,000 USDC move into the position.
    static func isolatedLong() throws -> (Engine, EventScript) {
        var (engine, script) = try EngineLifecycleTests.engine([("alice", 100_000 * usdc), ("bob", 100_000 * usdc)])
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                                                  buyer: Fill.Side(account: "alice", leverage: 20, isolated: true),
                                                  seller: Fill.Side(account: "bob")))))
        #expect(engine.accounts[0].positions.first?.mode == .isolated(margin: 3_000 * usdc))
        return (engine, script)
    }

    @Test("funding larger than an isolated margin leaves the pool underwater: signalled bankrupt, still evaluated and reported")
    func fundingBeyondIsolatedMargin() throws {
        var (engine, script) = try Self.isolatedLong()
        // Rate 0.1 at 60,000: the long pays 1 × 60,000 × 0.1 = 6,000 out of its 3,000 of margin, leaving −3,000.
        let signals = try engine.accept(script.next(.funding(FundingPayment(instrument: F.btcusdt, rate: try fixed("0.1"),
                                                                            price: try fixed("60000")))))
        #expect(engine.accounts[0].positions.first?.mode == .isolated(margin: -3_000 * Self.usdc))
        let signal = try #require(signals.first)
        #expect(signals.count == 1)
        #expect(signal.subject == .account("alice") && signal.isolated == F.btcusdt)
        #expect(signal.from == .healthy && signal.to == .bankrupt)
        // At the 60,000 mark the unrealised PnL is 0: equity = margin = −3,000; maintenance in the bracket from 50,000:
        // 60,000 × 0.5 % − 50 = 250.
        #expect(signal.figures.equity == -3_000 * Self.usdc)
        #expect(signal.figures.maintenance == 250 * Self.usdc)
        let unit = engine.unit(ofAccount: 0)
        #expect(engine.freshStatus(of: unit).problem == nil)
        // The core reports the pool (it refused a negative isolated margin before).
        let (pool, _) = try AccountMargin.isolatedPool(engine.accounts[0], slot: 0, context: engine.context)
        #expect(pool.equity == -3_000)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }

    @Test("an isolated pool that closes while bankrupt signals its end: back to healthy with zero figures")
    func bankruptIsolatedCloses() throws {
        var (engine, script) = try Self.isolatedLong()
        try engine.accept(script.next(.funding(FundingPayment(instrument: F.btcusdt, rate: try fixed("0.1"), price: try fixed("60000")))))
        // Bob buys the BTC back at 60,000: no realised PnL. An isolated position's loss is bounded by its margin, so
        // the −3,000 of margin the funding left is not Alice's: her cross balance keeps 100,000 − 3,000 (moved in at
        // the open) and the insurance fund pays the 3,000 the funding took beyond the margin.
        let signals = try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                                                                buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "alice")))))
        #expect(engine.accounts[0].positions.isEmpty)
        #expect(engine.accounts[0].balance(F.usdc) == 97_000 * Self.usdc)
        #expect(engine.ledger[F.usdc.index].insuranceFund == -3_000 * Self.usdc)
        let ended = signals.filter { $0.subject == .account("alice") && $0.isolated == F.btcusdt }
        #expect(ended.count == 1)
        #expect(ended.first?.from == .bankrupt && ended.first?.to == .healthy && ended.first?.kind == .recovered)
        #expect(ended.first?.figures == .zero(decimals: 6))
        #expect(engine.status(of: engine.unit(ofAccount: 0)).isolated.isEmpty)
        // A healthy isolated pool that closes signals nothing.
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                                                  buyer: Fill.Side(account: "alice", leverage: 20, isolated: true), seller: Fill.Side(account: "bob")))))
        let quiet = try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                                                              buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "alice")))))
        #expect(quiet.isEmpty)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }

    /// Alice's isolated long of 1 BTC at 60,000 holds 3,000 (20×); its bankruptcy price is 57,000. Sold to Bob at 56,000,
    /// it realises −4,000: the 3,000 of margin pays 3,000 of it and the insurance fund the other 1,000, so Bob (short
    /// 1 at 60,000, bought back at 56,000) gains the whole 4,000 while Alice's cross balance stays at 97,000.
    @Test("a fill past an isolated position's bankruptcy price: the holder loses the margin, the insurance fund the rest")
    func fillPastBankruptcy() throws {
        var (engine, script) = try Self.isolatedLong()
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("56000"), size: 1_000,
                                                  buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "alice")))))
        #expect(engine.accounts[0].positions.isEmpty)
        #expect(engine.accounts[0].balance(F.usdc) == 97_000 * Self.usdc)
        #expect(engine.accounts[1].positions.isEmpty)
        #expect(engine.accounts[1].balance(F.usdc) == 104_000 * Self.usdc)
        #expect(engine.ledger[F.usdc.index].insuranceFund == -1_000 * Self.usdc)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }

    /// An isolated long of 1 BTC-25JUN21 bought at 60,000 settles at 50,000: it realises −10,000, far beyond its
    /// margin, its IM at 20× at the future's 60,500 mark (the ladder's second tier allows 100×): 60,500 / 20 = 3,025.
    /// The holder loses the 3,025, the short gains the whole 10,000, and the insurance fund pays 6,975.
    @Test("expiry settlement past an isolated position's bankruptcy price: the holder loses the margin, the insurance fund the rest")
    func settlementPastBankruptcy() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("alice", 100_000 * Self.usdc), ("bob", 100_000 * Self.usdc)])
        try engine.accept(script.next(.fill(Fill(instrument: F.btcFuture, price: try fixed("60000"), size: 1_000,
                                                  buyer: Fill.Side(account: "alice", leverage: 20, isolated: true),
                                                  seller: Fill.Side(account: "bob")))))
        #expect(engine.accounts[0].positions.first?.mode == .isolated(margin: 3_025 * Self.usdc))
        let after = Timestamp(millisecondsSinceEpoch: F.expiry.millisecondsSinceEpoch + 1)
        try engine.accept(script.next(.settlement(ExpirySettlement(instrument: F.btcFuture, price: try fixed("50000"))), at: after))
        #expect(engine.accounts[0].positions.isEmpty && engine.accounts[1].positions.isEmpty)
        #expect(engine.accounts[0].balance(F.usdc) == 96_975 * Self.usdc)
        #expect(engine.accounts[1].balance(F.usdc) == 110_000 * Self.usdc)
        #expect(engine.ledger[F.usdc.index].insuranceFund == -6_975 * Self.usdc)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }

    /// Funding leaves Alice's isolated long of 1 BTC with −3,000 of margin. Selling half at 60,000 realises 0 and keeps
    /// half the debt, −1,500, with the remaining half position: the other −1,500 "released" is not charged to the cross
    /// balance (shortfall 1,500, the insurance fund's), and a 5 USDC fee is.
    @Test("a partial close of a pool that funding left below zero: its share of the debt is the insurance fund's, the fee the holder's")
    func partialCloseOfNegativeMargin() throws {
        var (engine, script) = try Self.isolatedLong()
        try engine.accept(script.next(.funding(FundingPayment(instrument: F.btcusdt, rate: try fixed("0.1"), price: try fixed("60000")))))
        #expect(engine.ledger[F.usdc.index].insuranceFund == 0)
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 500,
                                                  buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "alice", fee: 5 * Self.usdc)))))
        #expect(engine.accounts[0].positions.first?.size == 500)
        #expect(engine.accounts[0].positions.first?.mode == .isolated(margin: -1_500 * Self.usdc))
        #expect(engine.accounts[0].balance(F.usdc) == 96_995 * Self.usdc)
        #expect(engine.ledger[F.usdc.index].insuranceFund == -1_500 * Self.usdc)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }

    @Test("an account in liquidation that joins a group signals the end of its own pool, and the group's pool takes over")
    func joiningEndsOwnPool() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("trader", 1_000 * Self.usdc), ("treasury", 50_000 * Self.usdc),
                                                                 ("street", 100_000 * Self.usdc)])
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                                                  buyer: Fill.Side(account: "trader"), seller: Fill.Side(account: "street")))))
        // At 59,200 the trader alone has margin balance 1,000 − 800 = 200 against maintenance 59,200 × 0.5 % − 50 = 246.
        let falling = try engine.accept(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: 59_200)],
                                                                        marks: [MarkQuote(instrument: F.btcusdt, price: 59_200)]))))
        #expect(falling.map(\.to) == [.liquidation])
        try engine.accept(script.next(.group(GroupMembership(account: "treasury", group: "desk"))))
        let joining = try engine.accept(script.next(.group(GroupMembership(account: "trader", group: "desk"))))
        // The trader's own pool ends (zero figures); the desk's pool, 50,200 against 246, stays healthy.
        #expect(joining.count == 1)
        #expect(joining.first?.subject == .account("trader") && joining.first?.isolated == nil)
        #expect(joining.first?.from == .liquidation && joining.first?.to == .healthy)
        #expect(joining.first?.figures == .zero(decimals: 6))
        let desk = try #require(engine.groupIndex(of: "desk"))
        #expect(engine.status(of: .group(desk)).cross.state == .healthy)
        #expect(engine.status(of: .group(desk)).cross.figures.marginBalance == 50_200 * Self.usdc)
    }

    @Test("a fill whose size is not positive is refused with the size as written")
    func sizeValue() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("alice", 1_000 * Self.usdc)])
        let rejection = try engine.reject(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: -1_000,
                                                                  buyer: Fill.Side(account: "alice"), seller: nil))))
        #expect(rejection.field == "size")
        #expect(rejection.value == "-1.000")
    }
}
