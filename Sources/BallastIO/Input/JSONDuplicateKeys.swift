import Foundation

/// The first object member of a JSON text whose key the same object already has.
///
/// RFC 8259 (§4) says names within an object "SHOULD be unique" and leaves the meaning of a repeated one to the reader.
/// Foundation's decoder keeps one of them without a word, so `{"units": "5", "units": "500"}` would give a balance
/// nobody can tell from the file. Ballast refuses such a document instead, naming the path of the repeated member.
///
/// Keys are compared as the decoder compares them: after unescaping (`"a"` and `"\u0061"` are the same key), as Swift
/// strings (canonically equivalent spellings are the same key). The scan is iterative and linear in the text (each open
/// object's keys are a set, changed in place), so no document can exhaust the stack or take quadratic time. It is
/// meant for a text the decoder has accepted; on anything else it stops without a finding.
///
/// The same scan finds the first number no `Double` holds (``firstNumberOutOfRange(in:)``), for the one valid text the
/// decoder refuses without naming a path.
enum JSONDuplicateKeys {
    /// A repeated member: the path of the object holding it and the key.
    struct Finding: Equatable {
        /// The object's path (``JSONPath``), e.g. `account.balances[0]`, or the root.
        var object: JSONPath
        /// The key given twice.
        var key: String

        /// The repeated member's path, e.g. `account.balances[0].units`.
        var path: JSONPath { object.key(key) }
    }

    /// The first repeated member of `data`, in text order, or `nil` if every object's keys are distinct.
    static func first(in data: Data) -> Finding? {
        var scan = Scan(bytes: [UInt8](data))
        return scan.run()
    }

    /// The path and text of the first number of `data`, in text order, that no `Double` holds (beyond ±1.8e308, such as
    /// `1e309`): valid JSON, which Foundation's decoder refuses as a whole document, naming no path. The same scan.
    static func firstNumberOutOfRange(in data: Data) -> (path: JSONPath, text: String)? {
        var scan = Scan(bytes: [UInt8](data), findingNumbers: true)
        _ = scan.run()
        return scan.numberOutOfRange
    }

    /// One open container on the way down.
    private enum Frame {
        /// An object with the key of the member being read (its keys so far are in ``Scan/seen``).
        case object(current: String?)
        /// An array with the index of the element being read.
        case array(index: Int)
    }

    private struct Scan {
        let bytes: [UInt8]
        var offset = 0
        var open: [Frame] = []
        /// The keys of each open object, innermost last, kept apart from `open` and changed in place: a copy taken out
        /// of `open` would copy its whole set at every insertion.
        var seen: [Set<String>] = []
        /// Whether the scan looks for a number out of range instead of a repeated key.
        var findingNumbers = false
        /// The number out of range found, with its path.
        var numberOutOfRange: (path: JSONPath, text: String)?

        init(bytes: [UInt8], findingNumbers: Bool = false) {
            self.bytes = bytes
            self.findingNumbers = findingNumbers
        }

        mutating func run() -> Finding? {
            // In a valid text, a key is the string that follows `{` or a `,` inside an object; everything else is skipped.
            var expectingKey = false
            while offset < bytes.count {
                let byte = bytes[offset]
                switch byte {
                case UInt8(ascii: "{"):
                    open.append(.object(current: nil))
                    seen.append([])
                    expectingKey = true
                    offset += 1
                case UInt8(ascii: "["):
                    open.append(.array(index: 0))
                    expectingKey = false
                    offset += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if case .object? = open.popLast() { _ = seen.popLast() }
                    expectingKey = false
                    offset += 1
                case UInt8(ascii: ","):
                    switch open.last {
                    case .object?: expectingKey = true
                    case .array(let index)?: open[open.count - 1] = .array(index: index + 1)
                    case nil: return nil
                    }
                    offset += 1
                case UInt8(ascii: "\""):
                    guard let range = stringRange() else { return nil }
                    if expectingKey, case .object? = open.last, !seen.isEmpty {
                        let key = Self.key(bytes[range])
                        guard findingNumbers || seen[seen.count - 1].insert(key).inserted else { return Finding(object: path(), key: key) }
                        open[open.count - 1] = .object(current: key)
                        expectingKey = false
                    }
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    let start = offset
                    while offset < bytes.count, Self.isNumberByte(bytes[offset]) { offset += 1 }
                    if findingNumbers {
                        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
                        if let number = Double(text), !number.isFinite {
                            numberOutOfRange = (valuePath(), text)
                            return nil
                        }
                    }
                default:
                    offset += 1
                }
            }
            return nil
        }

        /// The range of the string starting at the quote at `offset`, quotes included; moves past it.
        mutating func stringRange() -> Range<Int>? {
            let start = offset
            offset += 1
            while offset < bytes.count {
                switch bytes[offset] {
                case UInt8(ascii: "\""):
                    offset += 1
                    return start..<offset
                case UInt8(ascii: "\\"):
                    offset += 2
                default:
                    offset += 1
                }
            }
            return nil
        }

        /// The path of the innermost open object, from the keys and indices of the containers above it.
        func path() -> JSONPath {
            var path = JSONPath.root
            for frame in open.dropLast() {
                switch frame {
                case .object(let current): path = path.key(current ?? "")
                case .array(let index): path = path.index(index)
                }
            }
            return path
        }

        /// The path of the value being read: the innermost container's member or element.
        func valuePath() -> JSONPath {
            var path = self.path()
            switch open.last {
            case .object(let current)?: path = path.key(current ?? "")
            case .array(let index)?: path = path.index(index)
            case nil: break
            }
            return path
        }

        /// Whether `byte` may continue a JSON number (digits, sign, point, exponent).
        static func isNumberByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                return true
            default:
                return false
            }
        }

        /// A quoted key as the decoder reads it: the bytes between the quotes, unescaped when it has an escape.
        static func key(_ quoted: ArraySlice<UInt8>) -> String {
            let inner = quoted.dropFirst().dropLast()
            guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
            return (try? JSONDecoder().decode(String.self, from: Data(quoted))) ?? String(decoding: inner, as: UTF8.self)
        }
    }
}
