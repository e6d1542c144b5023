import Foundation
import GRDB

extension SQLiteEventStore {
    /// Stores a snapshot in chunks, in one `IMMEDIATE` transaction, and drops the snapshots it supersedes.
    ///
    /// The store keeps one snapshot: the one with the highest sequence. Writing a snapshot replaces a stored one
    /// with the same or a lower sequence; writing one older than the stored snapshot changes nothing (it would never
    /// be read). If the write fails, the transaction rolls back and the previous snapshot is intact.
    /// - Throws: ``StoreError/database(_:)`` when SQLite fails or the sequence is above `Int64.max`,
    ///   ``StoreError/unavailable(_:)`` after ``close()``.
    public func writeSnapshot(_ snapshot: SnapshotRecord) async throws(StoreError) {
        try checkOpen()
        let sequence = try SequenceRules.databaseInteger(snapshot.sequence, what: "snapshot sequence")
        let ranges = chunking.chunkRanges(byteCount: snapshot.payload.count)
        do {
            try await pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    if let latest = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM snapshots"), latest > sequence {
                        return .commit
                    }
                    try db.execute(sql: "DELETE FROM snapshot_chunks WHERE sequence <= ?", arguments: [sequence])
                    try db.execute(sql: "DELETE FROM snapshots WHERE sequence <= ?", arguments: [sequence])
                    try db.execute(
                        sql: "INSERT INTO snapshots (sequence, byte_count, chunk_count) VALUES (?, ?, ?)",
                        arguments: [sequence, snapshot.payload.count, ranges.count])
                    let insert = try db.cachedStatement(
                        sql: "INSERT INTO snapshot_chunks (sequence, chunk_index, data) VALUES (?, ?, ?)")
                    for (index, range) in ranges.enumerated() {
                        insert.setUncheckedArguments([sequence, index, Data(snapshot.payload[range])])
                        try insert.execute()
                    }
                    return .commit
                }
            }
        } catch {
            throw storeError(error, while: "writing the snapshot at sequence \(snapshot.sequence) (\(snapshot.payload.count) bytes)")
        }
    }

    /// The snapshot with the highest sequence number, or `nil` if none was written. Header and chunks are read in
    /// one read transaction, so a concurrent write is either wholly seen or not at all.
    /// - Throws: ``StoreError/corrupt(_:)`` when chunks are missing or do not match the header,
    ///   ``StoreError/database(_:)`` when SQLite fails, ``StoreError/unavailable(_:)`` after ``close()``.
    public func latestSnapshot() async throws(StoreError) -> SnapshotRecord? {
        try checkOpen()
        do {
            return try await pool.read { db in
                guard
                    let header = try Row.fetchOne(
                        db, sql: "SELECT sequence, byte_count, chunk_count FROM snapshots ORDER BY sequence DESC LIMIT 1")
                else { return nil }
                let sequence = try header.decode(Int64.self, atIndex: 0)
                var assembler = try SnapshotAssembler(
                    sequence: sequence,
                    byteCount: header.decode(Int64.self, atIndex: 1),
                    chunkCount: header.decode(Int64.self, atIndex: 2))
                let chunks = try Row.fetchCursor(
                    db, sql: "SELECT chunk_index, data FROM snapshot_chunks WHERE sequence = ? ORDER BY chunk_index",
                    arguments: [sequence])
                while let chunk = try chunks.next() {
                    let index = try chunk.decode(Int64.self, atIndex: 0)
                    try chunk.withUnsafeData(atIndex: 1) { data in
                        try assembler.append(chunkIndex: index, bytes: data ?? Data())
                    }
                }
                return try assembler.finish()
            }
        } catch {
            throw storeError(error, while: "reading the latest snapshot")
        }
    }
}
