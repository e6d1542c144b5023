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
                        guard seen[seen.count - 1].insert(key).inserted else { return Finding(object: path(), key: key) }
                        open[open.count - 1] = .object(current: key)
                        expectingKey = false
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

        /// A quoted key as the decoder reads it: the bytes between the quotes, unescaped when it has an escape.
        static func key(_ quoted: ArraySlice<UInt8>) -> String {
            let inner = quoted.dropFirst().dropLast()
            guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
            return (try? JSONDecoder().decode(String.self, from: Data(quoted))) ?? String(decoding: inner, as: UTF8.self)
        }
    }
}
