extension FixedPoint: CustomStringConvertible {
    /// The exact decimal text, with exactly `scale` decimals (for example `"-12.500"` at scale 3).
    public var description: String {
        let negative = units < 0
        let digits = String(negative ? -units : units)
        guard scale > 0 else { return negative ? "-" + digits : digits }
        let padded = digits.count <= scale ? String(repeating: "0", count: scale - digits.count + 1) + digits : digits
        let split = padded.index(padded.endIndex, offsetBy: -scale)
        return (negative ? "-" : "") + padded[..<split] + "." + padded[split...]
    }

    /// The exact decimal text without trailing zeros after the point (`"12.5"`, `"3"`).
    public var trimmedDescription: String {
        var text = description
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Parses a plain decimal (`"-12.5"`, `"0.001"`, `"1e-3"`, `"3"`) exactly.
    ///
    /// - Returns: `nil` if the text is not a decimal number, has more than ``maximumScale`` decimals
    ///   after normalisation, or exceeds ``maximumMagnitude``.
    public init?(parsing text: String) {
        var mantissaText = Substring(text)
        var exponent = 0
        if let e = mantissaText.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let parsed = Int(mantissaText[mantissaText.index(after: e)...]), abs(parsed) <= 40 else { return nil }
            exponent = parsed
            mantissaText = mantissaText[..<e]
        }
        var negative = false
        if let first = mantissaText.first, first == "-" || first == "+" {
            negative = first == "-"
            mantissaText = mantissaText.dropFirst()
        }
        var units: Int128 = 0
        var decimals = 0
        var seenPoint = false
        var seenDigit = false
        for character in mantissaText {
            if character == "." {
                if seenPoint { return nil }
                seenPoint = true
                continue
            }
            guard let digit = character.wholeNumberValue, character.isASCII else { return nil }
            seenDigit = true
            if units > Int128(10).power(36) { return nil }
            units = units * 10 + Int128(digit)
            if seenPoint { decimals += 1 }
        }
        guard seenDigit else { return nil }
        var scale = decimals - exponent
        if scale < 0 {
            guard -scale <= 36 else { return nil }
            let (scaled, overflow) = units.multipliedReportingOverflow(by: PowersOfTen.int128(-scale))
            guard !overflow else { return nil }
            units = scaled
            scale = 0
        }
        while scale > FixedPoint.maximumScale && units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        guard scale <= FixedPoint.maximumScale else { return nil }
        let value = FixedPoint(units: negative ? -units : units, scale: scale)
        guard value.magnitude <= FixedPoint(units: FixedPoint.maximumMagnitude, scale: 0) else { return nil }
        self = value
    }
}

extension Int128 {
    /// `self` raised to a small non-negative power.
    fileprivate func power(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= self }
        return result
    }
}
