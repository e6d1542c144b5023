/// The ids of the most recent accepted events, to acknowledge a repeated id without applying it again: a set for
/// lookups and a ring for eviction in arrival order.
public struct DuplicateWindow: Sendable {
    private var ids: Set<String> = []
    private var ring: [String] = []
    private var next = 0
    /// How many ids are kept.
    public let capacity: Int

    /// An empty window of `capacity` ids (at least 1).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Whether `id` was accepted recently.
    public func contains(_ id: String) -> Bool { ids.contains(id) }

    /// Remembers `id`, forgetting the oldest one when full.
    public mutating func insert(_ id: String) {
        if ring.count < capacity {
            ring.append(id)
        } else {
            ids.remove(ring[next])
            ring[next] = id
            next = (next + 1) % capacity
        }
        ids.insert(id)
    }

    /// The ids from oldest to newest.
    public var oldestFirst: [String] {
        ring.count < capacity ? ring : Array(ring[next...] + ring[..<next])
    }
}
