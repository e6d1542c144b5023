/// The range every amount on the engine's books stays in: **±10^20 of its asset**, whatever the asset's decimals
/// (10^(20+d) ledger units at d decimals, at most 10^38 < Int128.max ≈ 1.7·10^38).
///
/// Within it a balance or an isolated margin at 10^-18 (the scale of the margin sums, ``AccountMargin``) fits Int128.
/// Every change to an amount on the books is added with an overflow check (``adding(_:to:bound:)``): at 18 decimals
/// two amounts at the bound sum to 2·10^38, beyond Int128, so the check, not the bound alone, keeps it from trapping. An event that would take an
/// account's balance or isolated margin, or a total of the books (deposits, withdrawals, fees, insurance fund), beyond
/// it is refused (`not_applicable`) and changes nothing. An amount written in an event stops at 10^18 (the JSON decimal
/// form), but a fill's, a funding payment's or a settlement's credit is a product (size × price), so one event can
/// reach the bound as well as an accumulation. Trades meet it where they are planned (``TradeExecution/plan(_:account:context:)``).
public enum LedgerRange {
    /// The bound of an asset of `decimals` decimals (0…18), in its ledger units: 10^(20+d).
    @inline(__always)
    public static func bound(decimals: Int) -> Int128 { PowersOfTen.int128(20 + decimals) }

    /// Whether `units` of an asset of `decimals` decimals lie within the range.
    @inline(__always)
    public static func contains(_ units: Int128, decimals: Int) -> Bool { units.magnitude <= bound(decimals: decimals).magnitude }

    /// The range as written in messages: "the ledger's range (±10^20 USDC)".
    public static func written(_ asset: String) -> String { "the ledger's range (±10^20 \(asset))" }

    /// `value + change` when it stays within ±`bound`, else nil.
    @inline(__always)
    public static func adding(_ change: Int128, to value: Int128, bound: Int128) -> Int128? {
        let (sum, overflow) = value.addingReportingOverflow(change)
        return !overflow && sum.magnitude <= bound.magnitude ? sum : nil
    }
}
