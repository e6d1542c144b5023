import Logging
import NIOCore
import PostgresNIO

/// An ``EventStore`` in a PostgreSQL database, through postgres-nio's `PostgresClient` (a connection pool).
///
/// Tables live in one schema (`public` unless told otherwise) and are created on open. A batch append is one
/// statement — one round trip — whatever its size: the records go as two array parameters expanded with `unnest`.
/// Durability is the server's: with PostgreSQL's defaults (`fsync=on`, `synchronous_commit=on`) a returned append
/// has been flushed to the server's write-ahead log.
///
/// Opening first connects directly, with a deadline, and creates the tables: a wrong password, an unreachable server
/// or a server that never answers fails the open loudly instead of leaving later calls waiting forever (the pool
/// alone retries silently). The pool's `run()` then runs in a task of the store until ``close()``.
///
/// One process should write a journal at a time (the engine is a single writer): the "above every stored sequence"
/// check and the insert are one statement, but two writers racing could still commit a lower sequence after a higher
/// one. Equal sequences are always refused by the primary key.
public final class PostgresEventStore: EventStore {
    /// The server and database, for messages (the password is masked in its description).
    public let url: PostgresURL
    /// How snapshots are cut into chunks.
    public let chunking: SnapshotChunking

    let schema: PostgresSchema
    let client: PostgresClient
    let logger: Logger
    private let runTask: Task<Void, Never>
    private let state = ClosedState()

    /// Opens the store at a `postgres://user:password@host:port/database` URL.
    ///
    /// - Parameters:
    ///   - url: The server, user, password and database (see ``PostgresURL``).
    ///   - schema: The schema holding the tables, created if missing (lower-case letters, digits and `_`).
    ///   - chunking: How large snapshots are cut (8 MiB chunks unless told otherwise).
    ///   - connectTimeout: How long opening may take before it fails.
    ///   - logger: Where the connection pool logs in the background.
    /// - Throws: ``StoreError/unavailable(_:)`` for a bad URL or schema name, a refused login, an unreachable server
    ///   or no answer within `connectTimeout`; ``StoreError/database(_:)`` when creating the tables fails.
    public convenience init(
        url: String,
        schema: String = "public",
        chunking: SnapshotChunking = .standard,
        connectTimeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "ballast.store.postgres")
    ) async throws(StoreError) {
        try await self.init(
            url: try PostgresURL(parsing: url), schema: schema, chunking: chunking, connectTimeout: connectTimeout,
            logger: logger)
    }

    /// Opens the store at a parsed location.
    ///
    /// - Parameters:
    ///   - url: The server, user, password and database.
    ///   - schema: The schema holding the tables, created if missing (lower-case letters, digits and `_`).
    ///   - chunking: How large snapshots are cut (8 MiB chunks unless told otherwise).
    ///   - connectTimeout: How long opening may take before it fails.
    ///   - logger: Where the connection pool logs in the background.
    /// - Throws: As the initializer taking the URL as a string, except for URL parsing.
    public init(
        url: PostgresURL,
        schema: String = "public",
        chunking: SnapshotChunking = .standard,
        connectTimeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "ballast.store.postgres")
    ) async throws(StoreError) {
        let schema = try PostgresSchema(name: schema)
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: .disable)
        configuration.options.connectTimeout = connectTimeout
        configuration.options.minimumConnections = 1
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        // Started first, so the pool is running by the time the checked connection has created the tables.
        let runTask = Task { await client.run() }
        do {
            try await Self.connectAndCreateTables(url: url, schema: schema, timeout: connectTimeout, logger: logger)
        } catch {
            runTask.cancel()
            await runTask.value
            throw error
        }
        self.url = url
        self.chunking = chunking
        self.schema = schema
        self.client = client
        self.logger = logger
        self.runTask = runTask
    }

    deinit {
        runTask.cancel()
    }

    /// Stops the connection pool (its `run()` task) and closes its connections. Further calls fail with
    /// ``StoreError/unavailable(_:)``; closing twice does nothing.
    public func close() async throws(StoreError) {
        guard state.close() else { return }
        runTask.cancel()
        await runTask.value
    }

    /// Checks the store is open, naming it in the error.
    func checkOpen() throws(StoreError) {
        try state.check("the PostgreSQL store \(url) (schema \(schema.name))")
    }

    /// Maps an error from postgres-nio (or a ``StoreError`` thrown inside a transaction) to a ``StoreError``.
    func storeError(_ error: any Error, while action: String) -> StoreError {
        StoreError.wrapping(error, while: "\(action) in \(url) (schema \(schema.name))") {
            PostgresErrorText.describe($0)
        }
    }

    /// Connects once, directly, and creates the schema and tables, all within `timeout`.
    private static func connectAndCreateTables(
        url: PostgresURL, schema: PostgresSchema, timeout: Duration, logger: Logger
    ) async throws(StoreError) {
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: .disable)
        configuration.options.connectTimeout = TimeAmount(timeout)
        let connectionConfiguration = configuration
        let finished: Void?
        do {
            finished = try await withDeadline(timeout) {
                let connection = try await PostgresConnection.connect(
                    configuration: connectionConfiguration, id: 0, logger: logger)
                do {
                    try await schema.create(on: connection, logger: logger)
                } catch {
                    try? await connection.close()
                    throw StoreError.database(
                        "creating the tables of schema \(schema.name) in \(url): \(PostgresErrorText.describe(error))")
                }
                try await connection.close()
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.unavailable("cannot connect to PostgreSQL at \(url): \(PostgresErrorText.describe(error))")
        }
        guard finished != nil else {
            throw StoreError.unavailable(
                "no answer from PostgreSQL at \(url) within \(timeout): the server is unreachable or not answering")
        }
    }
}
