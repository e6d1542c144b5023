import BallastCore

/// Every price a pool's state depends on, from a ``RiskContext``, in one flat array: the index price of every asset,
/// then the mark of every instrument, then the underlying price of every instrument (options' S). A price group
/// (one underlying asset) owns its asset's index price and the marks and underlying prices of the instruments on it.
struct PriceVector: Sendable, Equatable {
    /// The prices.
    var values: [Double]

    /// The prices of `context`.
    init(_ context: RiskContext) {
        values = context.indexPrices
        values.reserveCapacity(context.indexPrices.count + 2 * context.instruments.count)
        for risk in context.instruments { values.append(risk.mark) }
        for risk in context.instruments { values.append(risk.underlyingPrice) }
    }

    /// The slots of each group's prices, by asset index.
    static func groupSlots(_ catalog: Catalog) -> [[Int]] {
        let assets = catalog.assets.count
        let instruments = catalog.instruments.count
        var slots = (0..<assets).map { [$0] }
        for (index, instrument) in catalog.instruments.enumerated() {
            slots[instrument.underlying.index].append(assets + index)
            slots[instrument.underlying.index].append(assets + instruments + index)
        }
        return slots
    }

    /// The largest relative move |p/p₀ − 1| of the group's prices from `reference` to `self`: +∞ if a price appeared or
    /// disappeared (NaN on one side only), 0 if both are missing.
    func deviation(from reference: PriceVector, slots: [Int]) -> Double {
        var largest = 0.0
        for slot in slots {
            let (now, then) = (values[slot], reference.values[slot])
            if now.isNaN && then.isNaN { continue }
            guard now.isFinite, then.isFinite, then != 0 else { return .infinity }
            largest = max(largest, abs(now / then - 1))
        }
        return largest
    }

    /// The groups whose prices differ between `self` and `other`.
    func changedGroups(from other: PriceVector, slots: [[Int]]) -> [Int] {
        slots.indices.filter { group in
            slots[group].contains { slot in
                let (a, b) = (values[slot], other.values[slot])
                return !(a == b || (a.isNaN && b.isNaN))
            }
        }
    }
}
