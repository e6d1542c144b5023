import BallastCore

/// Formatting of figures for the text report, and numbers for JSON documents.
enum NumberFormat {
    /// An exact amount with thousands separators: `1,535,443.010000`.
    static func money(_ value: FixedPoint) -> String { grouped(value.description) }

    /// A number for a JSON document: −0 (a negated zero loss or PnL) written as 0, every other value as it is.
    static func json(_ value: Double) -> Double { value == 0 ? 0 : value }

    /// ``json(_:)`` of every element.
    static func json(_ values: [Double]) -> [Double] { values.map(json) }

    /// A price rounded half-even to `decimals` places, with separators; `-` when undefined.
    static func price(_ value: Double?, decimals: Int) -> String {
        guard let value, value.isFinite, let fixed = FixedPoint(value, scale: min(decimals, 12), rounding: .halfEven) else { return "-" }
        return grouped(fixed.description)
    }

    /// A ratio as a percentage with two decimals: `41.49 %`; `-` when undefined.
    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite, let fixed = FixedPoint(value * 100, scale: 2, rounding: .halfEven) else { return "-" }
        return fixed.description + " %"
    }

    /// A plain number with up to `decimals` places, trailing zeros dropped.
    static func plain(_ value: Double?, decimals: Int = 4) -> String {
        guard let value, value.isFinite, let fixed = FixedPoint(value, scale: decimals, rounding: .halfEven) else { return "-" }
        return fixed.trimmedDescription
    }

    /// Inserts thousands separators into the integer part of a decimal text.
    static func grouped(_ text: String) -> String {
        var integer = Substring(text)
        var sign = ""
        if integer.hasPrefix("-") { sign = "-"; integer = integer.dropFirst() }
        var fraction = ""
        if let point = integer.firstIndex(of: ".") {
            fraction = String(integer[point...])
            integer = integer[..<point]
        }
        var groups: [Substring] = []
        var end = integer.endIndex
        while end > integer.startIndex {
            let start = integer.index(end, offsetBy: -3, limitedBy: integer.startIndex) ?? integer.startIndex
            groups.insert(integer[start..<end], at: 0)
            end = start
        }
        return sign + groups.joined(separator: ",") + fraction
    }
}
