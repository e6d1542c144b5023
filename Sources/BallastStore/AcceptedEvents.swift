import BallastEngine

/// The events of one submission that the engine accepted, waiting to be written to the journal: the submitted array
/// itself (shared, not copied event by event) with the positions of the accepted events and the sequence numbers they
/// were applied under (their own, or assigned on arrival).
struct AcceptedEvents: Sendable {
    /// The events as submitted.
    let events: [EngineEvent]
    /// Positions in `events` of the accepted ones, in order.
    private(set) var positions: [Int] = []
    /// The sequence number each accepted event was applied under, strictly increasing.
    private(set) var sequences: [UInt64] = []

    /// None accepted yet, of `events`.
    init(of events: [EngineEvent]) {
        self.events = events
    }

    /// Records that the event at `position` was applied under `sequence`.
    mutating func accept(position: Int, sequence: UInt64) {
        positions.append(position)
        sequences.append(sequence)
    }

    /// How many events were accepted.
    var count: Int { positions.count }

    /// The sequence number of the last accepted event.
    var lastSequence: UInt64? { sequences.last }

    /// Appends the journal record of every accepted event to `records`, in order (`writer` is scratch space).
    func encode(into records: inout [JournalRecord], writer: inout BinaryWriter) {
        for (position, sequence) in zip(positions, sequences) {
            writer.reset()
            EventCodec.encode(events[position], sequence: sequence, into: &writer)
            records.append(JournalRecord(sequence: sequence, payload: writer.bytes))
        }
    }
}
