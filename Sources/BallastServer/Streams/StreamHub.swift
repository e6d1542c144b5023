import BallastEngine
import Foundation
import Synchronization

/// Fans the engine's signals out to WebSocket clients, never waiting for one: each client has a bounded queue, and a
/// client whose queue is full is dropped (its stream ends with ``StreamSubscription/Ending/tooSlow``) instead of
/// slowing the engine or the other clients.
public final class StreamHub: Sendable {
    /// What a client receives.
    public enum Filter: Sendable, Hashable {
        /// Every signal (admin stream).
        case all
        /// Signals of one account's pool: the account's own, or its group's.
        case account(id: String, group: String?)

        func matches(_ subject: MarginSubject) -> Bool {
            switch (self, subject) {
            case (.all, _): return true
            case (.account(let id, _), .account(let subject)): return id == subject
            case (.account(_, let group?), .group(let subject)): return group == subject
            default: return false
            }
        }
    }

    private struct Client {
        var filter: Filter
        var continuation: AsyncStream<String>.Continuation
    }

    private struct State {
        var clients: [UInt64: Client] = [:]
        var next: UInt64 = 0
        var slow: Set<UInt64> = []
    }

    private let state = Mutex(State())
    /// Messages a client may have waiting.
    public let capacity: Int

    /// A hub whose clients may each have `capacity` messages waiting.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Clients connected.
    public var clientCount: Int { state.withLock { $0.clients.count } }

    /// Registers a client.
    public func subscribe(_ filter: Filter) -> StreamSubscription {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(capacity))
        let id = state.withLock { state in
            state.next += 1
            state.clients[state.next] = Client(filter: filter, continuation: continuation)
            return state.next
        }
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        return StreamSubscription(id: id, messages: stream, hub: self)
    }

    /// Sends `message` (a JSON text) to every client whose filter matches `subject` (`nil`: every client). Returns
    /// how many clients were dropped as too slow.
    @discardableResult
    public func publish(_ message: String, subject: MarginSubject?) -> Int {
        var dropped: [AsyncStream<String>.Continuation] = []
        state.withLock { state in
            for (id, client) in state.clients where subject.map(client.filter.matches) ?? true {
                if case .dropped = client.continuation.yield(message) {
                    state.slow.insert(id)
                    state.clients[id] = nil
                    dropped.append(client.continuation)
                }
            }
        }
        for continuation in dropped { continuation.finish() }
        return dropped.count
    }

    /// Sends `message` to one client (its own status updates). Returns false if the client was dropped as too slow.
    @discardableResult
    func send(_ message: String, to id: UInt64) -> Bool {
        let continuation: AsyncStream<String>.Continuation? = state.withLock { state in
            guard let client = state.clients[id] else { return nil }
            if case .dropped = client.continuation.yield(message) {
                state.slow.insert(id)
                state.clients[id] = nil
                return client.continuation
            }
            return nil
        }
        guard let continuation else { return true }
        continuation.finish()
        return false
    }

    /// Whether a client was dropped as too slow.
    func isDropped(_ id: UInt64) -> Bool {
        state.withLock { $0.slow.contains(id) }
    }

    /// Forgets a dropped client.
    func forget(_ id: UInt64) {
        _ = state.withLock { $0.slow.remove(id) }
    }

    /// Ends every stream (shutdown).
    public func finishAll() {
        let continuations = state.withLock { state in
            defer { state.clients.removeAll() }
            return state.clients.values.map(\.continuation)
        }
        for continuation in continuations { continuation.finish() }
    }

    private func remove(_ id: UInt64) {
        _ = state.withLock { $0.clients.removeValue(forKey: id) }
    }
}

/// One client's messages.
public struct StreamSubscription: Sendable {
    /// Why the messages ended.
    public enum Ending: Sendable, Hashable {
        /// The client could not keep up and was dropped.
        case tooSlow
        /// The service is stopping, or the client left.
        case closed
    }

    /// The client's id in the hub.
    let id: UInt64
    /// The messages, in order.
    public let messages: AsyncStream<String>
    let hub: StreamHub

    /// Whether the client has been dropped as too slow (its remaining messages should not be sent).
    public var isDropped: Bool { hub.isDropped(id) }

    /// Why the stream ended (once `messages` is exhausted, or ``isDropped``).
    public var ending: Ending { hub.isDropped(id) ? .tooSlow : .closed }

    /// Sends a message to this client only. Returns false if it was dropped as too slow.
    @discardableResult
    public func send(_ message: String) -> Bool { hub.send(message, to: id) }

    /// Forgets the client (when its connection ends).
    public func end() { hub.forget(id) }
}
