/// A 128-bit fingerprint of an engine's state: the hash of its snapshot bytes (``SnapshotCodec``), so two engines
/// with equal hashes hold the same accounts, ledger, market, parameters and sequencing. Not cryptographic: it detects
/// divergence (a replay that differs from the live engine), not tampering.
///
/// Two independent 64-bit lanes each absorb the bytes eight at a time (multiply, rotate, multiply, with the
/// constants of xxHash64) and are finished with the SplitMix64 avalanche; the length is mixed in at the end.
public struct StateHash: Sendable, Hashable, CustomStringConvertible {
    /// The high and low 64 bits.
    public let high: UInt64
    public let low: UInt64

    /// The hash of `bytes`.
    public init(_ bytes: [UInt8]) {
        var a: UInt64 = 0x9E37_79B1_85EB_CA87
        var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        let whole = bytes.count / 8
        bytes.withUnsafeBufferPointer { buffer in
            for i in 0..<whole {
                var word: UInt64 = 0
                for k in 0..<8 { word |= UInt64(buffer[8 * i + k]) << (8 * UInt64(k)) }
                a = Self.round(a, word, 0xC2B2_AE3D_27D4_EB4F, 31)
                b = Self.round(b, word ^ 0x1656_67B1_9E37_79F9, 0x27D4_EB2F_1656_67C5, 27)
            }
            var tail: UInt64 = 0
            for k in (8 * whole)..<buffer.count { tail |= UInt64(buffer[k]) << (8 * UInt64(k - 8 * whole)) }
            a = Self.round(a, tail, 0xC2B2_AE3D_27D4_EB4F, 31)
            b = Self.round(b, tail ^ 0x1656_67B1_9E37_79F9, 0x27D4_EB2F_1656_67C5, 27)
        }
        let length = UInt64(bytes.count)
        high = Self.avalanche(a ^ length ^ (b >> 32))
        low = Self.avalanche(b ^ (length &* 0x9E37_79B9_7F4A_7C15) ^ (a >> 29))
    }

    private static func round(_ accumulator: UInt64, _ word: UInt64, _ prime: UInt64, _ shift: UInt64) -> UInt64 {
        let mixed = accumulator ^ (word &* 0x9E37_79B1_85EB_CA87)
        return ((mixed << shift) | (mixed >> (64 - shift))) &* prime
    }

    private static func avalanche(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 32 hexadecimal digits.
    public var description: String {
        let hex = { (v: UInt64) in String(v, radix: 16).leftPadded(to: 16) }
        return hex(high) + hex(low)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension Engine {
    /// The fingerprint of the state.
    public var stateHash: StateHash { StateHash(SnapshotCodec.encode(self)) }
}
