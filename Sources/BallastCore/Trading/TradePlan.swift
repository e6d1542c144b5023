/// The changes a trade makes to an account, computed by ``TradeExecution/plan(_:account:context:)`` without changing
/// it, and applied by ``commit(to:)``.
public struct TradePlan: Sendable {
    /// The position after the trade (`nil` for a spot trade).
    public var position: Position?
    /// The credit to the settlement (or quote) asset's cross balance, in ledger units: realised PnL, less the fee, less
    /// margin moved into an isolated position, plus an isolated position's loss beyond its margin
    /// (``TradeEffect/isolatedShortfall``), which the account does not pay.
    public var credit: (asset: AssetID, units: Int128)
    /// The credit to the base asset of a spot trade.
    public var baseCredit: (asset: AssetID, units: Int128)?
    /// What the trade did.
    public var effect: TradeEffect

    /// Applies the changes to the account the plan was made for.
    public func commit(to account: inout Account) {
        if let baseCredit, baseCredit.units != 0 { account.credit(baseCredit.asset, units: baseCredit.units) }
        if credit.units != 0 { account.credit(credit.asset, units: credit.units) }
        if let position { account.setPosition(position) }
    }
}
