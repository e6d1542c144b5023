/// At which price a schedule values the fee to close a position (``MarginSchedule/closeFeeRate`` f) that it reserves in
/// both requirements.
public enum CloseFeeBasis: String, Sendable, Hashable, CaseIterable {
    /// At the mark: fee = V·f with V the notional at the mark (|q|·m·P linear, |q|·m/P inverse). It moves with the
    /// price, so the liquidation price comes earlier by it and the bankruptcy price is where equity just pays it.
    case mark
    /// At the bankruptcy price the position's entry and initial-margin rate r imply (Bybit's "estimated fee to close"):
    /// linear **fee = |C|·(1 − s·r)·f**, inverse **fee = |C|·(1 + s·r)·f**, with |C| the entry value (|q|·m·P₀, or
    /// |q|·m/P₀ in coin), s = +1 long and −1 short, and r = max(1/leverage, the schedule's IM rate at the entry
    /// notional), at most 1 (so the factor is never negative). It is fixed while the position is, so it is a constant
    /// part of both requirements, like a fixed margin, and it still counts in the bankruptcy price.
    ///
    /// Sources: Bybit, "Initial Margin Calculation (USDC Perpetual & Futures)": "Estimated Fee to Close Position =
    /// Position Size × Position Average Entry Price × (1 − 1/Leverage) × Taker Fee Rate" (long; short 1 + 1/Leverage),
    /// 0.5 BTC at 50,000, 10x, 0.055 %: 12.375 USDC; "Order Cost (USDT Contract)": fee to close = Qty × Bankruptcy
    /// Price × taker fee, bankruptcy price = order price × (1 − 1/leverage) (long), 1 BTC at 8,000, 50x, 0.075 %:
    /// 5.88 USDT; inverse: (Qty/Price) × (1 + 1/Leverage) × taker fee (long).
    case bankruptcy
}
