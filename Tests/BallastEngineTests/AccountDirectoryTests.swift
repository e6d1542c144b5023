import BallastCore
@testable import BallastEngine
import Testing

/// The account directory finds exactly the accounts it was given, whatever their hashes: checked against a plain
/// dictionary after every insertion, with hashes weakened so most ids collide (long probe runs, runs that wrap around
/// the end of the table, growth in the middle of them) and with the standard hash.
@Suite("Engine: account directory")
struct AccountDirectoryTests {
    /// Opens `count` accounts one by one and, after each, looks up every id of a pool twice as large.
    func check(count: Int, hash: @escaping @Sendable (String) -> Int) {
        var directory = AccountDirectory(hash: hash)
        var accounts: [Account] = []
        var reference: [String: Int32] = [:]
        let pool = (0..<(2 * count)).map { "acct-\($0)" }
        var mismatches = 0
        for n in 0..<count {
            let id = pool[2 * n]  // every other id of the pool is never opened
            accounts.append(Account(id: id))
            directory.insert(id, at: Int32(n))
            reference[id] = Int32(n)
            for candidate in pool where directory.find(candidate, in: accounts) != reference[candidate] { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(directory.count == count)
        // Rebuilt from the accounts (as on restore), it finds the same.
        let rebuilt = AccountDirectory(accounts, hash: hash)
        #expect(pool.allSatisfy { rebuilt.find($0, in: accounts) == reference[$0] })
    }

    @Test("with 3 hash values for every id, each opened account is found at its index and no other id is")
    func collidingHashes() {
        // Hash values 0, 1 and 2^32 − 1: the last one's home is the table's last entry, so its run wraps to the start.
        check(count: 150) { id in [0, 1, 0xFFFF_FFFF][id.utf8.count % 3] }
    }

    @Test("with the standard hash, each opened account is found at its index and no other id is")
    func standardHash() {
        check(count: 300) { $0.hashValue }
    }

    @Test("an id held twice by the accounts given is found at its first position")
    func firstPositionWins() {
        let accounts = ["a", "b", "a", "c"].map { Account(id: $0) }
        let directory = AccountDirectory(accounts)
        #expect(directory.find("a", in: accounts) == 0)
        #expect(directory.find("c", in: accounts) == 3)
        #expect(directory.find("d", in: accounts) == nil)
        #expect(directory.count == 3)
    }
}
