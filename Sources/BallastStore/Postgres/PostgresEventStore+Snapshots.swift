import NIOCore
import PostgresNIO

extension PostgresEventStore {
    /// Stores a snapshot in chunks, in one transaction, and drops the snapshots it supersedes.
    ///
    /// The store keeps one snapshot: the one with the highest sequence. Writing a snapshot replaces a stored one with
    /// the same or a lower sequence; writing one older than the stored snapshot changes nothing (it would never be
    /// read). The snapshot table is locked against other writers (not readers) for the transaction; if the write
    /// fails, the transaction rolls back and the previous snapshot is intact. Each chunk is one statement.
    /// - Throws: ``StoreError/database(_:)`` when a statement fails or the sequence is above `Int64.max`,
    ///   ``StoreError/unavailable(_:)`` after ``close()``.
    public func writeSnapshot(_ snapshot: SnapshotRecord) async throws(StoreError) {
        try checkOpen()
        let sequence = try SequenceRules.databaseInteger(snapshot.sequence, what: "snapshot sequence")
        let ranges = chunking.chunkRanges(byteCount: snapshot.payload.count)
        let schema = self.schema
        let logger = self.logger
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    PostgresQuery(unsafeSQL: "LOCK TABLE \(schema.snapshots) IN EXCLUSIVE MODE"), logger: logger)
                let latestRows: PostgresRowSequence = try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT max(sequence) FROM \(schema.snapshots)"), logger: logger)
                var latest: Int64?
                for try await value in latestRows.decode(Int64?.self) { latest = value }
                if let latest, latest > sequence { return }

                var bound = PostgresBindings(capacity: 1)
                bound.append(sequence)
                try await connection.query(
                    PostgresQuery(unsafeSQL: "DELETE FROM \(schema.chunks) WHERE sequence <= $1", binds: bound),
                    logger: logger)
                try await connection.query(
                    PostgresQuery(unsafeSQL: "DELETE FROM \(schema.snapshots) WHERE sequence <= $1", binds: bound),
                    logger: logger)
                var header = PostgresBindings(capacity: 3)
                header.append(sequence)
                header.append(Int64(snapshot.payload.count))
                header.append(Int64(ranges.count))
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: "INSERT INTO \(schema.snapshots) (sequence, byte_count, chunk_count) VALUES ($1, $2, $3)",
                        binds: header), logger: logger)
                for (index, range) in ranges.enumerated() {
                    var chunk = PostgresBindings(capacity: 3)
                    chunk.append(sequence)
                    chunk.append(Int64(index))
                    chunk.append(ByteBuffer(bytes: snapshot.payload[range]))
                    try await connection.query(
                        PostgresQuery(
                            unsafeSQL: "INSERT INTO \(schema.chunks) (sequence, chunk_index, data) VALUES ($1, $2, $3)",
                            binds: chunk), logger: logger)
                }
            }
        } catch {
            throw storeError(
                error, while: "writing the snapshot at sequence \(snapshot.sequence) (\(snapshot.payload.count) bytes)")
        }
    }

    /// The snapshot with the highest sequence number, or `nil` if none was written.
    ///
    /// Header and chunks come from one statement (one consistent view of the database), streamed chunk by chunk.
    /// - Throws: ``StoreError/corrupt(_:)`` when chunks are missing or do not match the header,
    ///   ``StoreError/database(_:)`` when the query fails, ``StoreError/unavailable(_:)`` after ``close()``.
    public func latestSnapshot() async throws(StoreError) -> SnapshotRecord? {
        try checkOpen()
        let sql = """
            SELECT s.sequence, s.byte_count, s.chunk_count, c.chunk_index, c.data
            FROM \(schema.snapshots) s LEFT JOIN \(schema.chunks) c ON c.sequence = s.sequence
            WHERE s.sequence = (SELECT max(sequence) FROM \(schema.snapshots))
            ORDER BY c.chunk_index
            """
        do {
            let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            var assembler: SnapshotAssembler?
            for try await (sequence, byteCount, chunkCount, index, data) in rows.decode(
                (Int64, Int64, Int64, Int64?, ByteBuffer?).self)
            {
                if assembler == nil {
                    assembler = try SnapshotAssembler(sequence: sequence, byteCount: byteCount, chunkCount: chunkCount)
                }
                if let index, let data {
                    // Appended in place: a copy of the assembler would copy the whole payload at every chunk.
                    try assembler?.append(chunkIndex: index, bytes: data.readableBytesView)
                }
            }
            return try assembler?.finish()
        } catch {
            throw storeError(error, while: "reading the latest snapshot")
        }
    }
}
