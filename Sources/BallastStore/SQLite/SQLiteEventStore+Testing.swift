import GRDB

extension SQLiteEventStore {
    /// Runs SQL on the writer connection, outside the store's rules (tests use it to inject failures).
    /// - Throws: ``StoreError/database(_:)`` when the SQL fails.
    func executeForTesting(_ sql: String) async throws(StoreError) {
        try checkOpen()
        do {
            try await pool.write { db in try db.execute(sql: sql) }
        } catch {
            throw storeError(error, while: "running test SQL")
        }
    }
}
