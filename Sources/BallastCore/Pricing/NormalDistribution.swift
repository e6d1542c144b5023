import RealModule

/// The standard normal distribution.
public enum NormalDistribution {
    /// 1/√(2π).
    static let inverseSqrtTwoPi = 0.398_942_280_401_432_677_939_946_059_934_381_868_475_858_631_164_934_657_665_925_829_670_657_925_899_301_838_501_252_333_907_306_936_430_302_558_862_635_182_685_510_991_954_555_837_242_996_212_730_625_507_996_9

    /// The density φ(x) = e^(−x²/2)/√(2π).
    public static func density(_ x: Double) -> Double { inverseSqrtTwoPi * Double.exp(-0.5 * x * x) }

    /// The cumulative distribution N(x) = erfc(−x/√2)/2, accurate in relative terms in both tails.
    public static func cdf(_ x: Double) -> Double { 0.5 * Double.erfc(-x * 0.707_106_781_186_547_524_400_844_362_104_849_039_284_835_937_688_474) }
}
