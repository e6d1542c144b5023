/// The leverage chosen for an instrument in which an account holds no position: the next position opened in it without
/// a leverage of its own opens at this one (``Account/leverageToOpen(_:)``).
public struct LeverageSetting: Sendable, Hashable {
    /// The instrument.
    public var instrument: InstrumentID
    /// The chosen leverage (≥ 1).
    public var leverage: Double

    /// Creates an entry.
    public init(instrument: InstrumentID, leverage: Double) {
        self.instrument = instrument
        self.leverage = leverage
    }
}
