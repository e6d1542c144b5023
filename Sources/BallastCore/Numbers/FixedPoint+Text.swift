extension FixedPoint: CustomStringConvertible {
    /// The exact decimal text, with exactly `scale` decimals (for example `"-12.500"` at scale 3).
    ///
    /// The digits are written from the last into a stack buffer (in 64-bit arithmetic once the rest fits), at least
    /// `scale` + 1 of them so that the integer part has one, with the point after the last `scale`.
    public var description: String {
        // 39 digits of a 128-bit magnitude, or scale + 1, a point and a sign.
        let capacity = max(39, max(0, scale) + 1) + 2
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var start = capacity
            var written = 0
            func put(_ byte: UInt8) {
                start -= 1
                buffer[start] = byte
            }
            func digit(_ value: UInt8) {
                if written == scale && scale > 0 { put(UInt8(ascii: ".")) }
                put(UInt8(ascii: "0") + value)
                written += 1
            }
            var wide = units.magnitude
            while wide > UInt128(UInt64.max) {
                let (quotient, remainder) = wide.quotientAndRemainder(dividingBy: 10)
                digit(UInt8(remainder))
                wide = quotient
            }
            var narrow = UInt64(wide)
            repeat {
                let (quotient, remainder) = narrow.quotientAndRemainder(dividingBy: 10)
                digit(UInt8(remainder))
                narrow = quotient
            } while narrow > 0 || written <= scale
            if units < 0 { put(UInt8(ascii: "-")) }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<capacity]), as: UTF8.self)
        }
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
