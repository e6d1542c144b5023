import Logging
import PostgresNIO

/// The PostgreSQL store's tables, inside one schema (namespace) of the database.
///
/// ```sql
/// journal(sequence BIGINT PRIMARY KEY, payload BYTEA NOT NULL)
/// snapshots(sequence BIGINT PRIMARY KEY, byte_count BIGINT NOT NULL, chunk_count BIGINT NOT NULL)
/// snapshot_chunks(sequence BIGINT, chunk_index BIGINT, data BYTEA NOT NULL, PRIMARY KEY (sequence, chunk_index))
/// ```
struct PostgresSchema: Sendable {
    /// The schema's name: lower-case letters, digits and `_`, not starting with a digit, at most 63 bytes.
    let name: String

    /// Validates a schema name (it is written into SQL, so only plain identifiers are accepted).
    /// - Throws: ``StoreError/unavailable(_:)`` for any other name.
    init(name: String) throws(StoreError) {
        let isPlain = name.utf8.enumerated().allSatisfy { index, byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
                || (index > 0 && byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        guard isPlain, !name.isEmpty, name.utf8.count <= 63 else {
            throw StoreError.unavailable(
                "bad PostgreSQL schema name '\(name)': use lower-case letters, digits and _ (at most 63, not starting with a digit)")
        }
        self.name = name
    }

    /// The journal table, qualified.
    var journal: String { "\"\(name)\".journal" }
    /// The snapshot header table, qualified.
    var snapshots: String { "\"\(name)\".snapshots" }
    /// The snapshot chunk table, qualified.
    var chunks: String { "\"\(name)\".snapshot_chunks" }

    /// Creates the schema (if missing) and the tables (if missing) in one transaction, holding an advisory lock so
    /// two stores opening the same schema at once do not race.
    func create(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("ballast.store." + name)))", logger: logger)
            let existing: PostgresRowSequence = try await connection.query(
                "SELECT count(*) FROM pg_namespace WHERE nspname = \(name)", logger: logger)
            var schemaExists = false
            for try await count in existing.decode(Int64.self) { schemaExists = count > 0 }
            if !schemaExists {
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \"\(name)\""), logger: logger)
            }
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        CREATE TABLE IF NOT EXISTS \(journal) (
                            sequence BIGINT PRIMARY KEY,
                            payload BYTEA NOT NULL
                        )
                        """), logger: logger)
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        CREATE TABLE IF NOT EXISTS \(snapshots) (
                            sequence BIGINT PRIMARY KEY,
                            byte_count BIGINT NOT NULL,
                            chunk_count BIGINT NOT NULL
                        )
                        """), logger: logger)
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        CREATE TABLE IF NOT EXISTS \(chunks) (
                            sequence BIGINT NOT NULL,
                            chunk_index BIGINT NOT NULL,
                            data BYTEA NOT NULL,
                            PRIMARY KEY (sequence, chunk_index)
                        )
                        """), logger: logger)
        }
    }
}
