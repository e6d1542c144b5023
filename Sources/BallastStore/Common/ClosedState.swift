import Synchronization

/// Whether a store was closed: set once by `close()`, checked by every other call.
final class ClosedState: Sendable {
    private let closed = Mutex(false)

    /// Creates an open state.
    init() {}

    /// Marks the store closed.
    /// - Returns: `true` if it was open until now (so the caller releases its resources exactly once).
    func close() -> Bool {
        closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
    }

    /// Throws if the store was closed.
    /// - Throws: ``StoreError/unavailable(_:)`` naming the store.
    func check(_ storeName: String) throws(StoreError) {
        if closed.withLock({ $0 }) {
            throw StoreError.unavailable("\(storeName) is closed")
        }
    }
}
