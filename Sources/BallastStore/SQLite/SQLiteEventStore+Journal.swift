import Foundation
import GRDB

extension SQLiteEventStore {
    /// Appends records in one `IMMEDIATE` transaction through a cached prepared statement.
    ///
    /// The batch is checked first (strictly increasing, from 1, at most `Int64.max`), then against the last stored
    /// sequence inside the transaction, so nothing of a rejected batch is stored. An empty batch does nothing.
    /// - Throws: ``StoreError/sequenceNotIncreasing(sequence:last:)`` for the first offending record,
    ///   ``StoreError/database(_:)`` when SQLite fails (the transaction is rolled back),
    ///   ``StoreError/unavailable(_:)`` after ``close()``.
    public func append(_ records: [JournalRecord]) async throws(StoreError) {
        try checkOpen()
        let sequences = try SequenceRules.validatedSequences(of: records)
        guard let first = sequences.first else { return }
        do {
            try await pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    let last = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM journal") ?? 0
                    guard first > last else {
                        throw StoreError.sequenceNotIncreasing(sequence: UInt64(first), last: UInt64(last))
                    }
                    let insert = try db.cachedStatement(sql: "INSERT INTO journal (sequence, payload) VALUES (?, ?)")
                    for (sequence, record) in zip(sequences, records) {
                        insert.setUncheckedArguments([sequence, Data(record.payload)])
                        try insert.execute()
                    }
                    return .commit
                }
            }
        } catch {
            throw storeError(error, while: "appending \(records.count) journal records from sequence \(first)")
        }
    }

    /// Up to `limit` records with a sequence number above `sequence`, in ascending order (none for `limit < 1`).
    /// - Throws: ``StoreError/database(_:)`` when SQLite fails, ``StoreError/unavailable(_:)`` after ``close()``.
    public func records(after sequence: UInt64, limit: Int) async throws(StoreError) -> [JournalRecord] {
        try checkOpen()
        guard limit > 0, let bound = SequenceRules.lowerBound(after: sequence) else { return [] }
        do {
            return try await pool.read { db in
                let select = try db.cachedStatement(
                    sql: "SELECT sequence, payload FROM journal WHERE sequence > ? ORDER BY sequence LIMIT ?")
                select.setUncheckedArguments([bound, limit])
                var records: [JournalRecord] = []
                let rows = try Row.fetchCursor(select)
                while let row = try rows.next() {
                    let sequence = try SequenceRules.stored(row.decode(Int64.self, atIndex: 0), what: "journal sequence")
                    let payload = try row.withUnsafeData(atIndex: 1) { data in data.map { [UInt8]($0) } }
                    guard let payload else { throw StoreError.corrupt("journal record \(sequence) has no payload") }
                    records.append(JournalRecord(sequence: sequence, payload: payload))
                }
                return records
            }
        } catch {
            throw storeError(error, while: "reading journal records after sequence \(sequence)")
        }
    }

    /// The highest stored sequence number, or `nil` for an empty journal.
    /// - Throws: ``StoreError/database(_:)`` when SQLite fails, ``StoreError/unavailable(_:)`` after ``close()``.
    public func lastSequence() async throws(StoreError) -> UInt64? {
        try checkOpen()
        do {
            let last = try await pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM journal")
            }
            return try SequenceRules.storedLast(last)
        } catch {
            throw storeError(error, while: "reading the last journal sequence")
        }
    }
}
