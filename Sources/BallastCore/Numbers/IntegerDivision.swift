/// Integer division with a named rounding direction.
enum IntegerDivision {
    /// `numerator / denominator`, rounded as asked.
    /// - Precondition: `denominator > 0`.
    static func divide(_ numerator: Int128, by denominator: Int128, rounding: Rounding) -> Int128 {
        precondition(denominator > 0, "division by a non-positive denominator")
        let quotient = numerator / denominator          // truncates toward zero
        let remainder = numerator - quotient * denominator
        if remainder == 0 { return quotient }
        switch rounding {
        case .towardZero:
            return quotient
        case .down:
            return numerator < 0 ? quotient - 1 : quotient
        case .up:
            return numerator > 0 ? quotient + 1 : quotient
        case .halfEven:
            let twice = (remainder < 0 ? -remainder : remainder) * 2
            let awayFromZero = numerator < 0 ? quotient - 1 : quotient + 1
            if twice > denominator { return awayFromZero }
            if twice < denominator { return quotient }
            return quotient % 2 == 0 ? quotient : awayFromZero
        }
    }
}
