import BallastCore
@testable import BallastEngine
import Testing

/// The engine keeps a closed position's leverage with the account, through snapshots, and forgets it at expiry. On
/// the fixture's BTCUSDT brackets (tier 1 below 50,000 notional: 125x).
@Suite("Engine: leverage kept after a close")
struct EngineLeverageSettingTests {
    typealias F = EngineFixture
    typealias H = EngineHedgeModeTests

    @Test("a fill that reopens without a leverage takes the closed position's; a snapshot keeps it")
    func reopening() throws {
        var (engine, script) = try H.engine([("alice", 10_000), ("bob", 100_000)])
        try engine.accept(script.next(try H.fill("60000", 1_000, buyer: Fill.Side(account: "alice", leverage: 10), seller: Fill.Side(account: "bob"))))
        try engine.accept(script.next(try H.fill("60000", 1_000, buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "alice"))))
        #expect(engine.accounts[0].positions.isEmpty)
        #expect(engine.accounts[0].instrumentSettings == [InstrumentSetting(instrument: F.btcusdt, leverage: 10)])

        let restored = try SnapshotCodec.decode(SnapshotCodec.encode(engine), documents: F.Documents())
        #expect(restored.stateHash == engine.stateHash)
        #expect(restored.accounts[0].instrumentSettings == engine.accounts[0].instrumentSettings)

        // 0.5 BTC at 60,000 = 30,000 at 10x: IM 3,000 (at tier 1's cap of 125x it would be 240).
        try engine.accept(script.next(try H.fill("60000", 500, buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob"))))
        #expect(engine.accounts[0].position(F.btcusdt)?.leverage == 10)
        #expect(engine.accounts[0].instrumentSettings.isEmpty)
        #expect(engine.status(of: .account(0)).cross.figures.initial == 3_000 * H.usdc)
        // The freshly restored engine applies the same fill to the same state.
        var replayed = restored
        var again = script
        again.sequence -= 1
        try replayed.accept(again.next(try H.fill("60000", 500, buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob"))))
        #expect(replayed.stateHash == engine.stateHash)
    }

    @Test("an option closed with a leverage keeps none, and the snapshot reads back")
    func optionKeepsNone() throws {
        var (engine, script) = try H.engine([("alice", 100_000), ("bob", 100_000)])
        try engine.accept(script.next(try H.fill(on: F.btcCall, "1500", 100, buyer: Fill.Side(account: "alice", leverage: 5), seller: Fill.Side(account: "bob"))))
        try engine.accept(script.next(try H.fill(on: F.btcCall, "1500", 100, buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "alice"))))
        #expect(engine.accounts[0].positions.isEmpty && engine.accounts[0].instrumentSettings.isEmpty)
        #expect(try SnapshotCodec.decode(SnapshotCodec.encode(engine), documents: F.Documents()).stateHash == engine.stateHash)
    }

    /// Accounts no event sequence can make are refused when a snapshot holds them.
    @Test("a snapshot's account with a bad leverage setting or an empty position does not read")
    func hostileSnapshot() throws {
        let catalog = try F.genesis().catalog
        func decodes(_ account: Account, settled: [Bool]? = nil) -> Bool {
            var w = BinaryWriter(capacity: 64)
            SnapshotCodec.encode(account, into: &w, format: SnapshotCodec.format)
            var r = BinaryReader(w.bytes)
            let flags = settled ?? Array(repeating: false, count: catalog.instruments.count)
            return (try? SnapshotCodec.decodeAccount(&r, catalog: catalog, settled: flags, format: SnapshotCodec.format)) == account
        }
        var good = Account(id: "a")
        good.setLeverage(10, of: F.ethusdt)
        #expect(decodes(good))
        var settled = Array(repeating: false, count: catalog.instruments.count)
        settled[F.ethusdt.index] = true
        #expect(!decodes(good, settled: settled))
        for (instrument, leverage) in [(F.ethusdt, Double.nan), (F.ethusdt, 0.5), (F.ethusdt, .infinity), (F.btcCall, 10), (F.btcSpot, 10)] {
            var bad = Account(id: "a")
            bad.setLeverage(leverage, of: instrument)
            #expect(!decodes(bad), "\(leverage) on \(instrument)")
        }
        var empty = Account(id: "a")
        empty.setPosition(Position(instrument: F.btcusdt, size: 0, cost: 5))
        #expect(!decodes(empty))
        var nanLeverage = Account(id: "a")
        nanLeverage.setPosition(Position(instrument: F.btcusdt, size: 1, cost: 5, leverage: .nan))
        #expect(!decodes(nanLeverage))
    }

    @Test("settlement forgets the leverage kept for the expired future")
    func expiry() throws {
        var (engine, script) = try H.engine([("alice", 100_000), ("bob", 100_000)])
        try engine.accept(script.next(try H.fill(on: F.btcFuture, "60500", 500, buyer: Fill.Side(account: "alice", leverage: 5),
                                                 seller: Fill.Side(account: "bob", leverage: 4))))
        try engine.accept(script.next(try H.fill(on: F.btcFuture, "60500", 200, buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "alice"))))
        try engine.accept(script.next(try H.fill(on: F.btcFuture, "60500", 300, buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "alice"))))
        #expect(engine.accounts[0].instrumentSettings == [InstrumentSetting(instrument: F.btcFuture, leverage: 5)])
        #expect(engine.accounts[1].instrumentSettings == [InstrumentSetting(instrument: F.btcFuture, leverage: 4)])
        let after = Timestamp(millisecondsSinceEpoch: F.expiry.millisecondsSinceEpoch + 1)
        try engine.accept(script.next(.settlement(ExpirySettlement(instrument: F.btcFuture, price: try fixed("72000"))), at: after))
        #expect(engine.accounts.allSatisfy { $0.instrumentSettings.isEmpty })
    }

    @Test("a settled position keeps no leverage for a next one")
    func settledHolder() throws {
        var (engine, script) = try H.engine([("alice", 100_000), ("bob", 100_000)])
        try engine.accept(script.next(try H.fill(on: F.btcFuture, "60500", 500, buyer: Fill.Side(account: "alice", leverage: 5),
                                                 seller: Fill.Side(account: "bob"))))
        let after = Timestamp(millisecondsSinceEpoch: F.expiry.millisecondsSinceEpoch + 1)
        try engine.accept(script.next(.settlement(ExpirySettlement(instrument: F.btcFuture, price: try fixed("72000"))), at: after))
        #expect(engine.accounts[0].positions.isEmpty)
        #expect(engine.accounts[0].instrumentSettings.isEmpty)
    }
}

/// The `leverage` event, on the fixture's BTCUSDT brackets: 1 BTC at 60,000 is tier 2 (100x), so its IM is 600 at the
/// cap and 60,000 / L at a chosen leverage L.
@Suite("Engine: leverage events")
struct EngineLeverageEventTests {
    typealias F = EngineFixture
    typealias H = EngineHedgeModeTests

    static func change(_ account: String, _ instrument: InstrumentID, _ leverage: Double) -> EventBody {
        .leverage(LeverageChange(account: account, instrument: instrument, leverage: leverage))
    }

    @Test("a held cross position is re-levered while the pool covers its IM; a change it cannot cover changes nothing")
    func crossPosition() throws {
        var (engine, script) = try H.engine([("alice", 10_000), ("bob", 100_000)])
        try engine.accept(script.next(try H.fill("60000", 1_000, buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob"))))
        #expect(engine.status(of: .account(0)).cross.figures.initial == 600 * H.usdc)
        // 10x: IM 6,000 ≤ margin balance 10,000.
        try engine.accept(script.next(Self.change("alice", F.btcusdt, 10)))
        #expect(engine.accounts[0].position(F.btcusdt)?.leverage == 10)
        #expect(engine.status(of: .account(0)).cross.figures.initial == 6_000 * H.usdc)
        // 5x: IM 12,000 > 10,000: refused, nothing changes.
        let hash = engine.stateHash
        let refused = try engine.reject(script.next(Self.change("alice", F.btcusdt, 5)))
        #expect(refused.code == .insufficientMargin && refused.field == "leverage")
        #expect(refused.message == "at 5x the cross pool would need initial margin 12000.000000 USD with a margin balance of 10000.000000 USD",
                "\(refused.message)")
        #expect(engine.stateHash == hash)
        #expect(engine.accounts[0].position(F.btcusdt)?.leverage == 10)
        #expect(engine.status(of: .account(0)).cross.figures.initial == 6_000 * H.usdc)
        // Raising the leverage lowers the IM here, so it passes: 20x, IM 3,000.
        try engine.accept(script.next(Self.change("alice", F.btcusdt, 20)))
        #expect(engine.status(of: .account(0)).cross.figures.initial == 3_000 * H.usdc)
    }

    @Test("an isolated position is re-levered against its own margin")
    func isolatedPosition() throws {
        var (engine, script) = try H.engine([("alice", 10_000), ("bob", 100_000)])
        // 0.1 BTC at 60,000 isolated at 10x: 600 moves in.
        try engine.accept(script.next(try H.fill("60000", 100, buyer: Fill.Side(account: "alice", leverage: 10, isolated: true),
                                                 seller: Fill.Side(account: "bob"))))
        #expect(engine.accounts[0].position(F.btcusdt)?.mode == .isolated(margin: 600 * H.usdc))
        // 5x needs 1,200 of the isolated pool's 600, though the cross pool has 9,400.
        let before = engine.stateHash
        let refused = try engine.reject(script.next(Self.change("alice", F.btcusdt, 5)))
        #expect(engine.stateHash == before)
        #expect(refused.code == .insufficientMargin)
        #expect(refused.message.contains("the isolated BTCUSDT position would need initial margin 1200.000000"), "\(refused.message)")
        // 20x: IM 300; the margin stays.
        try engine.accept(script.next(Self.change("alice", F.btcusdt, 20)))
        #expect(engine.accounts[0].position(F.btcusdt)?.leverage == 20)
        #expect(engine.accounts[0].position(F.btcusdt)?.mode == .isolated(margin: 600 * H.usdc))
    }

    @Test("hedge-mode legs both take the instrument's leverage")
    func hedgeLegs() throws {
        var (engine, script) = try H.hedged()
        // Alice: long 1 at 10x (IM 6,000), short 0.4 at 125x (192). At 20x: 3,000 + 1,200.
        try engine.accept(script.next(Self.change("alice", F.btcusdt, 20)))
        #expect(engine.accounts[0].positions.map(\.leverage) == [20, 20])
        #expect(engine.status(of: .account(0)).cross.figures.initial == 4_200 * H.usdc)
    }

    @Test("with no position held the account keeps the leverage for the next fill; bad changes are named")
    func flatInstrument() throws {
        var (engine, script) = try H.engine([("alice", 10_000), ("bob", 100_000)])
        try engine.accept(script.next(Self.change("alice", F.ethusdt, 2)))
        #expect(engine.accounts[0].instrumentSettings == [InstrumentSetting(instrument: F.ethusdt, leverage: 2)])
        // 1 ETH at 3,000 at 2x: IM 1,500.
        try engine.accept(script.next(.fill(Fill(instrument: F.ethusdt, price: try fixed("3000"), size: 100,
                                                  buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob")))))
        #expect(engine.accounts[0].position(F.ethusdt)?.leverage == 2)
        #expect(engine.status(of: .account(0)).cross.figures.initial == 1_500 * H.usdc)

        let option = try engine.reject(script.next(Self.change("alice", F.btcCall, 2)))
        #expect(option.code == .invalidField && option.field == "instrument")
        let spot = try engine.reject(script.next(Self.change("alice", F.btcSpot, 2)))
        #expect(spot.field == "instrument")
        for bad in [0.5, .nan, .infinity] {
            let rejection = try engine.reject(script.next(Self.change("alice", F.ethusdt, bad)))
            #expect(rejection.code == .invalidField && rejection.field == "leverage")
        }
        let unknown = try engine.reject(script.next(Self.change("nobody", F.ethusdt, 2)))
        #expect(unknown.code == .unknown && unknown.field == "account")
    }
}
