/// The rules every store applies to sequence numbers before touching its database.
///
/// Journal sequence numbers run from 1 to `Int64.max`: 0 is reserved for "before the first record" (so
/// `records(after: 0, …)` reads from the start), and both SQLite and PostgreSQL keep integers as signed 64-bit
/// values. A snapshot may be taken at sequence 0 (the state before any event).
enum SequenceRules {
    /// The largest sequence number a store can keep (both databases hold signed 64-bit integers).
    static let largest = UInt64(Int64.max)

    /// Checks a batch on its own: every sequence fits a database column and the batch is strictly increasing,
    /// starting above 0.
    /// - Returns: The batch's sequence numbers as database integers, in order.
    /// - Throws: ``StoreError/sequenceNotIncreasing(sequence:last:)`` for the first record not above its
    ///   predecessor (the first record is compared with 0), ``StoreError/database(_:)`` for a sequence above
    ///   ``largest``.
    static func validatedSequences(of records: [JournalRecord]) throws(StoreError) -> [Int64] {
        var sequences: [Int64] = []
        sequences.reserveCapacity(records.count)
        var previous: UInt64 = 0
        for record in records {
            guard record.sequence > previous else {
                throw StoreError.sequenceNotIncreasing(sequence: record.sequence, last: previous)
            }
            sequences.append(try databaseInteger(record.sequence, what: "journal sequence"))
            previous = record.sequence
        }
        return sequences
    }

    /// The sequence number as a database integer.
    /// - Throws: ``StoreError/database(_:)`` when it is above ``largest``.
    static func databaseInteger(_ sequence: UInt64, what: String) throws(StoreError) -> Int64 {
        guard sequence <= largest else {
            throw StoreError.database("\(what) \(sequence) is above \(largest), the largest sequence a store can keep")
        }
        return Int64(sequence)
    }

    /// The bound to use for "sequence greater than `sequence`" in a query, or `nil` when no stored sequence can be
    /// greater (the answer is empty).
    static func lowerBound(after sequence: UInt64) -> Int64? {
        sequence < largest ? Int64(sequence) : nil
    }

    /// A stored sequence number read back from the database.
    /// - Throws: ``StoreError/corrupt(_:)`` for a negative value, which no store writes.
    static func stored(_ value: Int64, what: String) throws(StoreError) -> UInt64 {
        guard value >= 0 else { throw StoreError.corrupt("\(what) \(value) is negative") }
        return UInt64(value)
    }

    /// The highest journal sequence read back from the database (`nil`: an empty journal).
    /// - Throws: ``StoreError/corrupt(_:)`` for a negative value.
    static func storedLast(_ value: Int64?) throws(StoreError) -> UInt64? {
        try value.map { value throws(StoreError) in try stored(value, what: "journal sequence") }
    }
}
