import BallastCore

/// Engine rules that are not margin parameters: the withdrawal rule and the duplicate-detection window.
public struct EngineSettings: Sendable, Hashable {
    /// A withdrawal or outgoing transfer is accepted only if, afterwards, the pool's margin balance less its unrealised
    /// profit (when ``excludeUnrealisedProfit``) covers **max(initial margin, withdrawalNotionalFraction × gross notional)**,
    /// and the asset's balance stays ≥ 0. Default 10 %, as venues that cap withdrawals of leveraged accounts do.
    public var withdrawalNotionalFraction: FixedPoint
    /// Whether unrealised profit is excluded from what a withdrawal may take (Binance: "unrealised profit cannot be
    /// withdrawn"), so nobody can pull a paper gain and leave a hole.
    public var excludeUnrealisedProfit: Bool
    /// How many recent event ids are remembered to acknowledge duplicates. An older id repeated with its old sequence
    /// number is rejected as out of order instead: it is never applied twice either way.
    public var duplicateWindow: Int

    /// Creates settings.
    public init(withdrawalNotionalFraction: FixedPoint = FixedPoint(units: 1, scale: 1), excludeUnrealisedProfit: Bool = true,
                duplicateWindow: Int = 1 << 20) {
        self.withdrawalNotionalFraction = withdrawalNotionalFraction
        self.excludeUnrealisedProfit = excludeUnrealisedProfit
        self.duplicateWindow = duplicateWindow
    }
}
