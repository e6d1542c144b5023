/// What an account chose for an instrument in which it holds no position: the leverage and the margin mode the next
/// position opened there without its own takes (``Account/leverageToOpen(_:)``, ``Account/isolatedToOpen(_:)``), as
/// venues keep both per symbol, not per position (Binance's leverage and margin type).
public struct InstrumentSetting: Sendable, Hashable {
    /// The instrument (a future or perpetual).
    public var instrument: InstrumentID
    /// The chosen leverage (≥ 1), or `nil`: the margin schedule's cap.
    public var leverage: Double?
    /// Whether the next position opens isolated (`false`: cross).
    public var isolated: Bool

    /// Creates an entry.
    public init(instrument: InstrumentID, leverage: Double? = nil, isolated: Bool = false) {
        self.instrument = instrument
        self.leverage = leverage
        self.isolated = isolated
    }

    /// Whether the entry chooses nothing (the defaults: the cap, cross), so that the account need not keep it.
    public var isDefault: Bool { leverage == nil && !isolated }
}
