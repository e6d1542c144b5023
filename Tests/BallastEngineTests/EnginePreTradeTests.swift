import BallastCore
import BallastEngine
import Testing

@Suite("Engine: pre-trade check")
struct EnginePreTradeTests {
    typealias F = EngineFixture
    static let usdc: Int128 = 1_000_000

    /// alice and carol hold 1,000 USDC each; bob and dave hold nothing; bob and carol share the pool "desk".
    func engine() throws -> Engine {
        var engine = Engine(genesis: try F.genesis())
        var script = EventScript()
        for (id, amount) in [("alice", 1_000 * Self.usdc), ("bob", 0), ("carol", 1_000 * Self.usdc), ("dave", 0)] {
            try engine.accept(script.next(.openAccount(AccountOpening(account: id))))
            if amount > 0 { try engine.accept(script.next(.deposit(FundsMovement(account: id, asset: F.usdc, amount: amount)))) }
        }
        try engine.accept(script.next(.group(GroupMembership(account: "bob", group: "desk"))))
        try engine.accept(script.next(.group(GroupMembership(account: "carol", group: "desk"))))
        return engine
    }

    @Test("initial margin after the order against margin balance, by hand; nothing changes")
    func byHand() throws {
        let engine = try engine()
        let hash = engine.stateHash
        // Buy 0.3 BTCUSDT at the mark 60,000 with leverage 20: IM = 0.3 · 60,000 / 20 = 900 ≤ 1,000.
        let small = try engine.preTradeCheck(Trade(instrument: F.btcusdt, size: 300, price: try fixed("60000"), leverage: 20), account: "alice")
        #expect(small.passes && !small.reducesOnly)
        #expect(small.after.initial == 900 * Self.usdc)
        #expect(small.after.marginBalance == 1_000 * Self.usdc)
        #expect(small.before.initial == 0)
        // 0.4 BTC: IM = 1,200 > 1,000, short by 200.
        let large = try engine.preTradeCheck(Trade(instrument: F.btcusdt, size: 400, price: try fixed("60000"), leverage: 20), account: "alice")
        #expect(!large.passes)
        #expect(large.after.initial == 1_200 * Self.usdc)
        #expect(large.reason.contains("by 200"))
        // A fee counts against the margin balance: 0.3 BTC with a 101 USDC fee leaves 899 < 900.
        let withFee = try engine.preTradeCheck(Trade(instrument: F.btcusdt, size: 300, price: try fixed("60000"), fee: 101 * Self.usdc, leverage: 20),
                                               account: "alice")
        #expect(!withFee.passes)
        #expect(engine.stateHash == hash)
    }

    /// Buy 0.34 BTCUSDT at 59,900 (mark 60,000) at 20x for alice's 1,000 USDC: IM = 0.34 · 60,000 / 20 = 1,020 and the
    /// fill is 0.34 · 100 = 34 better than the mark. Counted (the default) the margin balance after is 1,034 and the order
    /// passes, cost 1,020 − 34 = 986; under `openGain = .ignored` (Binance) the check uses 1,000 and fails by 20, cost
    /// 1,020.
    @Test("the engine's check follows the open-gain convention of its parameters", arguments: [OpenGainCredit.counted, .ignored])
    func openGain(convention: OpenGainCredit) throws {
        var genesis = try F.genesis()
        genesis.parameters.conventions.openGain = convention
        var engine = Engine(genesis: genesis)
        var script = EventScript()
        try engine.accept(script.next(.openAccount(AccountOpening(account: "alice"))))
        try engine.accept(script.next(.deposit(FundsMovement(account: "alice", asset: F.usdc, amount: 1_000 * Self.usdc))))
        let check = try engine.preTradeCheck(Trade(instrument: F.btcusdt, size: 340, price: try fixed("59900"), leverage: 20), account: "alice")
        #expect(check.after.initial == 1_020 * Self.usdc)
        #expect(check.passes == (convention == .counted))
        #expect(check.uncountedGain == (convention == .counted ? 0 : 34 * Self.usdc))
        #expect(check.cost == (convention == .counted ? 986 : 1_020) * Self.usdc)
    }

    @Test("a group member's order is checked against the group's pool")
    func groupPool() throws {
        let engine = try engine()
        let order = Trade(instrument: F.btcusdt, size: 300, price: try fixed("60000"), leverage: 20)
        let bob = try engine.preTradeCheck(order, account: "bob")
        #expect(bob.passes)
        #expect(bob.after.marginBalance == 1_000 * Self.usdc)
        let dave = try engine.preTradeCheck(order, account: "dave")
        #expect(!dave.passes)
    }

    @Test("invalid orders are refused naming the field")
    func invalid() throws {
        let engine = try engine()
        let price = try fixed("60000")
        let offTick = try fixed("60000.05")
        #expect(throws: EventRejection.self) { try engine.preTradeCheck(Trade(instrument: F.btcusdt, size: 0, price: price), account: "alice") }
        do throws(EventRejection) {
            _ = try engine.preTradeCheck(Trade(instrument: F.btcusdt, size: 300, price: offTick), account: "alice")
            Issue.record("an off-tick price passed")
        } catch {
            #expect(error.field == "price")
        }
        do throws(EventRejection) {
            _ = try engine.preTradeCheck(Trade(instrument: F.btcusdt, size: 300, price: price), account: "nobody")
            Issue.record("an unknown account passed")
        } catch {
            #expect(error.field == "account" && error.value == "nobody")
        }
        do throws(EventRejection) {
            _ = try engine.preTradeCheck(Trade(instrument: InstrumentID(99), size: 300, price: price), account: "alice")
            Issue.record("an unknown instrument passed")
        } catch {
            #expect(error.field == "instrument")
        }
    }
}
