import BallastCore
@testable import BallastEngine
import Testing

/// The engine keeps a closed position's leverage with the account, through snapshots, and forgets it at expiry. On
/// the fixture's BTCUSDT brackets (tier 1 below 50,000 notional: 125x).
@Suite("Engine: leverage kept after a close")
struct EngineClosedLeverageTests {
    typealias F = EngineFixture
    typealias H = EngineHedgeModeTests

    @Test("a fill that reopens without a leverage takes the closed position's; a snapshot keeps it")
    func reopening() throws {
        var (engine, script) = try H.engine([("alice", 10_000), ("bob", 100_000)])
        try engine.accept(script.next(try H.fill("60000", 1_000, buyer: Fill.Side(account: "alice", leverage: 10), seller: Fill.Side(account: "bob"))))
        try engine.accept(script.next(try H.fill("60000", 1_000, buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "alice"))))
        #expect(engine.accounts[0].positions.isEmpty)
        #expect(engine.accounts[0].closedLeverages == [ClosedLeverage(instrument: F.btcusdt, leverage: 10)])

        let restored = try SnapshotCodec.decode(SnapshotCodec.encode(engine), documents: F.Documents())
        #expect(restored.stateHash == engine.stateHash)
        #expect(restored.accounts[0].closedLeverages == engine.accounts[0].closedLeverages)

        // 0.5 BTC at 60,000 = 30,000 at 10x: IM 3,000 (at tier 1's cap of 125x it would be 240).
        try engine.accept(script.next(try H.fill("60000", 500, buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob"))))
        #expect(engine.accounts[0].position(F.btcusdt)?.leverage == 10)
        #expect(engine.accounts[0].closedLeverages.isEmpty)
        #expect(engine.status(of: .account(0)).cross.figures.initial == 3_000 * H.usdc)
        // The freshly restored engine applies the same fill to the same state.
        var replayed = restored
        var again = script
        again.sequence -= 1
        try replayed.accept(again.next(try H.fill("60000", 500, buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob"))))
        #expect(replayed.stateHash == engine.stateHash)
    }

    @Test("settlement forgets the leverage kept for the expired future")
    func expiry() throws {
        var (engine, script) = try H.engine([("alice", 100_000), ("bob", 100_000)])
        try engine.accept(script.next(try H.fill(on: F.btcFuture, "60500", 500, buyer: Fill.Side(account: "alice", leverage: 5),
                                                 seller: Fill.Side(account: "bob", leverage: 4))))
        try engine.accept(script.next(try H.fill(on: F.btcFuture, "60500", 200, buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "alice"))))
        try engine.accept(script.next(try H.fill(on: F.btcFuture, "60500", 300, buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "alice"))))
        #expect(engine.accounts[0].closedLeverages == [ClosedLeverage(instrument: F.btcFuture, leverage: 5)])
        #expect(engine.accounts[1].closedLeverages == [ClosedLeverage(instrument: F.btcFuture, leverage: 4)])
        let after = Timestamp(millisecondsSinceEpoch: F.expiry.millisecondsSinceEpoch + 1)
        try engine.accept(script.next(.settlement(ExpirySettlement(instrument: F.btcFuture, price: try fixed("72000"))), at: after))
        #expect(engine.accounts.allSatisfy { $0.closedLeverages.isEmpty })
    }

    @Test("a settled position keeps no leverage for a next one")
    func settledHolder() throws {
        var (engine, script) = try H.engine([("alice", 100_000), ("bob", 100_000)])
        try engine.accept(script.next(try H.fill(on: F.btcFuture, "60500", 500, buyer: Fill.Side(account: "alice", leverage: 5),
                                                 seller: Fill.Side(account: "bob"))))
        let after = Timestamp(millisecondsSinceEpoch: F.expiry.millisecondsSinceEpoch + 1)
        try engine.accept(script.next(.settlement(ExpirySettlement(instrument: F.btcFuture, price: try fixed("72000"))), at: after))
        #expect(engine.accounts[0].positions.isEmpty)
        #expect(engine.accounts[0].closedLeverages.isEmpty)
    }
}
