import BallastCore

/// One account of a demo book: what kind of trader it plays and where its collateral was set.
public struct DemoAccount: Sendable, Hashable {
    /// The kind of trader.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A market maker with deep USDC collateral, the counterparty of part of the perpetual and future fills.
        case marketMaker = "market_maker"
        /// USDC collateral, one to three perpetuals (or the dated future) at 2x–25x, long or short.
        case perpetualTrader = "perpetual_trader"
        /// BTC, ETH, SOL (and some USDC) collateral under haircuts, perpetual positions, some hedging the BTC held.
        case multiCollateral = "multi_collateral"
        /// A cross perpetual position and an isolated one in another perpetual.
        case isolatedAndCross = "isolated_and_cross"
        /// A portfolio-margined book of BTC options (strangles, condors, straddles, covered calls, risk reversals),
        /// some delta-hedged with the perpetual or the future.
        case optionsBook = "options_book"
        /// A member of a margin group: one treasury member holds most of the collateral, the others trade on it.
        case groupMember = "group_member"
    }

    /// Where the collateral of the account's pool was set against its maintenance margin (uniMMR = margin balance /
    /// maintenance margin; the demo's bands warn below 1.5, restrict to reduce-only below 1.2, liquidate below 1.05).
    public enum Band: String, Sendable, Hashable, CaseIterable {
        /// At or above its initial margin and at least twice its maintenance margin.
        case comfortable
        /// uniMMR 1.5–2 (set to 1.55–1.9): a modest move brings a margin call.
        case nearWarning = "near_warning"
        /// uniMMR 1.2–1.5 (set to 1.28–1.48): called from the start.
        case warning
        /// uniMMR below 1.2 (set to 1.08–1.18): reduce-only from the start.
        case reduceOnly = "reduce_only"
    }

    /// The account id (`acct-00001`).
    public var id: String
    /// The kind of trader.
    public var kind: Kind
    /// The margin model the account was opened with.
    public var model: MarginModel
    /// The margin group it belongs to, if any (its pool is the group's).
    public var group: String?
    /// Where its pool's collateral was set.
    public var band: Band

    /// Creates a description.
    public init(id: String, kind: Kind, model: MarginModel, group: String? = nil, band: Band) {
        self.id = id
        self.kind = kind
        self.model = model
        self.group = group
        self.band = band
    }
}
