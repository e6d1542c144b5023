import BallastCore
@testable import BallastEngine
import Testing

/// The engine's states with hysteresis: Alice holds 1 BTC of BTCUSDT bought at 60,000 with 1,000 USDC. At a price P
/// her margin balance is 1,000 + P − 60,000 and her maintenance P × 0.5 % − 50 (the bracket below 250,000). The bands
/// are 150 % / 120 % / 105 % with an exit buffer of 0.1.
@Suite("Engine: hysteresis of the health states")
struct EngineHysteresisTests {
    typealias F = EngineFixture

    /// The fixture with bands of 150 % / 120 % / 105 % and an exit buffer of 0.1.
    static func genesis() throws -> EngineGenesis {
        var genesis = try F.genesis()
        genesis.parameters.healthBands = try HealthBands(warningBelow: fixed("1.5"), reduceOnlyBelow: fixed("1.2"), liquidationBelow: fixed("1.05"),
                                                         exitBuffer: fixed("0.1"))
        return genesis
    }

    @Test("a ratio hovering at the liquidation threshold signals once; recovery waits for the threshold plus the buffer")
    func hovering() throws {
        let genesis = try Self.genesis()
        var engine = Engine(genesis: genesis)
        var script = EventScript()
        let usdc: Int128 = 1_000_000
        for (id, amount) in [("alice", 1_000 * usdc), ("bob", 100_000 * usdc)] {
            try engine.accept(script.next(.openAccount(AccountOpening(account: id))))
            try engine.accept(script.next(.deposit(FundsMovement(account: id, asset: F.usdc, amount: amount))))
        }
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                                                  buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob")))))
        func move(to price: Double) throws -> [HealthState] {
            let signals = try engine.accept(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: price)],
                                                                            marks: [MarkQuote(instrument: F.btcusdt, price: price)]))))
            let unit = engine.unit(ofAccount: 0)
            // What the engine holds is what a fresh evaluation from the held state gives.
            #expect(engine.freshStatus(of: unit).cross.state == engine.status(of: unit).cross.state)
            return signals.filter { $0.subject == .account("alice") }.map(\.to)
        }
        // 59,250: 250 / 246.25 = 1.015 ≤ 1.05: liquidation.
        #expect(try move(to: 59_250) == [.liquidation])
        // 59,270: 270 / 246.35 = 1.096, reduce-only by the entry bands, but ≤ 1.15: still liquidation, no signal.
        #expect(try move(to: 59_270) == [])
        #expect(try move(to: 59_240) == [])
        #expect(try move(to: 59_270) == [])
        // 59,300: 300 / 246.5 = 1.217 (warning by the entry bands), past 1.15 but ≤ 1.30: reduce-only.
        #expect(try move(to: 59_300) == [.reduceOnly])
        // 59,330: 330 / 246.65 = 1.338 > 1.30: warning.
        #expect(try move(to: 59_330) == [.warning])
        // 59,250 again: liquidation at once (a worse state is entered at its threshold).
        #expect(try move(to: 59_250) == [.liquidation])

        // Held in liquidation at 59,270 (1.096): a snapshot keeps the held state, so the restored engine agrees with
        // the live one (re-evaluating from healthy would give reduce-only) and both recover at 59,300 alike.
        #expect(try move(to: 59_270) == [])
        let twin = try SnapshotCodec.decode(SnapshotCodec.encode(engine), documents: HysteresisDocuments(genesis: genesis))
        #expect(twin.status(of: twin.unit(ofAccount: 0)).cross.state == .liquidation)
        #expect(twin.stateHash == engine.stateHash)
        var restored = twin
        let event = script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: 59_300)], marks: [MarkQuote(instrument: F.btcusdt, price: 59_300)])))
        #expect(try restored.accept(event).map(\.to) == [.reduceOnly])
        #expect(try engine.accept(event).map(\.to) == [.reduceOnly])
        #expect(restored.stateHash == engine.stateHash)

        // Held states no engine writes are refused: Alice's unit (account 0, held reduce-only = severity 2, no isolated
        // pools) is the snapshot's last 5 bytes; written twice it is an error, not a second seed.
        let bytes = SnapshotCodec.encode(engine)
        #expect(Array(bytes.suffix(5)) == [1, 0, 0, 2, 0])
        let twice = bytes.dropLast(5) + [2, 0, 0, 2, 0, 0, 0, 2, 0]
        #expect(throws: CodecError.self) { _ = try SnapshotCodec.decode(Array(twice), documents: HysteresisDocuments(genesis: genesis)) }
        let badState = bytes.dropLast(5) + [1, 0, 0, 9, 0]
        #expect(throws: CodecError.self) { _ = try SnapshotCodec.decode(Array(badState), documents: HysteresisDocuments(genesis: genesis)) }
    }

    /// Alice's isolated long of 1 BTC at 60,000, 10x (margin 6,000), is held in liquidation at 54,240 (240 against MM
    /// 54,240 × 0.5 % − 50 = 221.2: 1.085 ≤ 1.15). Joining a group keeps that held state: no signal for the pool.
    @Test("an isolated pool keeps its held state when its account joins an existing group")
    func joiningKeepsHeldStates() throws {
        let genesis = try Self.genesis()
        var engine = Engine(genesis: genesis)
        var script = EventScript()
        for (id, amount) in [("alice", Int128(10_000_000_000)), ("bob", 100_000_000_000)] {
            try engine.accept(script.next(.openAccount(AccountOpening(account: id))))
            try engine.accept(script.next(.deposit(FundsMovement(account: id, asset: F.usdc, amount: amount))))
        }
        try engine.accept(script.next(.group(GroupMembership(account: "bob", group: "desk"))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                                                  buyer: Fill.Side(account: "alice", leverage: 10, isolated: true), seller: nil))))
        for price in [54_200.0, 54_240.0] {
            try engine.accept(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: price)],
                                                              marks: [MarkQuote(instrument: F.btcusdt, price: price)]))))
        }
        #expect(engine.status(of: .account(0)).isolated.map(\.pool.state) == [.liquidation])
        let signals = try engine.accept(script.next(.group(GroupMembership(account: "alice", group: "desk"))))
        #expect(signals.filter { $0.isolated != nil }.isEmpty)
        #expect(engine.status(of: engine.unit(ofAccount: 0)).isolated.map(\.pool.state) == [.liquidation])
    }

    @Test("a snapshot of the format before held states reads with every pool healthy")
    func formatOne() throws {
        var engine = Engine(genesis: try F.genesis())
        var script = EventScript()
        try engine.accept(script.next(.openAccount(AccountOpening(account: "alice"))))
        try engine.accept(script.next(.deposit(FundsMovement(account: "alice", asset: F.usdc, amount: 1_000))))
        // Every pool healthy and no closed leverage: each older format holds the same state.
        for format: UInt8 in [1, 2] {
            let bytes = SnapshotCodec.encode(engine, format: format)
            #expect(bytes[Array("BALLAST-STATE".utf8).count] == format)
            let restored = try SnapshotCodec.decode(bytes, documents: F.Documents())
            #expect(restored.stateHash == engine.stateHash)
        }
        // Format 2 is format 1 and an empty list of held states (one count byte, 0).
        #expect(SnapshotCodec.encode(engine, format: 2).dropFirst(14).dropLast() == SnapshotCodec.encode(engine, format: 1).dropFirst(14))
    }
}

/// Reads back the one genesis of the hysteresis test.
struct HysteresisDocuments: EngineDocumentReader {
    var genesis: EngineGenesis

    func genesis(_ document: String) throws -> EngineGenesis { genesis }

    func parameters(_ document: String, over base: RiskParameters, catalog: Catalog) throws -> RiskParameters {
        try EngineFixture.parameterChange(document, over: base)
    }
}

/// Time alone moves a portfolio-margined option book (its risk arrays reprice to a shorter expiry), so a price event
/// that only advances time re-evaluates such pools: the held state and figures stay those of a fresh evaluation, and a
/// restore, which re-evaluates every pool, finds the same.
@Suite("Engine: time moves option pools")
struct EngineTimeTests {
    typealias F = EngineFixture

    @Test("a price event that only advances time re-evaluates a portfolio-margined short call")
    func timeOnly() throws {
        let portfolio = try PortfolioParameters(scenarios: .span16(), assetCount: 3, defaultUnderlying: try UnderlyingRiskParameters(priceScanRange: 0.15))
        var engine = Engine(genesis: try F.genesis(portfolio: portfolio))
        var script = EventScript()
        try engine.accept(script.next(.openAccount(AccountOpening(account: "writer", model: .portfolio))))
        try engine.accept(script.next(.deposit(FundsMovement(account: "writer", asset: F.usdc, amount: 20_000_000_000))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcCall, price: try fixed("1500"), size: 100, buyer: nil,
                                                  seller: Fill.Side(account: "writer")))))
        let unit = engine.unit(ofAccount: 0)
        let before = engine.status(of: unit).cross.figures
        #expect(engine.status(of: unit).problem == nil)
        // Ten days later, nothing else changed.
        let later = Timestamp(millisecondsSinceEpoch: F.start.millisecondsSinceEpoch + 10 * 86_400_000)
        try engine.accept(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: 60_000)], marks: [])), at: later))
        let fresh = engine.freshStatus(of: unit).cross.figures
        #expect(fresh.maintenance != before.maintenance)
        #expect(engine.status(of: unit).cross.figures == fresh)
    }
}

extension EngineTimeTests {
    /// Under standard margin an option without a quoted mark is priced by Black-76 at its volatility, so time alone
    /// moves its value and a short's requirement. The model mark is one of the underlying's prices that the risk index
    /// compares, so a price event that only advances time finds the pool due when the value moved past its tolerance.
    @Test("a price event that only advances time re-evaluates a standard pool holding a model-priced option")
    func timeOnlyStandardModelMark() throws {
        var genesis = try F.genesis()
        genesis.snapshot.markPrices[F.btcCall.index] = nil
        genesis.snapshot.impliedVolatilities[F.btcCall.index] = 0.6
        var engine = Engine(genesis: genesis)
        var script = EventScript()
        // A long call as the account's only value beside a small cash balance: its time decay lowers the margin balance.
        try engine.accept(script.next(.openAccount(AccountOpening(account: "holder"))))
        try engine.accept(script.next(.openAccount(AccountOpening(account: "writer"))))
        try engine.accept(script.next(.deposit(FundsMovement(account: "holder", asset: F.usdc, amount: 5_000_000_000))))
        try engine.accept(script.next(.deposit(FundsMovement(account: "writer", asset: F.usdc, amount: 50_000_000_000))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcCall, price: try fixed("1500"), size: 100,
                                                  buyer: Fill.Side(account: "holder"), seller: Fill.Side(account: "writer")))))
        let befores = [0, 1].map { engine.status(of: engine.unit(ofAccount: Int32($0))).cross.figures }
        #expect([0, 1].allSatisfy { engine.status(of: engine.unit(ofAccount: Int32($0))).problem == nil })
        // Ten days later, nothing else changed.
        let later = Timestamp(millisecondsSinceEpoch: F.start.millisecondsSinceEpoch + 10 * 86_400_000)
        try engine.accept(script.next(.prices(PriceUpdate(index: [IndexQuote(asset: F.btc, price: 60_000)], marks: [])), at: later))
        for account in [0, 1] {
            let unit = engine.unit(ofAccount: Int32(account))
            let fresh = engine.freshStatus(of: unit).cross.figures
            #expect(fresh.equity != befores[account].equity)
            #expect(engine.status(of: unit).cross.figures == fresh)
        }
    }

    /// An option priced off the June future's mark (``Catalog/setForward(of:to:)``): a price event that moves only the
    /// future moves the option's model mark, so the writer's pool is due and its figures are a fresh evaluation's.
    @Test("a mark of the future moves the options priced off it")
    func forwardInstrument() throws {
        var genesis = try F.genesis()
        try genesis.catalog.setForward(of: F.btcCall, to: F.btcFuture)
        genesis.snapshot.markPrices[F.btcCall.index] = nil
        genesis.snapshot.impliedVolatilities[F.btcCall.index] = 0.6
        var engine = Engine(genesis: genesis)
        var script = EventScript()
        try engine.accept(script.next(.openAccount(AccountOpening(account: "writer"))))
        try engine.accept(script.next(.deposit(FundsMovement(account: "writer", asset: F.usdc, amount: 50_000_000_000))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcCall, price: try fixed("1500"), size: 100, buyer: nil,
                                                  seller: Fill.Side(account: "writer")))))
        let unit = engine.unit(ofAccount: 0)
        let before = engine.status(of: unit).cross.figures
        let markBefore = engine.context.instruments[F.btcCall.index].mark
        // The future rises from 60,500 to 63,000; the index stays at 60,000.
        try engine.accept(script.next(.prices(PriceUpdate(index: [], marks: [MarkQuote(instrument: F.btcFuture, price: 63_000)]))))
        #expect(engine.context.instruments[F.btcCall.index].mark > markBefore)
        let fresh = engine.freshStatus(of: unit).cross.figures
        #expect(fresh.equity < before.equity)
        #expect(engine.status(of: unit).cross.figures == fresh)
    }
}
