import BallastPrefetch

/// Software prefetch: requests for memory a program will read soon (see ``Swift/Array/prefetchHoldings(at:positions:balances:)``).
public enum MemoryPrefetch {
    /// Requests every cache line of the `bytes` bytes from `start` (at least one): one request per 64 bytes and one for
    /// the last byte, since the block need not start on a line. Never faults, whatever the address.
    @inlinable @inline(__always)
    public static func request(_ start: UnsafeRawPointer, bytes: Int) {
        var offset = 0
        while offset < bytes {
            ballast_prefetch(start + offset)
            offset &+= 64
        }
        ballast_prefetch(start + (Swift.max(1, bytes) &- 1))
    }
}
