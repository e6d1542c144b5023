/// Exact integer operations that the ledger needs beyond `+ − ×`: scaled division and a·b/c without overflow.
public enum ExactArithmetic {
    /// a·b/c, rounded as asked, for |b| ≤ |c| (a share of a cost basis: cost × closed/size).
    ///
    /// Computed as (a/c)·b + (a mod c)·b/c, so no intermediate exceeds |a| or |c|·|b| < 2^126.
    /// - Precondition: c ≠ 0 and |b| ≤ |c|.
    public static func share(_ a: Int128, times b: Int64, over c: Int64, rounding: Rounding) -> Int128 {
        precondition(c != 0 && b.magnitude <= c.magnitude, "share needs |b| ≤ |c| and c ≠ 0")
        let divisor = Int128(c)
        let whole = a / divisor
        let remainder = a - whole * divisor
        let partial = remainder * Int128(b)
        let sign: Int128 = c < 0 ? -1 : 1
        return whole * Int128(b) + IntegerDivision.divide(partial * sign, by: divisor * sign, rounding: rounding)
    }

    /// numerator/denominator as a fixed-point number with `scale` decimals, rounded as asked, by exact long division.
    /// - Returns: `nil` if the denominator is zero or the quotient overflows.
    public static func quotient(_ numerator: FixedPoint, _ denominator: FixedPoint, scale: Int, rounding: Rounding) -> FixedPoint? {
        guard denominator.units != 0 else { return nil }
        var n = numerator.units
        var d = denominator.units
        if d < 0 { n = -n; d = -d }
        // value = n·10^exponent / d at the requested scale
        let exponent = scale - numerator.scale + denominator.scale
        if exponent < 0 {
            let (scaled, overflow) = d.multipliedReportingOverflow(by: PowersOfTen.int128(-exponent))
            guard !overflow else { return FixedPoint(units: 0, scale: scale) }
            return FixedPoint(units: IntegerDivision.divide(n, by: scaled, rounding: rounding), scale: scale)
        }
        var quotient = n / d
        var remainder = n - quotient * d
        for _ in 0..<exponent {
            let (q10, overflow) = quotient.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            remainder *= 10
            let digit = remainder / d
            remainder -= digit * d
            quotient = q10 + digit
        }
        // Round the last digit with the remainder: remainder/d is the fraction still to place.
        if remainder != 0 {
            switch rounding {
            case .towardZero: break
            case .down: if remainder < 0 { quotient -= 1 }
            case .up: if remainder > 0 { quotient += 1 }
            case .halfEven:
                let twice = (remainder < 0 ? -remainder : remainder) * 2
                if twice > d || (twice == d && quotient % 2 != 0) { quotient += remainder < 0 ? -1 : 1 }
            }
        }
        return FixedPoint(units: quotient, scale: scale)
    }
}
