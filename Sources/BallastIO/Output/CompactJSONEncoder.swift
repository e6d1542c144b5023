import Foundation

/// Compact JSON with snake_case keys in byte order, written straight into bytes: the same bytes as Foundation's
/// `JSONEncoder` configured as ``stableJSONEncoder(pretty:)`` with `pretty: false` (`.sortedKeys`,
/// `.withoutEscapingSlashes`, `.convertToSnakeCase`, non-finite numbers as the strings "inf", "-inf", "nan"), without
/// the intermediate tree, the per-key conversion into new strings and the locale-aware key comparison that make
/// Foundation's encoder cost more than the margin report it encodes.
///
/// What it writes, as Foundation does: an object's keys in UTF-8 byte order (properties converted to snake_case by
/// Foundation's rule, `[String: V]` keys as they are); optionals that are `nil` left out; a `Double` or `Float` as its
/// shortest `description` less a trailing ".0"; strings with `"`, `\`, and control characters escaped (`\b \f \n \r \t`,
/// others as `\u00xx`), `/` and non-ASCII as they are.
///
/// What it leaves to Foundation (``encode(_:)`` throws ``Unsupported`` and ``APIJSON`` falls back): nested and super
/// encoders, a key written twice, a container of one kind asked for after another, keys with non-ASCII letters or
/// characters that need escaping, and `Date`, `Data`, `URL` and `Decimal`, which Foundation encodes by strategies.
/// `codingPath` is always empty: no document of Ballast reads it.
enum CompactJSONEncoder {
    /// A value this encoder leaves to Foundation's.
    struct Unsupported: Error {}

    /// The JSON of `value`.
    /// - Throws: ``Unsupported``, or what `value`'s `encode(to:)` throws.
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let writer = JSONByteWriter()
        try writer.write(value)
        return Data(writer.bytes)
    }
}

/// The output and the open objects and arrays of one ``CompactJSONEncoder/encode(_:)``.
final class JSONByteWriter {
    /// One written member of an open object: from its opening key quote to the end of its value.
    struct Member {
        var start: Int
        var keyEnd: Int
        var end: Int
    }

    /// What a value being encoded has asked for.
    enum Shape {
        case none
        case object
        case array
        case single
    }

    /// One value being encoded: its shape, where its content starts, its members' base in ``members``, its count.
    struct Frame {
        var shape = Shape.none
        var contentStart = 0
        var membersBase = 0
        var count = 0
    }

    // One writer serves one encode on one thread, so the runtime's exclusivity checks of these properties (a fifth of
    // the encoder's time, measured) are left out.
    @exclusivity(unchecked) var bytes: [UInt8] = []
    @exclusivity(unchecked) var members: [Member] = []
    @exclusivity(unchecked) var frames: [Frame] = []
    /// Scratch of ``sortMembers(from:contentStart:)``: an object's content while its members are written back in order.
    @exclusivity(unchecked) var reordered: [UInt8] = []
    /// Set when a value asks for something this encoder leaves to Foundation.
    @exclusivity(unchecked) var unsupported = false

    init() { bytes.reserveCapacity(4096) }

    // MARK: Values

    /// Writes any value: the primitives directly, a `[String: V]` dictionary with its keys as they are, anything else
    /// through its `encode(to:)` in a new frame.
    func write<T: Encodable>(_ value: T) throws {
        // Type comparisons, not casts: a failed dynamic cast per nested value cost more than writing it.
        let type = T.self
        if type == String.self { return write(string: unsafeBitCast(value, to: String.self)) }
        if type == Double.self { return write(double: unsafeBitCast(value, to: Double.self)) }
        if type == Int.self { return write(integer: unsafeBitCast(value, to: Int.self)) }
        if type == Bool.self { return write(bool: unsafeBitCast(value, to: Bool.self)) }
        if type == Int64.self { return write(integer: unsafeBitCast(value, to: Int64.self)) }
        if type == Float.self { return write(float: unsafeBitCast(value, to: Float.self)) }
        if type == Int32.self { return write(integer: unsafeBitCast(value, to: Int32.self)) }
        if type == UInt64.self { return write(integer: unsafeBitCast(value, to: UInt64.self)) }
        if type == UInt32.self { return write(integer: unsafeBitCast(value, to: UInt32.self)) }
        if type == UInt8.self { return write(integer: unsafeBitCast(value, to: UInt8.self)) }
        if type == Date.self || type == Data.self || type == URL.self || type == Decimal.self { throw CompactJSONEncoder.Unsupported() }
        if let dictionary = value as? any StringKeyedDictionary { return try dictionary.writeMembers(to: self) }
        let depth = frames.count
        frames.append(Frame())
        try value.encode(to: FrameEncoder(writer: self, depth: depth))
        try finish(frames.removeLast())
    }

    /// Closes a frame: `{}` for a value that wrote nothing, the object's members sorted by key, the array's bracket.
    func finish(_ frame: Frame) throws {
        if unsupported { throw CompactJSONEncoder.Unsupported() }
        switch frame.shape {
        case .none: bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
        case .object:
            try sortMembers(from: frame.membersBase, contentStart: frame.contentStart)
            bytes.append(UInt8(ascii: "}"))
        case .array: bytes.append(UInt8(ascii: "]"))
        case .single: if frame.count != 1 { throw CompactJSONEncoder.Unsupported() }
        }
    }

    /// Puts the members written since `base` in key order (rewriting the content after `contentStart` only when they
    /// came out of order), and drops them from ``members``. The members are sorted in place and the content is
    /// rewritten through ``reordered``, so that no object allocates.
    /// - Throws: ``CompactJSONEncoder/Unsupported`` for a key written twice (Foundation keeps the last).
    func sortMembers(from base: Int, contentStart: Int) throws {
        defer { members.removeSubrange(base...) }
        guard members.count - base > 1 else { return }
        // Members are written at ascending offsets: ascending keys are already in order.
        if (base + 1..<members.count).allSatisfy({ keyOrder(members[$0 - 1], members[$0]) < 0 }) { return }
        members[base...].sort { keyOrder($0, $1) < 0 }
        // Sorted keys that do not strictly ascend: a key written twice.
        for k in (base + 1)..<members.count where keyOrder(members[k - 1], members[k]) >= 0 { throw CompactJSONEncoder.Unsupported() }
        reordered.removeAll(keepingCapacity: true)
        reordered.append(contentsOf: bytes[contentStart...])
        bytes.removeSubrange(contentStart...)
        for k in base..<members.count {
            if k > base { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: reordered[(members[k].start - contentStart)..<(members[k].end - contentStart)])
        }
    }

    /// The order of `a`'s key and `b`'s in UTF-8 byte order (negative: `a` first; zero: the same key); keys are
    /// written unescaped, so their bytes are the key's own.
    func keyOrder(_ a: Member, _ b: Member) -> Int {
        bytes.withUnsafeBufferPointer { bytes in
            let (aCount, bCount) = (a.keyEnd - a.start - 1, b.keyEnd - b.start - 1)
            let common = min(aCount, bCount)
            if common > 0, let base = bytes.baseAddress {
                let order = memcmp(base + a.start + 1, base + b.start + 1, common)
                if order != 0 { return Int(order) }
            }
            return aCount - bCount
        }
    }

    // MARK: Members and items

    /// Starts a member of the object of frame `depth`: a comma after the first, then `"key":`, the key converted to
    /// snake_case if `convert`. The caller writes the value and calls ``endMember(_:depth:)``.
    func beginMember(_ key: String, convert: Bool, depth: Int) -> Member {
        if frames[depth].count > 0 { bytes.append(UInt8(ascii: ",")) }
        frames[depth].count += 1
        let start = bytes.count
        bytes.append(UInt8(ascii: "\""))
        if convert { writeSnakeCase(key) } else { writeKey(key) }
        let keyEnd = bytes.count
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        return Member(start: start, keyEnd: keyEnd, end: 0)
    }

    /// Records a member whose value has been written.
    func endMember(_ member: Member) {
        var member = member
        member.end = bytes.count
        members.append(member)
    }

    /// Starts an item of the array of frame `depth`: a comma after the first.
    func beginItem(depth: Int) {
        if frames[depth].count > 0 { bytes.append(UInt8(ascii: ",")) }
        frames[depth].count += 1
    }

    /// Makes frame `depth` an object (writing `{`) or keeps it one; any other shape is left to Foundation.
    func openObject(depth: Int) {
        switch frames[depth].shape {
        case .none:
            bytes.append(UInt8(ascii: "{"))
            frames[depth] = Frame(shape: .object, contentStart: bytes.count, membersBase: members.count, count: 0)
        case .object: break
        case .array, .single: unsupported = true
        }
    }

    /// Makes frame `depth` an array (writing `[`); any other shape is left to Foundation.
    func openArray(depth: Int) {
        if case .none = frames[depth].shape {
            bytes.append(UInt8(ascii: "["))
            frames[depth].shape = .array
        } else {
            unsupported = true
        }
    }

    /// Makes frame `depth` a single value; any other shape is left to Foundation.
    func openSingle(depth: Int) {
        switch frames[depth].shape {
        case .none: frames[depth].shape = .single
        case .single: break
        case .object, .array: unsupported = true
        }
    }

    /// Marks the encode as left to Foundation (nested and super encoders) and gives a stand-in encoder whose writes
    /// are thrown away with the result.
    func leftToFoundation(depth: Int) -> FrameEncoder {
        unsupported = true
        return FrameEncoder(writer: self, depth: depth)
    }

    // MARK: Keys

    /// Writes a key as it is (a dictionary's); one that would need escaping is left to Foundation.
    func writeKey(_ key: String) {
        for byte in key.utf8 {
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { unsupported = true }
            bytes.append(byte)
        }
    }

    /// Writes a property name in snake_case by Foundation's rule: a word ends before each capital, except that a run
    /// of capitals followed by a lowercase letter is a word up to the capital before that letter ("myURLValue" →
    /// "my_url_value"); words lowercased and joined with "_". ASCII names only; others are left to Foundation.
    func writeSnakeCase(_ key: String) {
        var key = key
        key.withUTF8 { writeSnakeCase($0) }
    }

    /// ``writeSnakeCase(_:)-(String)`` over the name's bytes.
    func writeSnakeCase(_ name: UnsafeBufferPointer<UInt8>) {
        func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
        func isLower(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
        var plain = true
        for byte in name {
            if byte >= 0x80 || byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { unsupported = true }
            if isUpper(byte) { plain = false }
        }
        if plain {
            bytes.append(contentsOf: name)
            return
        }
        if name.count < 2 {
            for byte in name { bytes.append(isUpper(byte) ? byte | 0x20 : byte) }
            return
        }
        var first = true
        func word(_ range: Range<Int>) {
            if !first { bytes.append(UInt8(ascii: "_")) }
            first = false
            for i in range { bytes.append(isUpper(name[i]) ? name[i] | 0x20 : name[i]) }
        }
        var wordStart = 0
        var searchStart = 1
        let end = name.count
        while let upper = (searchStart..<end).first(where: { isUpper(name[$0]) }) {
            word(wordStart..<upper)
            guard let lower = (upper..<end).first(where: { isLower(name[$0]) }) else {
                wordStart = upper
                break
            }
            if lower == upper + 1 {
                wordStart = upper
            } else {
                word(upper..<(lower - 1))
                wordStart = lower - 1
            }
            searchStart = lower + 1
        }
        word(wordStart..<end)
    }

    // MARK: Primitives

    /// Writes a string in quotes, escaped.
    func write(string: String) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { escaped($0) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends string bytes with JSON's escapes: `"` and `\`, and control characters as `\b \f \n \r \t` or `\u00xx`.
    func escaped(_ text: UnsafeBufferPointer<UInt8>) {
        var clean = text.startIndex
        for i in text.indices {
            let byte = text[i]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[clean..<i]))
            clean = i + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[clean...]))
    }

    /// Writes a `Double` as Foundation does: its description less ".0", or "inf", "-inf", "nan" as strings.
    func write(double: Double) {
        guard double.isFinite else { return write(string: double.isNaN ? "nan" : double < 0 ? "-inf" : "inf") }
        writeNumber(double.description)
    }

    /// Writes a `Float` as ``write(double:)`` does.
    func write(float: Float) {
        guard float.isFinite else { return write(string: float.isNaN ? "nan" : float < 0 ? "-inf" : "inf") }
        writeNumber(float.description)
    }

    /// A number's shortest description less a trailing ".0", as Foundation writes it.
    func writeNumber(_ description: String) {
        let utf8 = description.utf8
        if utf8.count > 2 && description.hasSuffix(".0") {
            bytes.append(contentsOf: utf8.dropLast(2))
        } else {
            bytes.append(contentsOf: utf8)
        }
    }

    /// Writes an integer in decimal.
    func write<I: BinaryInteger>(integer: I) { bytes.append(contentsOf: integer.description.utf8) }

    /// Writes `true` or `false`.
    func write(bool: Bool) { bytes.append(contentsOf: (bool ? "true" : "false").utf8) }

    /// Writes `null`.
    func writeNull() { bytes.append(contentsOf: "null".utf8) }
}

/// A `[String: V]` dictionary: its keys are written as they are (Foundation converts only property names), in byte
/// order.
protocol StringKeyedDictionary {
    func writeMembers(to writer: JSONByteWriter) throws
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Encodable {
    func writeMembers(to writer: JSONByteWriter) throws {
        let depth = writer.frames.count
        writer.frames.append(JSONByteWriter.Frame())
        writer.openObject(depth: depth)
        for (key, value) in self {
            let member = writer.beginMember(key, convert: false, depth: depth)
            try writer.write(value)
            writer.endMember(member)
        }
        try writer.finish(writer.frames.removeLast())
    }
}

/// The `Encoder` a value's `encode(to:)` sees: its frame of the writer.
struct FrameEncoder: Encoder {
    let writer: JSONByteWriter
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        writer.openObject(depth: depth)
        return KeyedEncodingContainer(ObjectContainer<Key>(writer: writer, depth: depth))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        writer.openArray(depth: depth)
        return ArrayContainer(writer: writer, depth: depth)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        writer.openSingle(depth: depth)
        return SingleContainer(writer: writer, depth: depth)
    }
}

/// An object's members, keys converted to snake_case.
struct ObjectContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONByteWriter
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    /// Writes one member with `body` writing its value.
    private func member(_ key: Key, _ body: () throws -> Void) rethrows {
        let member = writer.beginMember(key.stringValue, convert: true, depth: depth)
        try body()
        writer.endMember(member)
    }

    mutating func encodeNil(forKey key: Key) throws { member(key) { writer.writeNull() } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { member(key) { writer.write(bool: value) } }
    mutating func encode(_ value: String, forKey key: Key) throws { member(key) { writer.write(string: value) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { member(key) { writer.write(double: value) } }
    mutating func encode(_ value: Float, forKey key: Key) throws { member(key) { writer.write(float: value) } }
    mutating func encode(_ value: Int, forKey key: Key) throws { member(key) { writer.write(integer: value) } }
    mutating func encode(_ value: Int64, forKey key: Key) throws { member(key) { writer.write(integer: value) } }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try member(key) { try writer.write(value) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        writer.leftToFoundation(depth: depth).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        writer.leftToFoundation(depth: depth).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { writer.leftToFoundation(depth: depth) }

    mutating func superEncoder(forKey key: Key) -> any Encoder { writer.leftToFoundation(depth: depth) }
}

/// An array's items.
struct ArrayContainer: UnkeyedEncodingContainer {
    let writer: JSONByteWriter
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var count: Int { writer.frames[depth].count }

    mutating func encodeNil() throws {
        writer.beginItem(depth: depth)
        writer.writeNull()
    }

    mutating func encode(_ value: String) throws {
        writer.beginItem(depth: depth)
        writer.write(string: value)
    }

    mutating func encode(_ value: Double) throws {
        writer.beginItem(depth: depth)
        writer.write(double: value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        writer.beginItem(depth: depth)
        try writer.write(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        writer.leftToFoundation(depth: depth).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        writer.leftToFoundation(depth: depth).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { writer.leftToFoundation(depth: depth) }
}

/// One value in its frame.
struct SingleContainer: SingleValueEncodingContainer {
    let writer: JSONByteWriter
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    /// Counts the value (a second one is left to Foundation) and writes it with `body`.
    private func single(_ body: () throws -> Void) rethrows {
        writer.frames[depth].count += 1
        try body()
    }

    mutating func encodeNil() throws { single { writer.writeNull() } }
    mutating func encode(_ value: Bool) throws { single { writer.write(bool: value) } }
    mutating func encode(_ value: String) throws { single { writer.write(string: value) } }
    mutating func encode(_ value: Double) throws { single { writer.write(double: value) } }
    mutating func encode(_ value: Float) throws { single { writer.write(float: value) } }
    mutating func encode(_ value: Int) throws { single { writer.write(integer: value) } }
    mutating func encode<T: Encodable>(_ value: T) throws { try single { try writer.write(value) } }
}
