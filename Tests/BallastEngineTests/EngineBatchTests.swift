import BallastCore
@testable import BallastEngine
import Testing

/// Applying a batch (with its prefetches ahead) is applying its events one at a time: the same outcomes, signals and
/// state, for a seeded random stream with rejections, duplicates and events without sequence numbers, cut into
/// batches of random sizes.
@Suite("Engine: batches")
struct EngineBatchTests {
    /// The opening of a random stream and 6,000 of its events (some repeated later as duplicates), with parameter
    /// changes resolved as a reference engine applies them one at a time; that engine's outcomes and final hash.
    static func reference() throws -> (events: [EngineEvent], outcomes: [EventOutcome], hash: StateHash) {
        var engine = Engine(genesis: try EngineFixture.genesis())
        var stream = RandomStream(seed: 0xBA7C_4E5, accountCount: 40)
        var events: [EngineEvent] = []
        var outcomes: [EventOutcome] = []
        var generated = stream.opening()
        for n in 0..<6_000 {
            var event = stream.next()
            if case .parameters(var change) = event.body {
                change.parameters = try EngineFixture.parameterChange(change.document, over: engine.latestParameters)
                event.body = .parameters(change)
            }
            generated.append(event)
            if n % 97 == 0, let earlier = events.last { generated.append(earlier) }  // a repeated id
            for event in generated {
                events.append(event)
                outcomes.append(engine.apply(event))
            }
            generated.removeAll()
        }
        return (events, outcomes, engine.stateHash)
    }

    @Test("outcomes, signals and state hash equal those of one event at a time")
    func batchesEqualSingleEvents() throws {
        let (events, expected, hash) = try Self.reference()
        #expect(expected.contains(.duplicate))
        #expect(expected.contains { if case .rejected = $0 { true } else { false } })
        var engine = Engine(genesis: try EngineFixture.genesis())
        var random = SeededGenerator(seed: 7)
        var outcomes: [EventOutcome] = []
        var reported: [EngineEvent] = []
        var sequences: [UInt64] = []
        var start = 0
        while start < events.count {
            let end = min(events.count, start + Int.random(in: 1...40, using: &random))
            let batch = Array(events[start..<end])
            engine.apply(batch) { position, sequence, outcome in
                reported.append(batch[position])
                sequences.append(sequence)
                outcomes.append(outcome)
            }
            start = end
        }
        #expect(reported.map(\.id) == events.map(\.id))
        #expect(sequences == events.map(\.sequence))
        // Counted rather than compared whole, so a failure prints a number, not 12,000 outcomes.
        #expect(outcomes.count == expected.count)
        #expect(zip(outcomes, expected).filter { $0 != $1 }.count == 0)
        #expect(engine.stateHash == hash)
    }

    @Test("events without a sequence number get the next one when applied, as if numbered one at a time")
    func assignedSequences() throws {
        let (numbered, _, _) = try Self.reference()
        let events = numbered.map { event in
            var event = event
            event.sequence = 0
            return event
        }
        // One at a time, numbering each event just before it is applied.
        var single = Engine(genesis: try EngineFixture.genesis())
        var expected: [EventOutcome] = []
        var expectedSequences: [UInt64] = []
        for var event in events {
            event.sequence = single.lastSequence + 1
            expected.append(single.apply(event))
            expectedSequences.append(event.sequence)
        }
        var batched = Engine(genesis: try EngineFixture.genesis())
        var outcomes: [EventOutcome] = []
        var sequences: [UInt64] = []
        for start in stride(from: 0, to: events.count, by: 33) {
            batched.apply(Array(events[start..<min(events.count, start + 33)]), assigningSequences: true) { _, sequence, outcome in
                sequences.append(sequence)
                outcomes.append(outcome)
            }
        }
        #expect(outcomes.count == expected.count)
        #expect(zip(outcomes, expected).filter { $0 != $1 }.count == 0)
        #expect(sequences == expectedSequences)
        #expect(batched.stateHash == single.stateHash)
    }
}
