/// How a ``DemoPricePath`` moves: per-asset volatility, correlation through one market factor, jumps, the basis of
/// perpetuals and futures, and how implied volatility reacts.
public struct DemoPricePathConfiguration: Sendable, Hashable {
    /// How one asset moves.
    public struct AssetMotion: Sendable, Hashable {
        /// Annualised volatility of its log price.
        public var volatility: Double
        /// Its loading on the common market factor, in [0, 1]: assets i and j correlate at loadingᵢ·loadingⱼ.
        public var marketLoading: Double
        /// Its move in a jump, as a multiple of ``DemoPricePathConfiguration/jumpSize``.
        public var jumpBeta: Double

        /// Creates a motion.
        public init(volatility: Double, marketLoading: Double, jumpBeta: Double) {
            self.volatility = volatility
            self.marketLoading = marketLoading
            self.jumpBeta = jumpBeta
        }
    }

    /// Motions by asset symbol: BTC 50 %, ETH 65 %, SOL 85 % a year, correlating at about 0.7–0.8; a jump moves ETH
    /// 1.25 and SOL 1.5 times as much as BTC.
    public var assets: [String: AssetMotion] = [
        "BTC": AssetMotion(volatility: 0.50, marketLoading: 0.9, jumpBeta: 1),
        "ETH": AssetMotion(volatility: 0.65, marketLoading: 0.85, jumpBeta: 1.25),
        "SOL": AssetMotion(volatility: 0.85, marketLoading: 0.8, jumpBeta: 1.5),
    ]
    /// The motion of an asset that ``assets`` does not name.
    public var defaultMotion = AssetMotion(volatility: 0.8, marketLoading: 0.7, jumpBeta: 1.5)
    /// The probability of a jump in one step.
    public var jumpProbability = 0.002
    /// The relative move of a jump for a jump beta of 1 (−0.08: BTC falls 8 %).
    public var jumpSize = -0.08
    /// Relative standard deviation of a perpetual's or future's mark around its fair value (index, plus the future's
    /// carry).
    public var basisNoise = 0.0003
    /// Annualised premium of dated futures over the index.
    public var futureBasis = DemoMarket.futureBasis
    /// How much implied volatility rises per unit of an asset's relative jump (2.5: an 8 % fall lifts it by 20 %).
    public var volatilityJumpResponse = 2.5
    /// Half-life, in seconds, of implied volatility's return to its level at the start.
    public var volatilityHalfLife = 6.0 * 3600

    /// The defaults above.
    public init() {}

    /// The motion of the asset `symbol`.
    public func motion(_ symbol: String) -> AssetMotion { assets[symbol] ?? defaultMotion }
}
