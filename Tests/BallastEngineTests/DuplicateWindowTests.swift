import BallastCore
@testable import BallastEngine
import Testing

/// The duplicate window remembers exactly the last `capacity` ids, whatever their hashes: checked against a plain list
/// of the last ids, with hashes weakened so most ids collide (long probe runs, deletions inside them, runs that wrap
/// around the end of the table) and with the standard hash.
@Suite("Engine: duplicate window")
struct DuplicateWindowTests {
    /// Inserts `rounds` random ids from a pool of `pool` and checks every id of the pool after each insertion.
    func check(capacity: Int, pool: Int, rounds: Int, seed: UInt64, hash: @escaping @Sendable (String) -> Int) {
        var random = SeededGenerator(seed: seed)
        var window = DuplicateWindow(capacity: capacity, hash: hash)
        var recent: [String] = []
        let ids = (0..<pool).map { "e\($0)" }
        var mismatches = 0
        for _ in 0..<rounds {
            let id = ids[Int.random(in: 0..<pool, using: &random)]
            // The engine inserts only ids it does not hold; inserting a held one must still keep one entry per arrival.
            window.insert(id)
            recent.append(id)
            if recent.count > capacity { recent.removeFirst() }
            for candidate in ids where window.contains(candidate) != recent.contains(candidate) { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(window.oldestFirst == recent)
    }

    @Test("with 3 hash values for every id, each id is found exactly while it is among the last ones", arguments: [1, 2, 7, 64] as [Int])
    func collidingHashes(capacity: Int) {
        // Hash values 0, 1 and 2^32 − 1: the last one's home is the table's last entry, so its run wraps to the start.
        check(capacity: capacity, pool: 3 * capacity + 5, rounds: 600, seed: UInt64(capacity)) { id in
            [0, 1, 0xFFFF_FFFF][id.utf8.count % 3]
        }
    }

    @Test("with the standard hash, each id is found exactly while it is among the last ones")
    func standardHash() {
        check(capacity: 100, pool: 400, rounds: 2_000, seed: 11) { $0.hashValue }
    }

    @Test("the window keeps the last million ids of a stream and forgets the ones before")
    func fullWindow() {
        var window = DuplicateWindow(capacity: 1 << 20)
        for n in 0..<((1 << 20) + 5_000) { window.insert("f\(n)") }
        #expect(!window.contains("f0"))
        #expect(!window.contains("f4999"))
        #expect(window.contains("f5000"))
        #expect(window.contains("f\((1 << 20) + 4_999)"))
        #expect(!window.contains("f\((1 << 20) + 5_000)"))
        #expect(window.oldestFirst.first == "f5000")
    }
}
