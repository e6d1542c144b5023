extension Double {
    /// The `Double` nearest to `value` (round to nearest, ties to even): the same result as `Double(value)`, without the
    /// standard library's generic conversion path (thousands of instructions per call on Linux, Swift 6.3).
    ///
    /// Values below 2^63 in magnitude convert in hardware. Larger ones keep their top 64 bits with the discarded bits
    /// folded into a sticky lowest bit (so ties round correctly), convert those in hardware and scale by a power of two.
    @inline(__always)
    public init(nearest value: Int128) {
        if let small = Int64(exactly: value) {
            self = Double(small)
            return
        }
        let magnitude = value.magnitude
        let shift = 64 - magnitude.leadingZeroBitCount
        let top = UInt64(truncatingIfNeeded: magnitude >> shift)
        let sticky: UInt64 = magnitude & ((UInt128(1) << shift) - 1) == 0 ? 0 : 1
        let converted = Double(top | sticky) * Double(bitPattern: UInt64(1023 + shift) << 52)
        self = value < 0 ? -converted : converted
    }
}

extension Int128 {
    /// The integer value of a `Double` that is already whole and finite (|value| < 2^127): the fast counterpart of
    /// `Int128(value)`.
    @inline(__always)
    public init(whole value: Double) {
        if abs(value) < 9.223_372_036_854_775_807e18 {
            self = Int128(Int64(value))
        } else {
            self = Int128(value)
        }
    }
}

extension Int128 {
    /// `self × factor` and whether it overflowed: the fast counterpart of `multipliedReportingOverflow(by: Int128(factor))` for a 64-bit factor.
    ///
    /// The magnitudes multiply as two 64×64 → 128-bit hardware products; the result overflows when the high product
    /// does not fit in the top half or the sum does not fit in 127 bits.
    @inline(__always)
    public func multipliedReportingOverflow(by64 factor: Int64) -> (partialValue: Int128, overflow: Bool) {
        let negative = (self < 0) != (factor < 0)
        let a = magnitude
        let b = UInt64(factor.magnitude)
        let low = UInt64(truncatingIfNeeded: a).multipliedFullWidth(by: b)
        let high = UInt64(truncatingIfNeeded: a >> 64).multipliedFullWidth(by: b)
        let (upper, carry) = low.high.addingReportingOverflow(high.low)
        if high.high != 0 || carry { return (0, true) }
        let product = UInt128(_low: low.low, _high: upper)
        if negative {
            guard product <= UInt128(1) << 127 else { return (0, true) }
            return (product == UInt128(1) << 127 ? .min : -Int128(product), false)
        }
        guard product < UInt128(1) << 127 else { return (0, true) }
        return (Int128(product), false)
    }
}
