import BallastStore
import Foundation

/// Where the engine's journal and snapshots live: a SQLite file (the default: `journal.sqlite` in a data directory)
/// or a PostgreSQL database.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// A SQLite database file.
    case sqlite(path: String)
    /// A PostgreSQL database (`postgres://user:password@host:port/database`).
    case postgres(url: String)

    /// The SQLite file in a data directory, or the path itself when it names a `.sqlite` file.
    public static func data(_ path: String) -> StoreLocation {
        path.hasSuffix(".sqlite") ? .sqlite(path: path) : .sqlite(path: URL(fileURLWithPath: path).appendingPathComponent("journal.sqlite").path)
    }

    /// Opens the store (a SQLite file and its directories are created if missing).
    /// - Throws: ``StoreError``.
    public func open() async throws(StoreError) -> any EventStore {
        switch self {
        case .sqlite(let path): return try SQLiteEventStore(path: path)
        case .postgres(let url): return try await PostgresEventStore(url: url)
        }
    }

    /// `sqlite ballast-data/journal.sqlite` or the PostgreSQL URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite \(path)"
        case .postgres(let url): return (try? PostgresURL(parsing: url).description).map { "postgres \($0)" } ?? "postgres (unreadable URL)"
        }
    }
}
