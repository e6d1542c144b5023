/// The engine's books for one asset: what came in and went out, and where the money that is in no account sits.
///
/// Conservation (checked by ``LedgerAudit``), per asset at 10^-18:
/// **Σ balances + Σ isolated margins − Σ product cost bases + Σ harmonic cost bases + (fees + insurance fund)·10^(18−d)
/// + residue = (deposits − withdrawals)·10^(18−d)**, summed over every account including the external one.
/// Cost bases enter because a fill moves value between a position's cost basis and its counterparty's until the PnL is
/// realised; with every position closed the statement is the plain Σ balances + fees + insurance fund = deposits −
/// withdrawals.
public struct AssetLedger: Sendable, Hashable {
    /// Everything deposited, in ledger units.
    public var deposits: Int128 = 0
    /// Everything withdrawn, in ledger units.
    public var withdrawals: Int128 = 0
    /// Trading fees collected, in ledger units.
    public var fees: Int128 = 0
    /// The insurance fund, in ledger units: funding and spot rounding go here.
    public var insuranceFund: Int128 = 0
    /// Value below one ledger unit left when positions closed (fill prices with more decimals than the ledger), and the
    /// rounding of expiry values, at 10^-18 of the asset.
    public var residue: Int128 = 0

    /// An empty ledger.
    public init() {}
}
