import BallastStore

/// Deterministic test data: byte patterns that differ per seed, so a record or chunk read back from the wrong place
/// does not compare equal by accident.
enum TestPayloads {
    /// `count` pseudo-random bytes from `seed` (xorshift64*).
    static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        for _ in 0..<count {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            bytes.append(UInt8(truncatingIfNeeded: (state &* 0x2545_F491_4F6C_DD1D) >> 56))
        }
        return bytes
    }

    /// Journal records with the given sequences and payloads of 1 to 200 bytes.
    static func records(_ sequences: some Sequence<UInt64>) -> [JournalRecord] {
        sequences.map { sequence in
            JournalRecord(sequence: sequence, payload: bytes(count: Int(sequence % 200) + 1, seed: sequence))
        }
    }
}
