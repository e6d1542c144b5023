/// A currency or coin that accounts hold as collateral and in which instruments settle (USDC, BTC, ETH, …).
public struct Asset: Sendable, Hashable {
    /// The unique symbol, e.g. `"USDC"`.
    public var symbol: String
    /// The ledger scale: balances are integers of `10^-decimals` (USDC 6, BTC 8). At most 18.
    public var decimals: Int

    /// Creates an asset with its ledger scale.
    public init(symbol: String, decimals: Int) {
        self.symbol = symbol
        self.decimals = decimals
    }
}

/// The currency in which index prices are quoted and in which account-level figures are reported (e.g. USD).
public struct ValuationCurrency: Sendable, Hashable {
    /// The symbol, e.g. `"USD"`.
    public var symbol: String
    /// The number of decimals of account-level money figures (e.g. 6).
    public var decimals: Int

    /// Creates a valuation currency.
    public init(symbol: String, decimals: Int) {
        self.symbol = symbol
        self.decimals = decimals
    }

    /// US dollars reported to 1e-6.
    public static let usd = ValuationCurrency(symbol: "USD", decimals: 6)
}
