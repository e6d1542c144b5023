import Foundation
import GRDB

/// The default ``EventStore``: one SQLite file, opened with GRDB in WAL mode with `synchronous=FULL`.
///
/// Appends and snapshot writes are single `IMMEDIATE` transactions on the one writer connection; reads run
/// concurrently on reader connections and see committed data only. A returned append is durable against a crash of
/// the process and against a power loss (the write-ahead log is synced at each commit).
///
/// The service keeps its store at `./ballast-data/ballast.sqlite`; the directory and file are created on first use.
public final class SQLiteEventStore: EventStore {
    /// The database file's path.
    public let path: String
    /// How snapshots are cut into chunks.
    public let chunking: SnapshotChunking

    let pool: DatabasePool
    let state = ClosedState()

    /// Opens (creating if needed) the store in the SQLite file at `path`.
    ///
    /// Missing parent directories are created. The tables are created or migrated on open.
    /// - Parameters:
    ///   - path: The database file, e.g. `./ballast-data/ballast.sqlite`.
    ///   - chunking: How large snapshots are cut (8 MiB chunks unless told otherwise).
    /// - Throws: ``StoreError/unavailable(_:)`` when the directory or file cannot be created or opened, or the file
    ///   is not a Ballast store.
    public init(path: String, chunking: SnapshotChunking = .standard) throws(StoreError) {
        self.path = path
        self.chunking = chunking
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.unavailable("cannot create the directory \(directory.path) for \(path): \(error)")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: SQLiteSchema.configuration)
            try pool.writeWithoutTransaction { db in
                try SQLiteSchema.configureWriter(db)
            }
            try SQLiteSchema.migrator.migrate(pool)
            self.pool = pool
        } catch {
            throw StoreError.unavailable("cannot open the SQLite store \(path): \(error)")
        }
    }

    /// Closes the database connections (checkpointing the write-ahead log into the file). Further calls fail with
    /// ``StoreError/unavailable(_:)``; closing twice does nothing.
    /// - Throws: ``StoreError/database(_:)`` if SQLite cannot close the file (it stays usable then).
    public func close() async throws(StoreError) {
        guard state.close() else { return }
        do {
            try pool.close()
        } catch {
            throw StoreError.database("closing \(path): \(error)")
        }
    }

    /// The writer connection's `journal_mode` and `synchronous` settings (for tests of the durability set-up).
    func durabilitySettings() async throws -> (journalMode: String, synchronous: Int) {
        try await pool.writeWithoutTransaction { db in
            let journalMode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
            let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            return (journalMode, synchronous)
        }
    }

    /// Checks the store is open, naming it in the error.
    func checkOpen() throws(StoreError) {
        try state.check("the SQLite store \(path)")
    }

    /// Maps an error from GRDB (or a ``StoreError`` thrown inside a database closure) to a ``StoreError``.
    func storeError(_ error: any Error, while action: String) -> StoreError {
        StoreError.wrapping(error, while: "\(action) in \(path)") { String(describing: $0) }
    }
}
