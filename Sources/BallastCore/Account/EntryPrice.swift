/// Average entry prices derived from a position's exact cost basis.
public enum EntryPrice {
    /// The average entry price: cost/(q·m) for a product-form cost (linear contracts, options), q·m/cost for a
    /// harmonic one (inverse futures and perpetuals); `nil` for a zero size or cost.
    public static func average(position: Position, instrument: Instrument) -> Double? {
        guard position.size != 0, position.cost != 0 else { return nil }
        let units = Double(position.size) / PowersOfTen.double(instrument.sizeDecimals) * instrument.contractSize.doubleValue
        let cost = Double(nearest: position.cost) * 1e-18
        switch instrument.costForm {
        case .product: return cost / units
        case .harmonic: return units / cost
        }
    }
}
