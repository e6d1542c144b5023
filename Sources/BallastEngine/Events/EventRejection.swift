/// Why the engine refused an event: a stable code, the field at fault and its value, and a sentence.
public struct EventRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable reasons, for clients and metrics.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The sequence number is not above the last accepted one.
        case outOfOrder = "out_of_order"
        /// The id is empty or too long.
        case invalidID = "invalid_id"
        /// A field has a value the event cannot take (zero or negative amount, price off tick, …).
        case invalidField = "invalid_field"
        /// The account, group, asset or instrument is unknown.
        case unknown = "unknown"
        /// The account or group already exists.
        case alreadyExists = "already_exists"
        /// A withdrawal or transfer would leave the pool short of its requirement, or a balance negative.
        case insufficientMargin = "insufficient_margin"
        /// The instrument has expired or been settled.
        case instrumentClosed = "instrument_closed"
        /// The parameter version is not above the current one.
        case staleVersion = "stale_version"
        /// The event cannot be applied to the current state (a figure would overflow, a position is in the other
        /// margin mode, …).
        case notApplicable = "not_applicable"
    }

    /// The reason.
    public var code: Code
    /// The field at fault, e.g. `"amount"` or `"buyer.account"`.
    public var field: String
    /// The offending value as text.
    public var value: String
    /// A sentence naming the field, the value and the rule.
    public var message: String

    /// Creates a rejection.
    public init(_ code: Code, field: String, value: String, message: String) {
        self.code = code
        self.field = field
        self.value = value
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// What became of an event.
public enum EventOutcome: Sendable, Hashable {
    /// Applied; the signals it caused, in order.
    case applied([Signal])
    /// Its id was accepted before: acknowledged, not applied again.
    case duplicate
    /// Refused; nothing changed.
    case rejected(EventRejection)

    /// Whether the event is part of the state now (applied, or applied before).
    public var isAccepted: Bool {
        if case .rejected = self { return false }
        return true
    }
}
