/// The engine's books for one asset: what came in and went out, and where the money that is in no account sits.
///
/// Conservation (checked by ``LedgerAudit``), per asset at 10^-18:
/// **Σ balances + Σ isolated margins − Σ product cost bases + Σ harmonic cost bases + (fees + insurance fund)·10^(18−d)
/// + residue = (deposits − withdrawals)·10^(18−d)**, summed over every account including the external one.
/// Cost bases enter because a fill moves value between a position's cost basis and its counterparty's until the PnL is
/// realised. Whole ledger units of residue go to the insurance fund as they arise (``book(residue:unit:)``), so the
/// residue stays within one unit of zero; with every position closed every other term is whole units, the residue is
/// therefore 0, and the statement is the plain Σ balances + fees + insurance fund = deposits − withdrawals.
public struct AssetLedger: Sendable, Hashable {
    /// Everything deposited, in ledger units.
    public var deposits: Int128 = 0
    /// Everything withdrawn, in ledger units.
    public var withdrawals: Int128 = 0
    /// Trading fees collected, in ledger units.
    public var fees: Int128 = 0
    /// The insurance fund, in ledger units: funding, spot and closing rounding go here, and it pays an isolated
    /// position's loss beyond its margin (``TradeEffect/isolatedShortfall``).
    public var insuranceFund: Int128 = 0
    /// Value below one ledger unit left when positions closed (their PnL rounded down to ledger units, each side's
    /// remainder here) and the rounding of expiry values, at 10^-18 of the asset: within one unit of zero.
    public var residue: Int128 = 0

    /// An empty ledger.
    public init() {}

    /// Books `amount` (at 10^-18) to the residue and moves its whole ledger units (`unit` at 10^-18 each, toward zero)
    /// to the insurance fund, leaving the residue within one unit of zero: rounding that no account receives is the
    /// venue's, as it is for funding and spot trades. (A residue can dip below zero by the rounding a full close of a
    /// harmonic basis forgives, ``TradeExecution/harmonicBasisRounding``; the counterparty's close brings it back.)
    public mutating func book(residue amount: Int128, unit: Int128) {
        residue += amount
        guard residue >= unit || residue <= -unit else { return }
        let whole = residue / unit  // toward zero
        insuranceFund += whole
        residue -= whole * unit
    }
}
