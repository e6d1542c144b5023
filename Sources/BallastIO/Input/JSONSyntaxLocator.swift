import Foundation

/// Where a JSON text first breaks the grammar of RFC 8259, as a line, a column and what was expected there.
///
/// Foundation's decoder says only "The given data was not valid JSON" on Linux. When it rejects a document, this scan
/// finds the first offending character, so the error can say where it is. It also runs on every document the decoder
/// accepted, since that decoder reads some texts the grammar forbids (a trailing comma in an object or array). It is
/// iterative (an explicit stack of open containers), so deep nesting cannot exhaust the call stack.
struct JSONSyntaxLocator {
    /// The first syntax error of a text.
    struct Failure: Equatable, CustomStringConvertible {
        /// 1-based line.
        var line: Int
        /// 1-based column, in characters (Unicode scalars) from the start of the line.
        var column: Int
        /// What was expected, and what was found.
        var message: String
        /// Whether the text is one line (a JSON-lines record, a one-line document): its position is then the column.
        var isOneLine: Bool
        /// Whether the text is only whitespace (no position is worth giving).
        var isBlank: Bool

        var description: String {
            if isBlank { return message }
            return (isOneLine ? "column \(column)" : "line \(line), column \(column)") + ": " + message
        }
    }

    private enum Container { case object, array }

    private enum Expectation {
        /// A value (the document's, a member's or an element's).
        case value
        /// An element or `]` right after `[`.
        case valueOrArrayEnd
        /// A key or `}` right after `{`.
        case keyOrObjectEnd
        /// A key after `,` in an object.
        case key
        /// `:` after a key.
        case colon
        /// `,` or the end of the innermost container, or the end of the document.
        case separator
    }

    private let bytes: [UInt8]
    private var offset = 0
    /// The deepest nesting read: Foundation's decoder refuses deeper documents without saying why.
    static let maximumDepth = 512

    private init(_ data: Data) {
        bytes = [UInt8](data)
    }

    /// The first syntax error of `data`, or `nil` if this scan finds none (the decoder may still refuse the text for
    /// other reasons, such as a byte-order mark or a number it cannot represent).
    static func firstFailure(in data: Data) -> Failure? {
        var locator = JSONSyntaxLocator(data)
        return locator.scan().map { locator.failure($0) }
    }

    private mutating func scan() -> String? {
        var open: [Container] = []
        var expectation = Expectation.value
        while true {
            skipWhitespace()
            guard offset < bytes.count else {
                if open.isEmpty && expectation == .separator { return nil }
                if open.isEmpty && expectation == .value { return "the document is empty" }
                return "the document ends inside \(open.last == .object ? "an object" : "an array")"
            }
            let byte = bytes[offset]
            switch expectation {
            case .value, .valueOrArrayEnd:
                if expectation == .valueOrArrayEnd && byte == UInt8(ascii: "]") {
                    offset += 1
                    open.removeLast()
                    expectation = .separator
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    guard open.count < Self.maximumDepth else { return "objects and arrays nested deeper than \(Self.maximumDepth) levels" }
                    offset += 1
                    open.append(byte == UInt8(ascii: "{") ? .object : .array)
                    expectation = byte == UInt8(ascii: "{") ? .keyOrObjectEnd : .valueOrArrayEnd
                } else {
                    if let problem = scalar() { return problem }
                    expectation = .separator
                }
            case .keyOrObjectEnd, .key:
                if expectation == .keyOrObjectEnd && byte == UInt8(ascii: "}") {
                    offset += 1
                    open.removeLast()
                    expectation = .separator
                } else if byte == UInt8(ascii: "\"") {
                    if let problem = string() { return problem }
                    expectation = .colon
                } else {
                    return "expected a quoted key, found \(found())"
                }
            case .colon:
                guard byte == UInt8(ascii: ":") else { return "expected ':' after the key, found \(found())" }
                offset += 1
                expectation = .value
            case .separator:
                switch (open.last, byte) {
                case (nil, _):
                    return "unexpected \(found()) after the end of the document"
                case (.object?, UInt8(ascii: ",")):
                    offset += 1
                    expectation = .key
                case (.array?, UInt8(ascii: ",")):
                    offset += 1
                    expectation = .value
                case (.object?, UInt8(ascii: "}")), (.array?, UInt8(ascii: "]")):
                    offset += 1
                    open.removeLast()
                    expectation = .separator
                case (.object?, _):
                    return "expected ',' or '}' after an object member, found \(found())"
                case (.array?, _):
                    return "expected ',' or ']' after an array element, found \(found())"
                }
            }
        }
    }

    /// A string, number or literal at `offset`.
    private mutating func scalar() -> String? {
        let byte = bytes[offset]
        if byte == UInt8(ascii: "\"") { return string() }
        if byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { return number() }
        for literal in ["true", "false", "null"] where bytes[offset...].starts(with: literal.utf8) {
            offset += literal.utf8.count
            return nil
        }
        return "expected a value (an object, array, string, number, true, false or null), found \(found())"
    }

    /// A string starting at the quote at `offset`.
    private mutating func string() -> String? {
        offset += 1
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return nil
            case UInt8(ascii: "\\"):
                offset += 1
                guard offset < bytes.count else { return "the document ends inside a string" }
                let escape = bytes[offset]
                if escape == UInt8(ascii: "u") {
                    guard let unit = hexUnit(at: offset + 1) else { return "a \\u escape needs four hexadecimal digits" }
                    // UTF-16 escapes of surrogates come in pairs (RFC 8259 §7); a lone one is no character.
                    if (0xD800...0xDBFF).contains(unit) {
                        guard bytes[offset + 5..<min(offset + 7, bytes.count)].elementsEqual("\\u".utf8),
                              let low = hexUnit(at: offset + 7), (0xDC00...0xDFFF).contains(low) else {
                            offset -= 1
                            return "a lone surrogate escape in a string (\\u\(String(unit, radix: 16)) needs a low surrogate after it)"
                        }
                        offset += 6
                    } else if (0xDC00...0xDFFF).contains(unit) {
                        offset -= 1
                        return "a lone surrogate escape in a string (\\u\(String(unit, radix: 16)) follows no high surrogate)"
                    }
                    offset += 5
                } else if Array("\"\\/bfnrt".utf8).contains(escape) {
                    offset += 1
                } else {
                    return "invalid escape \\\(Self.describe(escape)) in a string"
                }
            case 0..<0x20:
                return "a control character (\(Self.describe(byte))) inside a string must be escaped"
            case 0x80...:
                // RFC 8259 §8.1: the text is UTF-8 (overlong forms and encoded surrogates are not).
                var iterator = bytes[offset..<min(offset + 4, bytes.count)].makeIterator()
                var parser = Unicode.UTF8.ForwardParser()
                guard case .valid(let scalar) = parser.parseScalar(from: &iterator) else {
                    return "invalid UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true))) in a string"
                }
                offset += scalar.count
            default:
                offset += 1
            }
        }
        return "the document ends inside a string"
    }

    /// The value of four hexadecimal digits at `start`, if there are four.
    private func hexUnit(at start: Int) -> UInt32? {
        guard start + 4 <= bytes.count, let text = String(bytes: bytes[start..<start + 4], encoding: .ascii),
              text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) }) else { return nil }
        return UInt32(text, radix: 16)
    }

    /// A number at `offset`: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    private mutating func number() -> String? {
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func digits() -> Int {
            let from = offset
            while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
            return offset - from
        }
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        let integerStart = offset
        guard digits() > 0 else { return "invalid number: expected a digit, found \(found())" }
        if bytes[integerStart] == UInt8(ascii: "0") && offset - integerStart > 1 {
            offset = integerStart
            return "invalid number: no leading zeros"
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard digits() > 0 else { return "invalid number: expected a digit after '.', found \(found())" }
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard digits() > 0 else { return "invalid number: expected a digit in the exponent, found \(found())" }
        }
        return nil
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count, Self.isWhitespace(bytes[offset]) { offset += 1 }
    }

    /// JSON's whitespace: space, line feed, carriage return, tab.
    private static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    /// What is at `offset`, for a message.
    private func found() -> String {
        offset < bytes.count ? Self.describe(bytes[offset]) : "the end of the document"
    }

    private static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02X", byte)
    }

    /// The line and column of `offset`.
    private func failure(_ message: String) -> Failure {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        let text = bytes.reversed().drop(while: Self.isWhitespace)
        return Failure(line: line, column: column, message: message, isOneLine: !text.contains(0x0A), isBlank: text.isEmpty)
    }
}
