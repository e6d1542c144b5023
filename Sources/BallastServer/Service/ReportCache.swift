import BallastIO
import Foundation
import Synchronization

/// Answers of the account reads (margin report, status) by account, each valid for the engine sequence it was
/// computed at: a repeated read between two events costs a dictionary lookup instead of a margin evaluation with
/// liquidation-price searches. Any event makes every entry stale (the sequence moves); at `capacity` entries the
/// cache starts over.
final class ReportCache: Sendable {
    /// Which answer.
    enum Kind: Hashable, Sendable {
        /// The margin report.
        case report
        /// The status headline.
        case status

        /// The answer of this kind for `snapshot` (``AccountQueries/report(_:)`` or ``AccountQueries/status(_:)``).
        /// - Throws: ``QueryError`` when the pool cannot be margined.
        func compute(_ snapshot: PoolSnapshot) throws(QueryError) -> Data {
            switch self {
            case .report: return try AccountQueries.report(snapshot)
            case .status: return try AccountQueries.status(snapshot)
            }
        }
    }

    private struct Key: Hashable {
        var kind: Kind
        var account: String
    }

    private let entries = Mutex<[Key: (sequence: UInt64, body: Data)]>([:])
    private let capacity: Int

    /// A cache of at most `capacity` answers.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The `kind` answer of `account` if it is cached at `sequence`.
    func cached(_ kind: Kind, account: String, sequence: UInt64) -> Data? {
        guard let entry = entries.withLock({ $0[Key(kind: kind, account: account)] }), entry.sequence == sequence else { return nil }
        return entry.body
    }

    /// The `kind` answer for `snapshot`: the cached one if it was computed at the snapshot's sequence, otherwise
    /// computed (by the caller, off the engine) and stored.
    func answer(_ kind: Kind, for snapshot: PoolSnapshot) throws(QueryError) -> Data {
        if let body = cached(kind, account: snapshot.account, sequence: snapshot.sequence) { return body }
        let key = Key(kind: kind, account: snapshot.account)
        let body = try kind.compute(snapshot)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (snapshot.sequence, body)
        }
        return body
    }
}
