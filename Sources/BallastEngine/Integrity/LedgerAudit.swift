import BallastCore

/// Checks conservation of money in every asset (see ``AssetLedger``): what the accounts hold, with their cost bases,
/// plus what sits in no account, equals what came in less what went out, to the unit at 10^-18.
///
/// The sums wrap modulo 2^128: each amount is within ``LedgerRange`` (so its product by 10^(18−d) fits Int128), but
/// the sum over a million accounts need not be. An imbalance then escapes the check only if it is an exact multiple of
/// 2^128 (about 1.7·10^20 of the asset at 10^-18); the audit never traps.
public enum LedgerAudit {
    /// One asset's two sides of the conservation statement, at 10^-18 of the asset.
    public struct Imbalance: Sendable, Hashable, CustomStringConvertible {
        /// The asset.
        public var asset: AssetID
        /// Σ balances + isolated margins − product costs + harmonic costs + fees + insurance fund + residue (modulo 2^128).
        public var held: Int128
        /// deposits − withdrawals (modulo 2^128).
        public var funded: Int128

        /// `asset#0: held … ≠ funded …`.
        public var description: String { "\(asset): held \(held) ≠ funded \(funded) (at 1e-18)" }
    }

    /// The assets whose conservation statement fails (empty when the books balance).
    public static func imbalances(_ engine: Engine) -> [Imbalance] {
        let catalog = engine.catalog
        let scales = catalog.assets.map { FixedPoint(units: 1, scale: 0).rescaled(to: Instrument.costDecimals - $0.decimals, rounding: .down)?.units ?? 1 }
        var held = [Int128](repeating: 0, count: catalog.assets.count)
        func add(_ account: Account) {
            for balance in account.balances { held[balance.asset.index] &+= balance.units &* scales[balance.asset.index] }
            for position in account.positions {
                let instrument = catalog[instrument: position.instrument]
                let settle = instrument.settle.index
                if case .isolated(let margin) = position.mode { held[settle] &+= margin &* scales[settle] }
                held[settle] &+= instrument.costForm == .product ? 0 &- position.cost : position.cost
            }
        }
        for account in engine.accounts { add(account) }
        add(engine.external)
        var result: [Imbalance] = []
        for (i, books) in engine.ledger.enumerated() {
            let total = held[i] &+ (books.fees &+ books.insuranceFund) &* scales[i] &+ books.residue
            let funded = (books.deposits &- books.withdrawals) &* scales[i]
            if total != funded { result.append(Imbalance(asset: AssetID(i), held: total, funded: funded)) }
        }
        return result
    }
}
