import BallastCore
@testable import BallastEngine
import Testing

/// Hedge-mode (two-way) fills in the engine: a fill's side names the leg it goes to, each leg is margined, funded,
/// settled and journaled on its own. Every figure is derived by hand in the comments, on the fixture's BTCUSDT brackets
/// (tier 1 below 50,000: 0.4 %, 125x; tier 2 below 250,000: 0.5 % less 50, 100x).
@Suite("Engine: hedge-mode legs")
struct EngineHedgeModeTests {
    typealias F = EngineFixture

    /// 1 USDC in ledger units.
    static let usdc: Int128 = 1_000_000

    static func engine(_ funded: [(String, Int128)]) throws -> (Engine, EventScript) {
        var engine = Engine(genesis: try F.genesis())
        var script = EventScript()
        for (id, amount) in funded {
            try engine.accept(script.next(.openAccount(AccountOpening(account: id))))
            try engine.accept(script.next(.deposit(FundsMovement(account: id, asset: F.usdc, amount: amount * usdc))))
        }
        return (engine, script)
    }

    static func fill(on instrument: InstrumentID = F.btcusdt, _ price: String, _ size: Int64, buyer: Fill.Side?, seller: Fill.Side?) throws -> EventBody {
        .fill(Fill(instrument: instrument, price: try fixed(price), size: size, buyer: buyer, seller: seller))
    }

    /// Alice (10,000 USDC) buys 1 BTC on her long leg at 60,000 from Bob at 10x and sells 0.4 on her short leg to Carol at
    /// 125x (a leverage of its own: without one it would open at the long leg's 10x).
    static func hedged() throws -> (Engine, EventScript) {
        var (engine, script) = try engine([("alice", 10_000), ("bob", 100_000), ("carol", 100_000)])
        try engine.accept(script.next(try fill("60000", 1_000, buyer: Fill.Side(account: "alice", leverage: 10, positionSide: .long),
                                               seller: Fill.Side(account: "bob"))))
        try engine.accept(script.next(try fill("60000", 400, buyer: Fill.Side(account: "carol"),
                                               seller: Fill.Side(account: "alice", leverage: 125, positionSide: .short))))
        return (engine, script)
    }

    @Test("fills open two legs margined apart; a fill against a leg closes part of it; flips and mixed modes are refused")
    func legs() throws {
        var (engine, script) = try Self.hedged()
        let alice = engine.accounts[0]
        #expect(alice.position(F.btcusdt, side: .long)?.size == 1_000)
        #expect(alice.position(F.btcusdt, side: .short)?.size == -400)
        #expect(alice.position(F.btcusdt) == nil)
        // Each leg its own bracket, no netting: long 60,000 at 10x → IM 6,000, MM 60,000 × 0.5 % − 50 = 250; short 24,000
        // at 125x → IM 24,000 / 125 = 192, MM 24,000 × 0.4 % = 96. One-way, the net 0.6 BTC would need 144.
        let status = engine.status(of: .account(0))
        #expect(status.cross.figures.initial == 6_192 * Self.usdc)
        #expect(status.cross.figures.maintenance == 346 * Self.usdc)
        #expect(status.cross.figures.marginBalance == 10_000 * Self.usdc)

        // A buy of 0.1 on the short leg at 59,000 closes part of it: realised (60,000 − 59,000) × 0.1 = 100.
        try engine.accept(script.next(try Self.fill("59000", 100, buyer: Fill.Side(account: "alice", positionSide: .short),
                                                    seller: Fill.Side(account: "carol"))))
        #expect(engine.accounts[0].position(F.btcusdt, side: .short)?.size == -300)
        #expect(engine.accounts[0].position(F.btcusdt, side: .long)?.size == 1_000)
        #expect(engine.accounts[0].balance(F.usdc) == 10_100 * Self.usdc)
        #expect(LedgerAudit.imbalances(engine).isEmpty)

        let before = engine.stateHash
        // Selling 1.1 on the long leg of 1 would take it past zero.
        let flip = try engine.reject(script.next(try Self.fill("60000", 1_100, buyer: Fill.Side(account: "bob"),
                                                               seller: Fill.Side(account: "alice", positionSide: .long))))
        #expect(flip.field == "seller.position_side" && flip.value == "long")
        #expect(flip.message.contains("never flips"), "\(flip.message)")
        // A one-way fill on an instrument alice holds in legs, and a leg of an option.
        let oneWay = try engine.reject(script.next(try Self.fill("60000", 100, buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob"))))
        #expect(oneWay.field == "buyer.position_side" && oneWay.value == "both")
        let option = try engine.reject(script.next(try Self.fill(on: F.btcCall, "1500", 100, buyer: Fill.Side(account: "carol", positionSide: .long),
                                                                 seller: Fill.Side(account: "bob"))))
        #expect(option.field == "buyer.position_side" && option.message.contains("only futures and perpetuals"), "\(option.message)")
        // Bob holds BTCUSDT one way: a leg fill for him is refused too.
        let leg = try engine.reject(script.next(try Self.fill("60000", 100, buyer: Fill.Side(account: "carol"),
                                                              seller: Fill.Side(account: "bob", positionSide: .short))))
        #expect(leg.field == "seller.position_side" && leg.value == "short")
        #expect(engine.stateHash == before)
    }

    @Test("funding is paid on each leg's own size")
    func funding() throws {
        var (engine, script) = try Self.hedged()
        // Rate 0.01 % at 60,000: the long leg of 1 pays 6, the short leg of 0.4 receives 2.4: alice −3.6.
        // Bob (short 1, one way) receives 6, Carol (long 0.4) pays 2.4: the payments cancel, the fund is unchanged.
        try engine.accept(script.next(.funding(FundingPayment(instrument: F.btcusdt, rate: try fixed("0.0001"), price: try fixed("60000")))))
        #expect(engine.accounts[0].balance(F.usdc) == 10_000 * Self.usdc - 3_600_000)
        #expect(engine.accounts[1].balance(F.usdc) == 100_006 * Self.usdc)
        #expect(engine.accounts[2].balance(F.usdc) == 100_000 * Self.usdc - 2_400_000)
        #expect(engine.ledger[F.usdc.index].insuranceFund == 0)
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }

    @Test("expiry settles each leg of a future at the delivery price")
    func settlement() throws {
        var (engine, script) = try Self.engine([("alice", 100_000), ("bob", 100_000), ("carol", 100_000)])
        try engine.accept(script.next(try Self.fill(on: F.btcFuture, "60500", 1_000, buyer: Fill.Side(account: "alice", positionSide: .long),
                                                    seller: Fill.Side(account: "bob"))))
        try engine.accept(script.next(try Self.fill(on: F.btcFuture, "61000", 500, buyer: Fill.Side(account: "carol"),
                                                    seller: Fill.Side(account: "alice", positionSide: .short))))
        let after = Timestamp(millisecondsSinceEpoch: F.expiry.millisecondsSinceEpoch + 1)
        try engine.accept(script.next(.settlement(ExpirySettlement(instrument: F.btcFuture, price: try fixed("62000"))), at: after))
        // Alice: long 1 × (62,000 − 60,500) = +1,500, short 0.5 × (61,000 − 62,000) = −500. Bob −1,500, Carol +500.
        #expect(engine.accounts[0].balance(F.usdc) == 101_000 * Self.usdc)
        #expect(engine.accounts[1].balance(F.usdc) == 98_500 * Self.usdc)
        #expect(engine.accounts[2].balance(F.usdc) == 100_500 * Self.usdc)
        #expect(engine.accounts.allSatisfy { $0.positions.isEmpty })
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }

    @Test("an isolated leg is its own pool, and its signal names the leg")
    func isolatedLeg() throws {
        var (engine, script) = try Self.engine([("alice", 10_000), ("bob", 100_000), ("carol", 100_000)])
        try engine.accept(script.next(try Self.fill("60000", 1_000, buyer: Fill.Side(account: "alice", leverage: 10, isolated: true, positionSide: .long),
                                                    seller: Fill.Side(account: "bob"))))
        try engine.accept(script.next(try Self.fill("60000", 400, buyer: Fill.Side(account: "carol"),
                                                    seller: Fill.Side(account: "alice", leverage: 125, isolated: true, positionSide: .short))))
        // Each leg took its IM out of the cross balance: long 60,000 / 10 = 6,000, short (at its own 125x) 24,000 / 125 = 192.
        #expect(engine.accounts[0].balance(F.usdc) == 3_808 * Self.usdc)
        #expect(engine.accounts[0].position(F.btcusdt, side: .long)?.mode == .isolated(margin: 6_000 * Self.usdc))
        #expect(engine.accounts[0].position(F.btcusdt, side: .short)?.mode == .isolated(margin: 192 * Self.usdc))
        // At 54,200 the long leg's pool holds 6,000 − 5,800 = 200 against MM 54,200 × 0.5 % − 50 = 221: liquidation (ratio
        // 0.90 < 1.05). The short leg's pool gains 2,320 and the cross pool holds cash only: both stay healthy.
        let signals = try engine.accept(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: 54_200)],
                                                                        marks: [MarkQuote(instrument: F.btcusdt, price: 54_200)]))))
        let alices = signals.filter { $0.subject == .account("alice") }
        #expect(alices.count == 1)
        let signal = try #require(alices.first)
        #expect(signal.isolated == F.btcusdt && signal.isolatedSide == .long && signal.to == .liquidation)
        #expect(signal.pool(in: engine.catalog) == "BTCUSDT long")
        #expect(signal.figures.maintenance == 221 * Self.usdc && signal.figures.equity == 200 * Self.usdc)
        let status = engine.status(of: .account(0))
        #expect(status.isolated.map(\.side) == [.long, .short])
        #expect(status.isolated.map(\.pool.state) == [.liquidation, .healthy])
        #expect(status.cross.state == .healthy)
        // Back at 60,000 only the long leg's pool changes state again: it recovers.
        let back = try engine.accept(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: 60_000)],
                                                                     marks: [MarkQuote(instrument: F.btcusdt, price: 60_000)]))))
        let recovered = back.filter { $0.subject == .account("alice") }
        #expect(recovered.map(\.isolatedSide) == [.long] && recovered.map(\.kind) == [.recovered])
    }

    @Test("a group nets a leg with the same leg of another member, never a long leg with a short one")
    func group() throws {
        var (engine, script) = try Self.engine([("alice", 10_000), ("dave", 10_000), ("bob", 100_000)])
        for member in ["alice", "dave"] { try engine.accept(script.next(.group(GroupMembership(account: member, group: "desk")))) }
        try engine.accept(script.next(try Self.fill("60000", 1_000, buyer: Fill.Side(account: "alice", positionSide: .long),
                                                    seller: Fill.Side(account: "bob"))))
        try engine.accept(script.next(try Self.fill("60000", 1_000, buyer: Fill.Side(account: "bob"),
                                                    seller: Fill.Side(account: "dave", positionSide: .short))))
        // Long leg 1 and short leg 1, each 60,000 × 0.5 % − 50 = 250: 500, where one-way positions would net to 0.
        let unit = engine.unit(ofAccount: 0)
        #expect(unit.group != nil)
        #expect(engine.status(of: unit).cross.figures.maintenance == 500 * Self.usdc)
        // Dave adds a long leg: it nets with Alice's (2 BTC = 120,000 × 0.5 % − 50 = 550).
        try engine.accept(script.next(try Self.fill("60000", 1_000, buyer: Fill.Side(account: "dave", positionSide: .long),
                                                    seller: Fill.Side(account: "bob"))))
        #expect(engine.status(of: unit).cross.figures.maintenance == 800 * Self.usdc)
    }

    @Test("legs survive the journal and the snapshot: same events, same positions, same hash")
    func codecs() throws {
        let (engine, _) = try Self.hedged()
        let event = EngineEvent(id: "x", sequence: 9, time: F.start, body: try Self.fill("60000", 100,
            buyer: Fill.Side(account: "alice", fee: 3, leverage: 20, isolated: true, positionSide: .short), seller: Fill.Side(account: "bob", positionSide: .long)))
        let decoded = try EventCodec.decode(EventCodec.encode(event), catalog: engine.catalog) { try F.parameterChange($0, over: engine.latestParameters) }
        guard case .fill(let original) = event.body, case .fill(let read) = decoded.body else { throw MissingValue() }
        #expect(read == original && decoded.id == event.id && decoded.sequence == event.sequence)
        let twin = try SnapshotCodec.decode(SnapshotCodec.encode(engine), documents: F.Documents())
        #expect(twin.stateHash == engine.stateHash)
        #expect(twin.accounts[0].positions == engine.accounts[0].positions)
        #expect(twin.accounts[0].positions.map(\.side) == [.long, .short])
        // A one-way position's flags are the Boolean of the format before hedge mode (0 cross, 1 isolated), so older
        // journals and snapshots read unchanged; a byte no position has is an error, not a crash.
        #expect(PositionFlags.byte(isolated: false, side: .net) == 0 && PositionFlags.byte(isolated: true, side: .net) == 1)
        for byte: UInt8 in [0, 1, 2, 3, 4, 5] {
            var reader = BinaryReader([byte])
            let (isolated, side) = try PositionFlags.read(&reader)
            #expect(PositionFlags.byte(isolated: isolated, side: side) == byte)
        }
        for byte: UInt8 in [6, 7, 8, 255] {
            var reader = BinaryReader([byte])
            #expect(throws: CodecError.self) { _ = try PositionFlags.read(&reader) }
        }
    }

    /// A group member's hypothetical trades go to its own account: Alice and Dave each hold a long leg of 1 BTC and Erin
    /// is short 0.5 one way, all in one group. The pool's long leg is 2, but Dave can close only his own 1; a close of
    /// 1.5 flips his leg and is refused; Erin trades one way although the pool holds legs. The checks are the pool's.
    @Test("a group member's what-if and max-size follow its own legs; the margin check is the group's pool")
    func groupMemberQueries() throws {
        var (engine, script) = try Self.engine([("alice", 10_000), ("dave", 10_000), ("erin", 10_000), ("bob", 100_000)])
        for member in ["alice", "dave", "erin"] { try engine.accept(script.next(.group(GroupMembership(account: member, group: "desk")))) }
        for member in ["alice", "dave"] {
            try engine.accept(script.next(try Self.fill("60000", 1_000, buyer: Fill.Side(account: member, positionSide: .long),
                                                        seller: Fill.Side(account: "bob"))))
        }
        try engine.accept(script.next(try Self.fill("60000", 500, buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "erin"))))
        let context = engine.context
        let price = try fixed("60000")
        let dave = engine.accounts[1]
        let sharing = try #require(engine.sharedPool(ofAccount: 1))
        #expect(sharing.pool(with: dave) == engine.poolAccount(of: engine.unit(ofAccount: 1)))

        let close = try MaxOrderSize.search(account: dave, instrument: F.btcusdt, side: .sell, price: price, context: context, positionSide: .long,
                                            sharing: sharing)
        #expect(close.size == 1_000)
        // Searched on the pooled account alone, the close would be bounded by the pool's leg of 2 instead.
        let pooled = try MaxOrderSize.search(account: sharing.pool(with: dave), instrument: F.btcusdt, side: .sell, price: price, context: context,
                                             positionSide: .long)
        #expect(pooled.size == 2_000)
        #expect(throws: WhatIfError.self) {
            _ = try WhatIf(account: dave, trades: [Trade(instrument: F.btcusdt, size: -1_500, price: price, side: .long)], context: context,
                           sharing: sharing)
        }
        let buy = try WhatIf(account: dave, trades: [Trade(instrument: F.btcusdt, size: 100, price: price, side: .long)], context: context,
                             sharing: sharing)
        // Before the trade the report is the group's pool: MM = long leg 2 BTC, 120,000 × 0.5 % − 50 = 550, plus Erin's
        // 30,000 × 0.4 % = 120.
        #expect(buy.before.cross.figures.maintenance == 670 * Self.usdc)
        #expect(buy.before.cross.figures.maintenance == engine.status(of: engine.unit(ofAccount: 1)).cross.figures.maintenance)
        #expect(buy.accountAfter.position(F.btcusdt, side: .long)?.size == 1_100)

        // Erin holds BTCUSDT one way: her largest buy is one way, and one lot more fails the pool's check.
        let erin = engine.accounts[2]
        let erinSharing = try #require(engine.sharedPool(ofAccount: 2))
        let largest = try MaxOrderSize.search(account: erin, instrument: F.btcusdt, side: .buy, price: price, context: context, sharing: erinSharing)
        #expect(largest.size > 500)
        #expect(largest.check?.passes == true)
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        let more = try PreTradeCheck.evaluate(Trade(instrument: F.btcusdt, size: largest.size + 1, price: price), account: erin, context: context,
                                              sharing: erinSharing, workspace: &workspace).0
        #expect(!more.passes)
    }
}
