import BallastCore
import BallastEngine
import Foundation

/// The lines `ballast ingest` prints: one per signal, rejection and acknowledgement, then a summary; as text or as
/// one JSON object per line (`type`: signal, rejected, acknowledged, summary).
public struct EngineLines: Sendable {
    /// The catalog, to name isolated positions' instruments.
    public var catalog: Catalog
    /// Whether to print JSON lines.
    public var json: Bool

    /// A renderer for `catalog`.
    public init(catalog: Catalog, json: Bool) {
        self.catalog = catalog
        self.json = json
    }

    /// One line (with its newline).
    public func render(_ line: IngestLine) -> String {
        switch line {
        case .signal(let signal):
            let pool = signal.pool(in: catalog)
            let figures = signal.figures
            if json { return Self.encode(SignalLine(signal, catalog: catalog)) }
            return "#\(signal.sequence) \(signal.kind.rawValue) \(signal.subject) \(pool): \(signal.from.rawValue) → \(signal.to.rawValue)"
                + " (margin balance \(figures.fixed(figures.marginBalance)), maintenance \(figures.fixed(figures.maintenance)))\n"
        case .rejected(let event, let rejection):
            if json {
                return Self.encode(RejectedLine(type: "rejected", sequence: event.sequence, id: event.id, code: rejection.code.rawValue,
                                                field: rejection.field, value: rejection.value, message: rejection.message))
            }
            // The field and value are named on the line, as in JSON: not every message names them itself.
            let at = rejection.value.isEmpty ? rejection.field : "\(rejection.field) = \(rejection.value)"
            return "#\(event.sequence) rejected \(event.id): \(rejection.code.rawValue) at \(at): \(rejection.message)\n"
        case .acknowledged(let sequence):
            if json { return Self.encode(AcknowledgedLine(type: "acknowledged", sequence: sequence)) }
            return "acknowledged through #\(sequence)\n"
        }
    }

    /// The summary line(s).
    public func render(_ summary: IngestSummary) -> String {
        if json {
            return Self.encode(SummaryLine(type: "summary", read: summary.read, applied: summary.applied, duplicates: summary.duplicates,
                                           rejected: summary.rejected, signals: summary.signals, lastSequence: summary.lastSequence,
                                           stateHash: summary.stateHash.description))
        }
        return "read \(summary.read) events: \(summary.applied) applied, \(summary.duplicates) duplicates, \(summary.rejected) rejected; "
            + "\(summary.signals) signals; last sequence \(summary.lastSequence); state hash \(summary.stateHash)\n"
    }

    static func subject(_ subject: MarginSubject) -> (String, String) {
        switch subject {
        case .account(let id): return ("account", id)
        case .group(let id): return ("group", id)
        }
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        String(decoding: APIJSON.encode(value), as: UTF8.self) + "\n"
    }
}

/// A signal as JSON: what `ballast ingest --format json` prints, the API's submission results carry and the streams
/// send.
struct SignalLine: Encodable {
    var type = "signal"
    var sequence: UInt64
    var kind: String
    var subject: String
    var id: String
    var pool: String
    var from: String
    var to: String
    var equity: String
    var marginBalance: String
    var initial: String
    var maintenance: String

    init(_ signal: Signal, catalog: Catalog) {
        let figures = signal.figures
        (subject, id) = EngineLines.subject(signal.subject)
        sequence = signal.sequence
        kind = signal.kind.rawValue
        pool = signal.pool(in: catalog)
        from = signal.from.rawValue
        to = signal.to.rawValue
        equity = "\(figures.fixed(figures.equity))"
        marginBalance = "\(figures.fixed(figures.marginBalance))"
        initial = "\(figures.fixed(figures.initial))"
        maintenance = "\(figures.fixed(figures.maintenance))"
    }
}

private struct RejectedLine: Encodable {
    var type: String
    var sequence: UInt64
    var id: String
    var code: String
    var field: String
    var value: String
    var message: String
}

private struct AcknowledgedLine: Encodable {
    var type: String
    var sequence: UInt64
}

private struct SummaryLine: Encodable {
    var type: String
    var read: Int
    var applied: Int
    var duplicates: Int
    var rejected: Int
    var signals: Int
    var lastSequence: UInt64
    var stateHash: String
}
