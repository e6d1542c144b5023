import Foundation

/// A problem with an input document: the JSON path of the offending value and what is wrong with it.
///
/// Every input error Ballast reports names the path (`account.positions[1].size`) and, where there is one, the value.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The JSON path, e.g. `account.positions[1].size`, or `(document)` for the whole input.
    public var path: String
    /// What is wrong.
    public var message: String

    /// Creates an input error.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}

/// A JSON path built while walking a document: `instruments[2].tick_size`.
struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// What the path is shown after (`what-if`, naming the file), if anything.
    private var prefix: String?
    private var text: String

    /// The root of a document.
    static let root = JSONPath(prefix: nil, text: "")

    private init(prefix: String?, text: String) {
        self.prefix = prefix
        self.text = text
    }

    /// The root of a document whose paths are shown after `prefix` (`what-if trades[0].size`, naming the file), or the
    /// plain root.
    static func root(prefix: String?) -> JSONPath { JSONPath(prefix: prefix, text: "") }

    /// The path of a member.
    func key(_ name: String) -> JSONPath { JSONPath(prefix: prefix, text: text.isEmpty ? name : text + "." + name) }

    /// The path of an array element.
    func index(_ position: Int) -> JSONPath { JSONPath(prefix: prefix, text: text + "[\(position)]") }

    /// The text after the prefix (`what-if trades[0].size`); at the root, the prefix alone, else `(document)`.
    var description: String {
        guard let prefix else { return text.isEmpty ? "(document)" : text }
        return text.isEmpty ? prefix : prefix + " " + text
    }

    /// The same path shown after `prefix` (if any).
    func prefixed(_ prefix: String?) -> JSONPath { JSONPath(prefix: prefix ?? self.prefix, text: text) }

    /// An error at this path.
    func error(_ message: String) -> InputError { InputError(path: description, message: message) }

    /// The path of a decoder's coding path. An array element's key is an index whose text is "Index N" (Foundation's
    /// decoder); a dictionary's key that reads as a number (`"3"`) has an integer value too, but its text is the key.
    init(codingPath: [any CodingKey]) {
        var path = JSONPath.root
        for key in codingPath {
            if let index = key.intValue, key.stringValue != "\(index)" { path = path.index(index) } else { path = path.key(key.stringValue) }
        }
        self = path
    }
}

extension InputError {
    /// Translates a Foundation decoding error into a path and a sentence (a syntax error is located before decoding,
    /// by ``StrictJSON``).
    init(_ error: DecodingError, prefix: String? = nil) {
        func located(_ codingPath: [any CodingKey], _ message: String) -> InputError {
            JSONPath(codingPath: codingPath).prefixed(prefix).error(message)
        }
        switch error {
        case .keyNotFound(let key, let context):
            self = located(context.codingPath + [key], "missing required field")
        case .typeMismatch(let type, let context):
            self = located(context.codingPath, "expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            self = located(context.codingPath, "expected \(Self.describe(type)), found null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let detail = (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
                self = located([], "not valid JSON (\(detail))")
            } else {
                self = located(context.codingPath, context.debugDescription)
            }
        @unknown default:
            self = InputError(path: prefix ?? "(document)", message: "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Double.Type: return "a number"
        case is Int.Type, is Int64.Type, is UInt64.Type, is Int32.Type, is UInt32.Type: return "a whole number"
        case is Bool.Type: return "true or false"
        case is [Any].Type: return "an array"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }
}
