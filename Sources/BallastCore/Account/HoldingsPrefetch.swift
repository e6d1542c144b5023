extension Array where Element == Account {
    /// Requests, without waiting, the memory an evaluation of `self[index]` reads beyond its record: the headers of its
    /// positions and balances buffers, its first `positions` positions and its first `balances` balances (at most each
    /// buffer's first ``MemoryPrefetch/maximumBytes``). A loop over many accounts (a book re-margined, a price tick's
    /// due accounts, a batch of events) calls it for an account a few iterations ahead, so that account's holdings
    /// arrive while the current one is evaluated: the buffers are separate heap blocks, one or more cache lines each,
    /// which the processor's own prefetchers do not foresee.
    ///
    /// The buffers' addresses are read from the record as plain words: going through the arrays would retain each
    /// buffer, and the retain writes the very line being requested, so it would wait for it. A Swift array is one
    /// reference to its buffer, whose elements follow a header of four words (32 bytes). A request is only a hint: it
    /// never faults, reads nothing a program observes, and an index outside the array requests nothing.
    @inlinable @inline(__always)
    public func prefetchHoldings(at index: Int, positions: Int, balances: Int) {
        guard let positionsOffset = Account.positionsOffset, let balancesOffset = Account.balancesOffset else { return }
        withUnsafeBufferPointer { records in
            guard let base = records.baseAddress, index >= 0, index < records.count else { return }
            let record = UnsafeRawPointer(base + index)
            // Counts beyond what one request covers are cut there first, so the products cannot overflow.
            let limit = MemoryPrefetch.maximumBytes
            MemoryPrefetch.request(record.load(fromByteOffset: positionsOffset, as: UnsafeRawPointer.self),
                                   bytes: Account.bufferHeader + Swift.min(Swift.max(0, positions), limit) * MemoryLayout<Position>.stride)
            MemoryPrefetch.request(record.load(fromByteOffset: balancesOffset, as: UnsafeRawPointer.self),
                                   bytes: Account.bufferHeader + Swift.min(Swift.max(0, balances), limit) * MemoryLayout<Balance>.stride)
        }
    }
}

extension Account {
    /// Where a record holds its positions array (`nil` if the layout does not say, and nothing is requested).
    @usableFromInline static let positionsOffset = MemoryLayout<Account>.offset(of: \Account.positions)
    /// Where a record holds its balances array.
    @usableFromInline static let balancesOffset = MemoryLayout<Account>.offset(of: \Account.balances)
    /// The bytes before an array buffer's first element.
    @usableFromInline static let bufferHeader = 32
}
