import NIOCore
import PostgresNIO

extension PostgresEventStore {
    /// Appends records in one statement — one round trip — whatever the batch size.
    ///
    /// The sequences and payloads go as two arrays (`int8[]`, `bytea[]`) expanded with `unnest`; the same statement
    /// reads the last stored sequence and inserts only if the batch starts above it, so a rejected batch stores
    /// nothing. An empty batch does nothing.
    /// - Throws: ``StoreError/sequenceNotIncreasing(sequence:last:)`` for the first offending record,
    ///   ``StoreError/database(_:)`` when the statement fails (nothing is stored then),
    ///   ``StoreError/unavailable(_:)`` after ``close()``.
    public func append(_ records: [JournalRecord]) async throws(StoreError) {
        try checkOpen()
        let sequences = try SequenceRules.validatedSequences(of: records)
        guard let first = sequences.first else { return }
        let payloads = records.map { ByteBuffer(bytes: $0.payload) }
        let sql = """
            WITH last AS (SELECT max(sequence) AS sequence FROM \(schema.journal)),
            inserted AS (
                INSERT INTO \(schema.journal) (sequence, payload)
                SELECT batch.sequence, batch.payload FROM unnest($1::int8[], $2::bytea[]) AS batch(sequence, payload)
                WHERE $3::int8 > COALESCE((SELECT sequence FROM last), 0)
                RETURNING 1
            )
            SELECT (SELECT sequence FROM last), (SELECT count(*) FROM inserted)
            """
        var binds = PostgresBindings(capacity: 3)
        binds.append(sequences)
        binds.append(payloads)
        binds.append(first)
        let outcome: (last: Int64?, inserted: Int64)?
        do {
            let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            var result: (Int64?, Int64)?
            for try await row in rows.decode((Int64?, Int64).self) { result = row }
            outcome = result
        } catch {
            throw storeError(error, while: "appending \(records.count) journal records from sequence \(first)")
        }
        guard let outcome else { throw StoreError.database("appending from sequence \(first): the server sent no result") }
        if outcome.inserted == 0 {
            throw StoreError.sequenceNotIncreasing(sequence: UInt64(first), last: UInt64(max(outcome.last ?? 0, 0)))
        }
        guard outcome.inserted == Int64(records.count) else {
            throw StoreError.database(
                "appending from sequence \(first): \(outcome.inserted) of \(records.count) records were stored")
        }
    }

    /// Up to `limit` records with a sequence number above `sequence`, in ascending order (none for `limit < 1`).
    /// - Throws: ``StoreError/database(_:)`` when the query fails, ``StoreError/unavailable(_:)`` after ``close()``.
    public func records(after sequence: UInt64, limit: Int) async throws(StoreError) -> [JournalRecord] {
        try checkOpen()
        guard limit > 0, let bound = SequenceRules.lowerBound(after: sequence) else { return [] }
        var binds = PostgresBindings(capacity: 2)
        binds.append(bound)
        binds.append(Int64(limit))
        let query = PostgresQuery(
            unsafeSQL: "SELECT sequence, payload FROM \(schema.journal) WHERE sequence > $1 ORDER BY sequence LIMIT $2",
            binds: binds)
        do {
            var records: [JournalRecord] = []
            let rows = try await client.query(query, logger: logger)
            for try await (stored, payload) in rows.decode((Int64, ByteBuffer).self) {
                let sequence = try SequenceRules.stored(stored, what: "journal sequence")
                records.append(JournalRecord(sequence: sequence, payload: Array(payload.readableBytesView)))
            }
            return records
        } catch {
            throw storeError(error, while: "reading journal records after sequence \(sequence)")
        }
    }

    /// The highest stored sequence number, or `nil` for an empty journal.
    /// - Throws: ``StoreError/database(_:)`` when the query fails, ``StoreError/unavailable(_:)`` after ``close()``.
    public func lastSequence() async throws(StoreError) -> UInt64? {
        try checkOpen()
        do {
            let rows = try await client.query(
                PostgresQuery(unsafeSQL: "SELECT max(sequence) FROM \(schema.journal)"), logger: logger)
            var last: Int64?
            for try await value in rows.decode(Int64?.self) { last = value }
            return try SequenceRules.storedLast(last)
        } catch {
            throw storeError(error, while: "reading the last journal sequence")
        }
    }
}
