import BallastCore
import BallastEngine
import Foundation

/// The answer to a submission of events (`ballast.submission/1`): each event's sequence number and outcome, with
/// the signals it caused or the reason it was refused.
public enum SubmissionDocument {
    /// The document of `events` and their `results` (sequence number as applied, outcome), after which the engine's
    /// last sequence is `lastSequence`.
    public static func encode(_ events: [EngineEvent], results: [(sequence: UInt64, outcome: EventOutcome)], catalog: Catalog,
                              lastSequence: UInt64) -> Data {
        let entries = zip(events, results).map { event, result in
            var entry = Entry(id: event.id, seq: result.sequence, type: event.body.kind, outcome: "applied", signals: nil, error: nil)
            switch result.outcome {
            case .applied(let signals): entry.signals = signals.map { SignalLine($0, catalog: catalog) }
            case .duplicate: entry.outcome = "duplicate"
            case .rejected(let rejection):
                entry.outcome = "rejected"
                entry.error = Rejection(code: rejection.code.rawValue, field: rejection.field, value: rejection.value, message: rejection.message)
            }
            return entry
        }
        let document = Document(lastSequence: lastSequence, results: entries)
        return APIJSON.encode(document)
    }

    /// One signal as a JSON text (a stream message).
    public static func signal(_ signal: Signal, catalog: Catalog) -> String {
        String(decoding: APIJSON.encode(SignalLine(signal, catalog: catalog)), as: UTF8.self)
    }

    private struct Document: Encodable {
        var format = "ballast.submission/1"
        var lastSequence: UInt64
        var results: [Entry]
    }

    private struct Entry: Encodable {
        var id: String
        var seq: UInt64
        var type: String
        var outcome: String
        var signals: [SignalLine]?
        var error: Rejection?
    }

    private struct Rejection: Encodable {
        var code: String
        var field: String
        var value: String
        var message: String
    }
}
