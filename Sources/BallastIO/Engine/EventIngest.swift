import BallastCore
import BallastEngine
import BallastStore
import Foundation

/// What an ingest reports as it goes.
public enum IngestLine: Sendable {
    /// A pool's health state changed (emitted once the event is durable).
    case signal(Signal)
    /// An event was refused; it changed nothing.
    case rejected(EngineEvent, EventRejection)
    /// Every event up to this sequence number is durable.
    case acknowledged(UInt64)
}

/// Totals of an ingest.
public struct IngestSummary: Sendable, Hashable {
    /// Events read from the input.
    public var read = 0
    /// Events applied.
    public var applied = 0
    /// Events acknowledged as repeats of applied ones.
    public var duplicates = 0
    /// Events refused.
    public var rejected = 0
    /// Signals emitted.
    public var signals = 0
    /// The engine's last sequence number at the end.
    public var lastSequence: UInt64 = 0
    /// The engine's state hash at the end.
    public var stateHash = StateHash([])
}

/// Why an ingest stopped early. Everything acknowledged before it stays applied and durable.
public enum IngestError: Error, Sendable, CustomStringConvertible {
    /// A line is not a valid event (the line and everything after it were not applied; every line before it was).
    case input(source: String, line: Int, InputError)
    /// The input could not be read.
    case read(String)
    /// The engine or its store failed.
    case engine(DurableEngineError)

    /// `events.jsonl:12: size: …`.
    public var description: String {
        switch self {
        case .input(let source, let line, let error): return "\(source):\(line): \(error.description)"
        case .read(let reason): return "cannot read the events: \(reason)"
        case .engine(let error): return error.description
        }
    }
}

/// Feeds a file of JSON events (``EventJSON``) to a durable engine in batches: each batch is applied in order and
/// acknowledged once it is durable (one journal transaction per batch). A parameter change is decoded against the
/// parameters in force after every event before it, so the batch before it is submitted first.
public enum EventIngest {
    /// Ingests every line of `reader`; `emit` receives rejections and signals of each batch once it is durable, then
    /// its acknowledgement.
    /// - Throws: ``IngestError`` at the first unreadable line or engine failure.
    public static func run(_ reader: inout LineReader, into engine: DurableEngine, documents: EngineDocuments, batchSize: Int = 4_096,
                           source: String, emit: (IngestLine) -> Void) async throws(IngestError) -> IngestSummary {
        var summary = IngestSummary()
        var batch: [EngineEvent] = []
        batch.reserveCapacity(batchSize)
        var (catalog, latest) = await engine.read { ($0.catalog, $0.latestParameters) }

        func submit() async throws(IngestError) {
            guard !batch.isEmpty else { return }
            let outcomes: [EventOutcome]
            do {
                outcomes = try await engine.submit(batch)
            } catch {
                throw .engine(error)
            }
            for (event, outcome) in zip(batch, outcomes) {
                switch outcome {
                case .applied(let signals):
                    summary.applied += 1
                    summary.signals += signals.count
                    for signal in signals { emit(.signal(signal)) }
                case .duplicate:
                    summary.duplicates += 1
                case .rejected(let rejection):
                    summary.rejected += 1
                    emit(.rejected(event, rejection))
                }
            }
            emit(.acknowledged(await engine.read { $0.lastSequence }))
            batch.removeAll(keepingCapacity: true)
        }

        while true {
            let line: Data?
            do {
                line = try reader.next()
            } catch {
                throw .read("\(error)")
            }
            guard let line else { break }
            summary.read += 1
            func decode() throws(IngestError) -> EngineEvent {
                do throws(InputError) {
                    return try EventJSON.decode(line, catalog: catalog, latest: latest, documents: documents)
                } catch {
                    throw .input(source: source, line: reader.lineNumber, error)
                }
            }
            var event: EngineEvent
            do throws(IngestError) {
                event = try decode()
            } catch {
                // The lines before it were read whole: they are applied and acknowledged before the ingest stops.
                try await submit()
                throw error
            }
            if case .parameters = event.body, !batch.isEmpty {
                try await submit()
                latest = await engine.read { $0.latestParameters }
                event = try decode()
            }
            batch.append(event)
            if case .parameters = event.body {
                try await submit()
                (catalog, latest) = await engine.read { ($0.catalog, $0.latestParameters) }
            } else if batch.count >= batchSize {
                try await submit()
            }
        }
        try await submit()
        (summary.lastSequence, summary.stateHash) = await engine.read { ($0.lastSequence, $0.stateHash) }
        return summary
    }
}
