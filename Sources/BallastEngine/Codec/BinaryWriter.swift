import BallastCore

/// Appends values to a byte buffer in Ballast's binary format: unsigned integers as LEB128 varints, signed ones
/// zigzag-encoded first, doubles as their 8 IEEE-754 bytes (little-endian), strings as a length and UTF-8 bytes.
/// Deterministic: the same values always give the same bytes (the state hash relies on it).
public struct BinaryWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// An empty writer with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Forgets the bytes, keeping the storage.
    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    /// One byte.
    public mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// An unsigned integer as a varint.
    public mutating func unsigned(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A signed integer, zigzag then varint.
    public mutating func signed(_ value: Int64) {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// A signed 128-bit integer, zigzag then varint (up to 19 bytes).
    public mutating func int128(_ value: Int128) {
        var v = UInt128(bitPattern: (value << 1) ^ (value >> 127))
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    /// A double's bit pattern, little-endian.
    public mutating func double(_ value: Double) {
        var bits = value.bitPattern
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }

    /// An optional double: a flag byte, then the value.
    public mutating func optionalDouble(_ value: Double?) {
        if let value {
            byte(1)
            double(value)
        } else {
            byte(0)
        }
    }

    /// A Boolean as one byte.
    public mutating func bool(_ value: Bool) { byte(value ? 1 : 0) }

    /// A string: its UTF-8 length, then its bytes.
    public mutating func string(_ value: String) {
        var copy = value
        copy.withUTF8 { utf8 in
            unsigned(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// An exact decimal: units and scale.
    public mutating func fixedPoint(_ value: FixedPoint) {
        int128(value.units)
        unsigned(UInt64(value.scale))
    }

    /// A timestamp in milliseconds.
    public mutating func timestamp(_ value: Timestamp) { signed(value.millisecondsSinceEpoch) }

    /// A count of items.
    public mutating func count(_ value: Int) { unsigned(UInt64(value)) }

    /// A counted list of (catalog index, value) pairs, e.g. prices by asset or instrument.
    public mutating func indexedDoubles<C: Collection>(_ items: C, _ pair: (C.Element) -> (index: Int, value: Double)) {
        count(items.count)
        for item in items {
            let (index, value) = pair(item)
            count(index)
            double(value)
        }
    }
}
