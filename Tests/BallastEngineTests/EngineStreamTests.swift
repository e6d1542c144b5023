import BallastCore
import BallastEngine
import Foundation
import Testing

/// Drives the engine with a long seeded random stream and checks, as it goes: conservation after every event, every
/// pool's stored state against a fresh evaluation (so the risk index never skipped a pool whose state changed),
/// duplicates; and at the end that a replay of the journal and a restore from a mid-stream snapshot reach the same
/// state hash as the live engine.
@Suite("Engine: random event stream")
struct EngineStreamTests {
    /// Events in the stream: `BALLAST_STREAM_EVENTS` if set; else 2,000,000 in an optimised build (the README's test
    /// command, about a minute) and 20,000 in a debug build (unspecialised generics make it ~50 times slower there).
    static var eventCount: Int {
        #if DEBUG
        let standard = 20_000
        #else
        let standard = 2_000_000
        #endif
        return ProcessInfo.processInfo.environment["BALLAST_STREAM_EVENTS"].flatMap(Int.init) ?? standard
    }

    @Test("conservation after every event, stored states equal fresh evaluation, replay and snapshot restore give the same hash")
    func stream() throws {
        let documents = EngineFixture.Documents()
        var engine = Engine(genesis: try EngineFixture.genesis())
        var stream = RandomStream(seed: 0x5EED_BA11, accountCount: 48)
        var journal: [[UInt8]] = []
        var accepted: [EngineEvent] = []
        var counts: [String: Int] = [:]
        var signals = 0
        var restored: Engine?
        let total = Self.eventCount

        func run(_ event: EngineEvent) throws {
            var event = event
            if case .parameters(var change) = event.body {
                change.parameters = try EngineFixture.parameterChange(change.document, over: engine.latestParameters)
                event.body = .parameters(change)
            }
            let before = engine.lastSequence
            let outcome = engine.apply(event)
            switch outcome {
            case .applied(let emitted):
                signals += emitted.count
                counts[event.body.kind, default: 0] += 1
                if case .fill(let fill) = event.body, fill.buyer?.positionSide.isLeg == true || fill.seller?.positionSide.isLeg == true {
                    counts["hedge-mode fill", default: 0] += 1
                }
                journal.append(EventCodec.encode(event))
                accepted.append(event)
            case .duplicate:
                Issue.record("fresh event \(event.id) reported as a duplicate")
            case .rejected:
                counts["rejected", default: 0] += 1
                #expect(engine.lastSequence == before)
            }
            if case .rejected = outcome {} else {
                let imbalances = LedgerAudit.imbalances(engine)
                #expect(imbalances.isEmpty, "after \(event.id) (\(event.body.kind)): \(imbalances)")
            }
            if restored != nil {
                // Mutated in place: a copy held elsewhere would make every apply copy the whole state.
                let twinOutcome = restored?.apply(event)
                #expect(twinOutcome == outcome)
            }
        }

        for event in stream.opening() { try run(event) }
        for step in 0..<total {
            if step == total * 3 / 5 {
                for event in stream.expiry() { try run(event) }
            }
            try run(stream.next())
            if step % 2_000 == 1_999 { try Self.checkStates(engine) }
            if step == total / 2 {
                let twin = try SnapshotCodec.decode(SnapshotCodec.encode(engine), documents: documents)
                #expect(twin.stateHash == engine.stateHash)
                // What reports name the parameters by (the hash does not cover it): the version and effective time
                // of the change in force, not those of its document.
                #expect(engine.parameterVersion > 1, "the stream changed the parameters before its snapshot")
                #expect(twin.parameters.info == engine.parameters.info)
                restored = twin
            }
            if step % 10_007 == 0, let old = accepted.suffix(1_000).first {
                let hash = engine.stateHash
                #expect(engine.apply(old) == .duplicate)
                #expect(engine.stateHash == hash)
            }
        }
        try Self.checkStates(engine)

        // Replay the journal into a fresh engine.
        var replay = Engine(genesis: try EngineFixture.genesis())
        for bytes in journal {
            let event = try EventCodec.decode(bytes, catalog: replay.catalog) { document in
                try EngineFixture.parameterChange(document, over: replay.latestParameters)
            }
            guard case .applied = replay.apply(event) else {
                Issue.record("replay rejected \(event.id)")
                break
            }
        }
        let hash = engine.stateHash
        #expect(replay.stateHash == hash)
        #expect(restored?.stateHash == hash)
        // The stream exercised every kind of event, and states changed.
        for kind in ["fill", "hedge-mode fill", "prices", "deposit", "withdrawal", "transfer", "funding", "group", "volatility", "parameters", "settlement",
                     "rejected"] {
            #expect(counts[kind, default: 0] > 0, "no accepted \(kind) events")
        }
        #expect(signals > 100)
        #expect(engine.accounts.contains { $0.holdsLegs(of: EngineFixture.btcusdt) })
    }

    /// Every unit's stored states equal a fresh evaluation of its pools.
    static func checkStates(_ engine: Engine) throws {
        let context = engine.context
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        var units: [MarginUnit] = engine.accounts.indices.map { engine.unit(ofAccount: Int32($0)) }
        units += engine.groups.indices.map { MarginUnit.group(Int32($0)) }
        for unit in Set(units) {
            let status = engine.status(of: unit)
            if let group = unit.group, engine.groups[Int(group)].members.isEmpty { continue }
            let pool = engine.poolAccount(of: unit)
            do {
                let money = try AccountMargin.pool(pool, context: context, workspace: &workspace).money(decimals: context.valuationDecimals)
                let state = context.healthThresholds.state(marginBalance: money.marginBalance, equity: money.equity, maintenance: money.maintenance)
                if status.problem == nil {
                    #expect(state == status.cross.state, "\(unit): stored \(status.cross.state), fresh \(state)")
                }
            } catch {
                #expect(status.problem != nil, "\(unit) cannot be evaluated (\(error)) but has no problem recorded")
            }
            let members = unit.account.map { [$0] } ?? engine.groups[Int(unit.group ?? 0)].members
            for member in members {
                let account = engine.accounts[Int(member)]
                for slot in account.positions.indices where account.positions[slot].mode.isIsolated {
                    guard let (isolated, _) = try? AccountMargin.isolatedPool(account, slot: slot, context: context),
                          let money = try? isolated.money(decimals: context.valuationDecimals) else { continue }
                    let state = context.healthThresholds.state(marginBalance: money.marginBalance, equity: money.equity, maintenance: money.maintenance)
                    let position = account.positions[slot]
                    let stored = status.isolated.first { $0.account == member && $0.instrument == position.instrument && $0.side == position.side }
                    #expect(stored?.pool.state == state, "\(account.id) isolated \(position.instrument) \(position.side)")
                }
            }
        }
    }
}
