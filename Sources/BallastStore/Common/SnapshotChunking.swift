/// How snapshots are cut into chunks and put back together.
///
/// A snapshot of a few hundred MB cannot sensibly be one database value (SQLite caps a blob at 1 GB by default and
/// PostgreSQL a `bytea` at 1 GB, and either would hold the whole value in one buffer several times over), so stores
/// keep a header row (`sequence`, `byte_count`, `chunk_count`) and the payload in chunks of at most ``chunkSize``
/// bytes, numbered from 0, all written in one transaction. Reading checks the header against the chunks.
public struct SnapshotChunking: Sendable, Hashable {
    /// The chunk size stores use unless told otherwise: 8 MiB.
    public static let defaultChunkSize = 8 << 20

    /// The largest chunk size accepted: 256 MiB (well below both databases' 1 GB value limit).
    public static let largestChunkSize = 256 << 20

    /// Chunks of ``defaultChunkSize`` bytes.
    public static let standard = SnapshotChunking(checkedChunkSize: defaultChunkSize)

    /// The largest number of bytes in one chunk.
    public let chunkSize: Int

    /// Creates a chunking rule.
    /// - Throws: ``StoreError/unavailable(_:)`` when `chunkSize` is not in `1...largestChunkSize`.
    public init(chunkSize: Int) throws(StoreError) {
        guard chunkSize >= 1, chunkSize <= Self.largestChunkSize else {
            throw StoreError.unavailable(
                "snapshot chunk size \(chunkSize) is not between 1 and \(Self.largestChunkSize) bytes")
        }
        self.chunkSize = chunkSize
    }

    /// Creates a chunking rule from a size known to be valid.
    private init(checkedChunkSize: Int) {
        self.chunkSize = checkedChunkSize
    }

    /// The byte ranges of the chunks of a payload of `byteCount` bytes, in order (none for an empty payload).
    func chunkRanges(byteCount: Int) -> [Range<Int>] {
        stride(from: 0, to: byteCount, by: chunkSize).map { start in
            start..<min(start + chunkSize, byteCount)
        }
    }

    /// The number of chunks of a payload of `byteCount` bytes.
    func chunkCount(byteCount: Int) -> Int {
        byteCount == 0 ? 0 : (byteCount - 1) / chunkSize + 1
    }
}

/// Puts a snapshot's chunks back together, checking them against the header as they arrive.
struct SnapshotAssembler {
    /// The snapshot's sequence number.
    let sequence: UInt64
    /// The payload size the header announces.
    let byteCount: Int
    /// The number of chunks the header announces.
    let chunkCount: Int
    /// The payload so far.
    private(set) var payload: [UInt8] = []
    /// The number of chunks appended so far.
    private(set) var chunksSeen = 0

    /// Starts assembling the snapshot a header row describes.
    /// - Throws: ``StoreError/corrupt(_:)`` for a header no store writes.
    init(sequence: Int64, byteCount: Int64, chunkCount: Int64) throws(StoreError) {
        self.sequence = try SequenceRules.stored(sequence, what: "snapshot sequence")
        guard byteCount >= 0, chunkCount >= 0, byteCount <= Int64(Int.max), chunkCount <= Int64(Int.max) else {
            throw StoreError.corrupt("snapshot \(sequence) has a header of \(byteCount) bytes in \(chunkCount) chunks")
        }
        self.byteCount = Int(byteCount)
        self.chunkCount = Int(chunkCount)
        payload.reserveCapacity(self.byteCount)
    }

    /// Appends the next chunk.
    /// - Throws: ``StoreError/corrupt(_:)`` when the chunk is out of order or the payload grows past the header's
    ///   size.
    mutating func append<Bytes: Collection>(chunkIndex: Int64, bytes: Bytes) throws(StoreError)
    where Bytes.Element == UInt8 {
        guard chunkIndex == Int64(chunksSeen) else {
            throw StoreError.corrupt("snapshot \(sequence): chunk \(chunkIndex) found where chunk \(chunksSeen) belongs")
        }
        guard bytes.count <= byteCount - payload.count else {
            throw StoreError.corrupt("snapshot \(sequence): chunks hold more than the \(byteCount) bytes announced")
        }
        payload.append(contentsOf: bytes)
        chunksSeen += 1
    }

    /// The complete snapshot.
    /// - Throws: ``StoreError/corrupt(_:)`` when chunks or bytes are missing.
    func finish() throws(StoreError) -> SnapshotRecord {
        guard chunksSeen == chunkCount, payload.count == byteCount else {
            throw StoreError.corrupt(
                "snapshot \(sequence): \(chunksSeen) of \(chunkCount) chunks and \(payload.count) of \(byteCount) bytes found")
        }
        return SnapshotRecord(sequence: sequence, payload: payload)
    }
}
