import BallastPrefetch

/// Software prefetch: requests for memory a program will read soon (see ``Swift/Array/prefetchHoldings(at:positions:balances:)``).
public enum MemoryPrefetch {
    /// The most bytes one request covers (64 lines): a block requested ahead is a record or the first elements of a
    /// buffer, and asking for more would only evict what is in use.
    @inlinable public static var maximumBytes: Int { 4_096 }

    /// Requests every cache line of the first `bytes` bytes from `start` (at least one byte, at most
    /// ``maximumBytes``): one request per 64 bytes and one for the last byte, since the block need not start on a
    /// line. Never faults, whatever the address.
    @inlinable @inline(__always)
    public static func request(_ start: UnsafeRawPointer, bytes: Int) {
        let bytes = Swift.min(Swift.max(1, bytes), maximumBytes)
        var offset = 0
        while offset < bytes {
            ballast_prefetch(start + offset)
            offset &+= 64
        }
        ballast_prefetch(start + (bytes &- 1))
    }
}
