import Foundation
import PostgresNIO

extension PostgresEventStore {
    /// Drops the store's schema and everything in it (tests use a fresh schema each and remove it afterwards).
    /// Refuses the `public` schema.
    /// - Throws: ``StoreError/database(_:)`` when the statement fails or the schema is `public`.
    func dropSchemaForTesting() async throws(StoreError) {
        try checkOpen()
        guard schema.name != "public" else { throw StoreError.database("refusing to drop the public schema") }
        do {
            try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \"\(schema.name)\" CASCADE"), logger: logger)
        } catch {
            throw storeError(error, while: "dropping the schema")
        }
    }

    /// Runs SQL outside the store's rules (tests use it to inject failures); `{schema}` is replaced by the quoted
    /// schema name.
    /// - Throws: ``StoreError/database(_:)`` when the SQL fails.
    func executeForTesting(_ sql: String) async throws(StoreError) {
        try checkOpen()
        let text = sql.replacingOccurrences(of: "{schema}", with: "\"\(schema.name)\"")
        do {
            try await client.query(PostgresQuery(unsafeSQL: text), logger: logger)
        } catch {
            throw storeError(error, while: "running test SQL")
        }
    }
}
