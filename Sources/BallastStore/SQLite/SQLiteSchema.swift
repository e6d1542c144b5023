import GRDB

/// The SQLite store's tables and connection settings.
///
/// ```sql
/// journal(sequence INTEGER PRIMARY KEY, payload BLOB NOT NULL)          -- sequence is the rowid: appends go at the end
/// snapshots(sequence INTEGER PRIMARY KEY, byte_count INTEGER NOT NULL, chunk_count INTEGER NOT NULL)
/// snapshot_chunks(sequence INTEGER NOT NULL, chunk_index INTEGER NOT NULL, data BLOB NOT NULL,
///                 PRIMARY KEY (sequence, chunk_index))
/// ```
enum SQLiteSchema {
    /// The migrations that create and evolve the tables, applied in order on open.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: journal and chunked snapshots") { db in
            try db.execute(
                sql: """
                    CREATE TABLE journal (
                        sequence INTEGER PRIMARY KEY,
                        payload BLOB NOT NULL
                    );
                    CREATE TABLE snapshots (
                        sequence INTEGER PRIMARY KEY,
                        byte_count INTEGER NOT NULL,
                        chunk_count INTEGER NOT NULL
                    );
                    CREATE TABLE snapshot_chunks (
                        sequence INTEGER NOT NULL,
                        chunk_index INTEGER NOT NULL,
                        data BLOB NOT NULL,
                        PRIMARY KEY (sequence, chunk_index)
                    );
                    """)
        }
        return migrator
    }

    /// The largest write-ahead log kept on disk after a checkpoint: a large snapshot grows the log to its size, and
    /// this lets SQLite truncate it back afterwards.
    static let walSizeLimit = 64 << 20

    /// Settings for the writer connection, applied after GRDB's own WAL set-up (which chooses `synchronous=NORMAL`).
    ///
    /// `synchronous=FULL` in WAL mode syncs the log at every commit, so a returned append survives a power loss, not
    /// only a crash of the process.
    static func configureWriter(_ db: Database) throws {
        try db.execute(sql: "PRAGMA synchronous = FULL")
        try db.execute(sql: "PRAGMA journal_size_limit = \(walSizeLimit)")
    }

    /// The GRDB configuration of the store's pool.
    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.label = "ballast.store.sqlite"
        // Another process holding the write lock (a backup, an operator's sqlite3 shell) is waited for, not failed.
        configuration.busyMode = .timeout(10)
        return configuration
    }
}
