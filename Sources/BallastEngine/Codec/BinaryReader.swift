import BallastCore

/// Why bytes could not be decoded.
public struct CodecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was being read and what was wrong.
    public var message: String
    /// The byte offset where it went wrong.
    public var offset: Int

    /// Creates an error.
    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// `message (at byte N)`.
    public var description: String { "\(message) (at byte \(offset))" }
}

/// Reads what ``BinaryWriter`` wrote, checking every length and range: damaged bytes give a ``CodecError``, never a
/// crash.
public struct BinaryReader: Sendable {
    private let bytes: [UInt8]
    /// The offset of the next byte.
    public private(set) var offset: Int

    /// A reader at the start of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        offset = 0
    }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    /// One byte.
    public mutating func byte() throws(CodecError) -> UInt8 {
        guard offset < bytes.count else { throw CodecError("unexpected end of data", offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A varint.
    public mutating func unsigned() throws(CodecError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64, shift < 63 || b & 0x7F <= 1 else { throw CodecError("varint too long", offset: offset) }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// A zigzag varint.
    public mutating func signed() throws(CodecError) -> Int64 {
        let v = try unsigned()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    /// A zigzag 128-bit varint.
    public mutating func int128() throws(CodecError) -> Int128 {
        var result: UInt128 = 0
        var shift: UInt128 = 0
        while true {
            let b = try byte()
            guard shift < 128, shift < 126 || b & 0x7F <= 3 else { throw CodecError("128-bit varint too long", offset: offset) }
            result |= UInt128(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        return Int128(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
    }

    /// A double.
    public mutating func double() throws(CodecError) -> Double {
        guard bytes.count - offset >= 8 else { throw CodecError("unexpected end of data in a number", offset: offset) }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += 8
        return Double(bitPattern: bits)
    }

    /// An optional double.
    public mutating func optionalDouble() throws(CodecError) -> Double? {
        switch try byte() {
        case 0: return nil
        case 1: return try double()
        case let flag: throw CodecError("bad optional flag \(flag)", offset: offset - 1)
        }
    }

    /// A Boolean.
    public mutating func bool() throws(CodecError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        case let flag: throw CodecError("bad Boolean \(flag)", offset: offset - 1)
        }
    }

    /// A string of valid UTF-8.
    public mutating func string() throws(CodecError) -> String {
        let declared = try unsigned()
        guard declared <= UInt64(bytes.count - offset) else { throw CodecError("string of \(declared) bytes runs past the end", offset: offset) }
        let length = Int(declared)
        let slice = bytes[offset..<(offset + length)]
        guard let text = String(validating: slice, as: UTF8.self) else { throw CodecError("invalid UTF-8 in a string", offset: offset) }
        offset += length
        return text
    }

    /// An exact decimal (scale at most 38).
    public mutating func fixedPoint() throws(CodecError) -> FixedPoint {
        let units = try int128()
        let scale = try unsigned()
        guard scale <= 38 else { throw CodecError("decimal scale \(scale) out of range", offset: offset) }
        return FixedPoint(units: units, scale: Int(scale))
    }

    /// A timestamp.
    public mutating func timestamp() throws(CodecError) -> Timestamp { Timestamp(millisecondsSinceEpoch: try signed()) }

    /// A count of at most `limit` items.
    public mutating func count(limit: Int) throws(CodecError) -> Int {
        let value = try unsigned()
        guard value <= UInt64(max(0, limit)) else { throw CodecError("count \(value) exceeds \(limit)", offset: offset) }
        return Int(value)
    }

    /// An index into a table of `size` entries.
    public mutating func index(below size: Int) throws(CodecError) -> Int {
        let value = try unsigned()
        guard value < UInt64(max(0, size)) else { throw CodecError("index \(value) out of range 0..<\(size)", offset: offset) }
        return Int(value)
    }

    /// A list written by ``BinaryWriter/indexedDoubles(_:_:)``: at most `size` pairs, each index below `size`.
    public mutating func indexedDoubles<T>(below size: Int, _ make: (Int, Double) -> T) throws(CodecError) -> [T] {
        var items: [T] = []
        for _ in 0..<(try count(limit: size)) {
            let index = try index(below: size)
            items.append(make(index, try double()))
        }
        return items
    }
}
