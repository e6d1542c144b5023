/// Why a query about the engine's state could not be answered. Queries only read: an error changes nothing.
public struct QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem, which a service maps to its status (HTTP 404, 400, 422).
    public enum Kind: String, Sendable, Hashable {
        /// The account does not exist (or the caller may not see it: the same answer, so nothing leaks).
        case notFound = "not_found"
        /// The request is malformed: a member or parameter is missing, unknown or out of range.
        case invalid = "invalid_request"
        /// The request is well formed but cannot be evaluated in the current state (e.g. an instrument without a price).
        case unprocessable = "unprocessable"
    }

    /// The kind.
    public var kind: Kind
    /// The field or parameter at fault (`instrument`, `trades[1].size`), empty when none.
    public var field: String
    /// What is wrong, naming the value.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, field: String, message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }

    /// An invalid-request error from an input error (its path becomes the field).
    init(_ error: InputError) {
        self.init(.invalid, field: error.path, message: error.message)
    }

    /// `field: message`.
    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}
