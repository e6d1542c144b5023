@testable import BallastStore
import Foundation
import Testing

/// Opens instances of one kind of store on one fresh database, and removes that database afterwards.
///
/// Every ``open(chunking:)`` of a harness reaches the same data (the same file, the same schema), so a check can
/// close a store and open a new instance to see what survived.
protocol StoreHarness: Sendable {
    /// Opens a new store instance on the harness's database.
    func open(chunking: SnapshotChunking) async throws -> any EventStore
    /// Makes the database fail, inside the store's transactions, any insert of journal sequence 1000 and of
    /// snapshot chunk 2 (a trigger raising an error), so checks can see a failed write leave no trace.
    func injectWriteFailures(into store: any EventStore) async throws
    /// Removes the harness's database.
    func cleanUp() async
}

extension StoreHarness {
    /// Opens a new store instance with the standard chunk size.
    func open() async throws -> any EventStore {
        try await open(chunking: .standard)
    }
}

/// A SQLite file in a fresh temporary directory (inside a subdirectory the store has to create).
struct SQLiteHarness: StoreHarness {
    /// The temporary directory.
    let directory: URL
    /// The database file, two levels below the temporary directory.
    var path: String { directory.appendingPathComponent("data/nested/ballast.sqlite").path }

    /// Names a fresh temporary directory (created by the store's first open).
    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-store-\(UUID().uuidString)")
    }

    func open(chunking: SnapshotChunking) async throws -> any EventStore {
        try SQLiteEventStore(path: path, chunking: chunking)
    }

    func injectWriteFailures(into store: any EventStore) async throws {
        let store = try #require(store as? SQLiteEventStore)
        try await store.executeForTesting(
            """
            CREATE TRIGGER fail_journal BEFORE INSERT ON journal WHEN NEW.sequence = 1000
            BEGIN SELECT RAISE(ABORT, 'injected journal failure'); END;
            CREATE TRIGGER fail_chunk BEFORE INSERT ON snapshot_chunks WHEN NEW.chunk_index = 2
            BEGIN SELECT RAISE(ABORT, 'injected chunk failure'); END;
            """)
    }

    func cleanUp() async {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A fresh schema in the database named by `BALLAST_POSTGRES_URL`.
struct PostgresHarness: StoreHarness {
    /// The database URL from the environment, if set: the PostgreSQL tests run only then.
    static let url: String? = ProcessInfo.processInfo.environment["BALLAST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// The database URL.
    let url: String
    /// The schema this harness's stores use: unique per harness, so tests never see each other's data.
    let schema: String

    /// Names a fresh schema in the database from the environment.
    init() throws {
        guard let url = Self.url else { throw StoreError.unavailable("BALLAST_POSTGRES_URL is not set") }
        self.url = url
        schema = "ballast_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    }

    func open(chunking: SnapshotChunking) async throws -> any EventStore {
        try await PostgresEventStore(url: url, schema: schema, chunking: chunking)
    }

    func injectWriteFailures(into store: any EventStore) async throws {
        let store = try #require(store as? PostgresEventStore)
        try await store.executeForTesting(
            """
            CREATE FUNCTION {schema}.fail_injected() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- Nested: PL/pgSQL resolves NEW's fields only in the branch of the table that has them.
                IF TG_TABLE_NAME = 'journal' THEN
                    IF NEW.sequence = 1000 THEN RAISE EXCEPTION 'injected journal failure'; END IF;
                ELSE
                    IF NEW.chunk_index = 2 THEN RAISE EXCEPTION 'injected chunk failure'; END IF;
                END IF;
                RETURN NEW;
            END $$
            """)
        try await store.executeForTesting(
            "CREATE TRIGGER fail_journal BEFORE INSERT ON {schema}.journal FOR EACH ROW EXECUTE FUNCTION {schema}.fail_injected()")
        try await store.executeForTesting(
            "CREATE TRIGGER fail_chunk BEFORE INSERT ON {schema}.snapshot_chunks FOR EACH ROW EXECUTE FUNCTION {schema}.fail_injected()")
    }

    func cleanUp() async {
        guard let store = try? await PostgresEventStore(url: url, schema: schema) else { return }
        try? await store.dropSchemaForTesting()
        try? await store.close()
    }
}
