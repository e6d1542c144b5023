/// Provenance of a parameter set: every tier table, haircut schedule or band set carries one, so a report can
/// say which version of which published table produced a figure.
public struct ParameterSetInfo: Sendable, Hashable {
    /// The preset name, e.g. `"binance-btcusdt-2021-03-18"`, or `"inline"`.
    public var name: String
    /// The version label.
    public var version: String
    /// When the parameters take effect.
    public var effective: Timestamp
    /// Where the numbers come from (a URL or a citation), if known.
    public var source: String?

    /// Creates provenance information.
    public init(name: String, version: String, effective: Timestamp, source: String? = nil) {
        self.name = name
        self.version = version
        self.effective = effective
        self.source = source
    }

    /// Parameters given inline, effective from the epoch.
    public static let inline = ParameterSetInfo(name: "inline", version: "1", effective: Timestamp(millisecondsSinceEpoch: 0))
}

/// Why a parameter set is invalid: the field, the offending value, and the rule it breaks.
public struct ParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field, e.g. `"tiers[2].maintenance_rate"`.
    public var field: String
    /// The offending value as text.
    public var value: String
    /// The rule it breaks.
    public var reason: String

    /// Creates a parameter error.
    public init(field: String, value: String, reason: String) {
        self.field = field
        self.value = value
        self.reason = reason
    }

    /// `field = value: reason`.
    public var description: String { "\(field) = \(value): \(reason)" }

    /// The range check of parameter initializers: throws for the first of `fields` (name and value, in order) that is
    /// not finite or that `accepts` refuses, naming it with `reason` ("must be in (0, 1]").
    static func check(_ fields: KeyValuePairs<String, Double>, _ reason: String, _ accepts: (Double) -> Bool) throws(ParameterError) {
        for (name, value) in fields where !(value.isFinite && accepts(value)) {
            throw ParameterError(field: name, value: "\(value)", reason: reason)
        }
    }
}
