extension MoneyFigures {
    /// Zero everywhere, at `decimals`.
    public static func zero(decimals: Int) -> MoneyFigures {
        MoneyFigures(decimals: decimals, equity: 0, marginBalance: 0, initial: 0, maintenance: 0)
    }
}
