import BallastCore
@testable import BallastEngine
import Testing

/// The margin mode kept per instrument, as venues keep the margin type per symbol: the `margin_mode` event, fills that
/// name no mode, closes that leave the mode, snapshots and settlement. On the fixture's BTCUSDT brackets: 0.1 BTC at
/// 60,000 at 10x holds IM 6,000 / 10 = 600, which moves into an isolated position from the cross balance.
@Suite("Engine: margin mode kept per instrument")
struct EngineMarginModeTests {
    typealias F = EngineFixture
    typealias H = EngineHedgeModeTests

    static func mode(_ account: String, _ instrument: InstrumentID, isolated: Bool) -> EventBody {
        .marginMode(MarginModeChange(account: account, instrument: instrument, isolated: isolated))
    }

    @Test("a margin_mode event makes the next fill without a mode open isolated; a close keeps mode and leverage; snapshots keep both")
    func isolatedSetting() throws {
        var (engine, script) = try H.engine([("alice", 10_000), ("bob", 100_000)])
        try engine.accept(script.next(Self.mode("alice", F.btcusdt, isolated: true)))
        #expect(engine.accounts[0].instrumentSettings == [InstrumentSetting(instrument: F.btcusdt, isolated: true)])

        try engine.accept(script.next(try H.fill("60000", 100, buyer: Fill.Side(account: "alice", leverage: 10), seller: Fill.Side(account: "bob"))))
        #expect(engine.accounts[0].position(F.btcusdt)?.mode == .isolated(margin: 600 * H.usdc))
        #expect(engine.accounts[0].balance(F.usdc) == 9_400 * H.usdc)
        #expect(engine.accounts[0].instrumentSettings.isEmpty)
        // Bob named no mode and had none chosen: cross.
        #expect(engine.accounts[1].position(F.btcusdt)?.mode == .cross)

        try engine.accept(script.next(try H.fill("60000", 100, buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "alice"))))
        #expect(engine.accounts[0].positions.isEmpty)
        #expect(engine.accounts[0].balance(F.usdc) == 10_000 * H.usdc)
        #expect(engine.accounts[0].instrumentSettings == [InstrumentSetting(instrument: F.btcusdt, leverage: 10, isolated: true)])
        let restored = try SnapshotCodec.decode(SnapshotCodec.encode(engine), documents: F.Documents())
        #expect(restored.stateHash == engine.stateHash)
        #expect(restored.accounts[0].instrumentSettings == engine.accounts[0].instrumentSettings)

        // Reopened with neither: isolated at 10x again, 0.2 BTC holding 1,200.
        try engine.accept(script.next(try H.fill("60000", 200, buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob"))))
        #expect(engine.accounts[0].position(F.btcusdt)?.mode == .isolated(margin: 1_200 * H.usdc))
        #expect(engine.accounts[0].position(F.btcusdt)?.leverage == 10)
    }

    @Test("a fill naming cross overrides the setting of an instrument not held")
    func namedCross() throws {
        var (engine, script) = try H.engine([("alice", 10_000), ("bob", 100_000)])
        try engine.accept(script.next(Self.mode("alice", F.btcusdt, isolated: true)))
        try engine.accept(script.next(try H.fill("60000", 100, buyer: Fill.Side(account: "alice", leverage: 10, isolated: false),
                                                 seller: Fill.Side(account: "bob"))))
        #expect(engine.accounts[0].position(F.btcusdt)?.mode == .cross)
        #expect(engine.status(of: .account(0)).cross.figures.initial == 600 * H.usdc)
    }

    @Test("the mode changes only with no position open, and a fill naming the other mode than its position is refused")
    func heldPosition() throws {
        var (engine, script) = try H.engine([("alice", 10_000), ("bob", 100_000), ("carol", 10_000)])
        try engine.accept(script.next(try H.fill("60000", 100, buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob"))))
        let hash = engine.stateHash
        let refused = try engine.reject(script.next(Self.mode("alice", F.btcusdt, isolated: true)))
        #expect(refused.code == .notApplicable && refused.field == "mode" && refused.value == "isolated")
        #expect(refused.message == "alice holds BTCUSDT in cross margin: the margin mode changes only with no position open", "\(refused.message)")
        #expect(engine.stateHash == hash)
        // The mode it already has: nothing to change.
        try engine.accept(script.next(Self.mode("alice", F.btcusdt, isolated: false)))
        #expect(engine.accounts[0].instrumentSettings.isEmpty)

        let before = engine.stateHash
        let named = try engine.reject(script.next(try H.fill("60000", 100, buyer: Fill.Side(account: "alice", isolated: true),
                                                             seller: Fill.Side(account: "bob"))))
        #expect(named.code == .notApplicable && named.field == "buyer.isolated" && named.value == "true")
        #expect(named.message == "buyer.isolated: trade of BTCUSDT is isolated, but the account holds BTCUSDT in cross margin (a position keeps the mode it opened in, and hedge-mode legs share theirs)",
                "\(named.message)")
        #expect(engine.stateHash == before)

        // An isolated position refuses a fill naming cross; one naming nothing adds to it.
        try engine.accept(script.next(try H.fill("60000", 100, buyer: Fill.Side(account: "carol", leverage: 10, isolated: true),
                                                 seller: Fill.Side(account: "bob"))))
        let cross = try engine.reject(script.next(try H.fill("60000", 100, buyer: Fill.Side(account: "carol", isolated: false),
                                                             seller: Fill.Side(account: "bob"))))
        #expect(cross.field == "buyer.isolated" && cross.message.contains("is cross, but the account holds BTCUSDT in isolated margin"), "\(cross.message)")
        try engine.accept(script.next(try H.fill("60000", 100, buyer: Fill.Side(account: "carol"), seller: Fill.Side(account: "bob"))))
        #expect(engine.accounts[2].position(F.btcusdt)?.mode == .isolated(margin: 1_200 * H.usdc))
    }

    @Test("a hedge-mode leg opens in the held leg's mode")
    func hedgeLeg() throws {
        var (engine, script) = try H.engine([("alice", 10_000), ("bob", 100_000)])
        try engine.accept(script.next(try H.fill("60000", 100, buyer: Fill.Side(account: "alice", leverage: 10, isolated: true, positionSide: .long),
                                                 seller: Fill.Side(account: "bob"))))
        try engine.accept(script.next(try H.fill("60000", 100, buyer: Fill.Side(account: "bob"),
                                                 seller: Fill.Side(account: "alice", positionSide: .short))))
        #expect(engine.accounts[0].position(F.btcusdt, side: .short)?.mode == .isolated(margin: 600 * H.usdc))
        let refused = try engine.reject(script.next(Self.mode("alice", F.btcusdt, isolated: false)))
        #expect(refused.message == "alice holds BTCUSDT long in isolated margin: the margin mode changes only with no position open", "\(refused.message)")
        // The mode both legs have: nothing changes.
        let accounts = engine.accounts
        try engine.accept(script.next(Self.mode("alice", F.btcusdt, isolated: true)))
        #expect(engine.accounts == accounts)
        // A leg naming the other mode is refused.
        let mixed = try engine.reject(script.next(try H.fill("60000", 100, buyer: Fill.Side(account: "alice", isolated: false, positionSide: .long),
                                                             seller: Fill.Side(account: "bob"))))
        #expect(mixed.field == "buyer.isolated" && mixed.message.contains("holds BTCUSDT long in isolated margin"), "\(mixed.message)")
    }

    @Test("bad margin mode events are named and change nothing")
    func badEvents() throws {
        var (engine, script) = try H.engine([("alice", 10_000), ("bob", 100_000)])
        let option = try engine.reject(script.next(Self.mode("alice", F.btcCall, isolated: true)))
        #expect(option.code == .invalidField && option.field == "instrument" && option.value == "BTC-25JUN21-70000-C", "\(option)")
        let spot = try engine.reject(script.next(Self.mode("alice", F.btcSpot, isolated: false)))
        #expect(spot.field == "instrument")
        let unknown = try engine.reject(script.next(Self.mode("nobody", F.ethusdt, isolated: true)))
        #expect(unknown.code == .unknown && unknown.field == "account")
        let after = Timestamp(millisecondsSinceEpoch: F.expiry.millisecondsSinceEpoch + 1)
        let expired = try engine.reject(script.next(Self.mode("alice", F.btcFuture, isolated: true), at: after))
        #expect(expired.code == .instrumentClosed)
        #expect(engine.accounts[0].instrumentSettings.isEmpty)
    }

    @Test("settlement forgets the margin mode kept for the expired future")
    func expiry() throws {
        var (engine, script) = try H.engine([("alice", 100_000), ("bob", 100_000)])
        try engine.accept(script.next(Self.mode("alice", F.btcFuture, isolated: true)))
        try engine.accept(script.next(Self.mode("bob", F.btcusdt, isolated: true)))
        let after = Timestamp(millisecondsSinceEpoch: F.expiry.millisecondsSinceEpoch + 1)
        try engine.accept(script.next(.settlement(ExpirySettlement(instrument: F.btcFuture, price: try fixed("72000"))), at: after))
        #expect(engine.accounts[0].instrumentSettings.isEmpty)
        #expect(engine.accounts[1].instrumentSettings == [InstrumentSetting(instrument: F.btcusdt, isolated: true)])
    }

    /// Bit 3 names cross; a clear byte, what journals before margin mode settings hold, names no mode.
    @Test("a fill side's flags keep an omitted, a cross and an isolated mode; a byte no fill has is refused")
    func fillFlags() throws {
        for (isolated, side) in [(nil, PositionSide.net), (false, .net), (true, .net), (nil, .long), (false, .short), (true, .short)] as [(Bool?, PositionSide)] {
            var r = BinaryReader([PositionFlags.byte(named: isolated, side: side)])
            let read = try PositionFlags.readNamed(&r)
            #expect(read.isolated == isolated && read.side == side)
        }
        for (byte, isolated) in [(UInt8(0), nil), (1, true), (8, false), (10, false)] as [(UInt8, Bool?)] {
            var r = BinaryReader([byte])
            #expect(try PositionFlags.readNamed(&r).isolated == isolated)
        }
        for byte in [UInt8(9), 6, 14, 16, 255] {
            var r = BinaryReader([byte])
            #expect(throws: CodecError.self) { try PositionFlags.readNamed(&r) }
        }
        // A position's byte never has bit 3.
        var position = BinaryReader([8])
        #expect(throws: CodecError.self) { try PositionFlags.read(&position) }
    }

    @Test("format 3 snapshots keep only leverages; a snapshot's setting no event can make does not read")
    func snapshotSettings() throws {
        let catalog = try F.genesis().catalog
        let unsettled = Array(repeating: false, count: catalog.instruments.count)
        func decoded(_ bytes: [UInt8], format: UInt8 = SnapshotCodec.format) -> Account? {
            var r = BinaryReader(bytes)
            return try? SnapshotCodec.decodeAccount(&r, catalog: catalog, settled: unsettled, format: format)
        }
        func bytes(_ account: Account, format: UInt8 = SnapshotCodec.format) -> [UInt8] {
            var w = BinaryWriter(capacity: 64)
            SnapshotCodec.encode(account, into: &w, format: format)
            return w.bytes
        }
        var account = Account(id: "a")
        _ = account.setMarginMode(isolated: true, of: F.btcusdt)
        account.setLeverage(5, of: F.ethusdt)
        _ = account.setMarginMode(isolated: true, of: F.ethusdt)
        #expect(decoded(bytes(account)) == account)
        var leveragesOnly = Account(id: "a")
        leveragesOnly.setLeverage(5, of: F.ethusdt)
        #expect(decoded(bytes(account, format: 3), format: 3) == leveragesOnly)

        // The settings count is the last byte of an account without settings; what follows it is written by hand.
        let bare = Array(bytes(Account(id: "a")).dropLast())
        func withSettings(_ entries: [(InstrumentID, Double?, Bool)]) -> [UInt8] {
            var w = BinaryWriter(capacity: 32)
            w.count(entries.count)
            for (instrument, leverage, isolated) in entries {
                w.count(instrument.index)
                w.optionalDouble(leverage)
                w.bool(isolated)
            }
            return bare + w.bytes
        }
        #expect(decoded(withSettings([(F.btcusdt, nil, true), (F.ethusdt, 5, false)])) != nil)
        #expect(decoded(withSettings([(F.btcusdt, nil, false)])) == nil, "a setting that chooses nothing")
        #expect(decoded(withSettings([(F.ethusdt, nil, true), (F.btcusdt, nil, true)])) == nil, "out of order")
        #expect(decoded(withSettings([(F.btcusdt, nil, true), (F.btcusdt, 5, true)])) == nil, "twice")
        #expect(decoded(withSettings([(F.btcCall, nil, true)])) == nil, "an option")
        #expect(decoded(withSettings([(F.btcusdt, 0.5, true)])) == nil, "leverage below 1")
    }
}
