/// Scratch accumulators for evaluating accounts one after another without allocating: per-asset sums, reset
/// after each account in O(assets touched).
public struct MarginWorkspace: Sendable {
    /// One asset's sums over an account.
    struct Accumulator {
        /// Exact part of the asset's equity: balance and cost bases at 10^-18.
        var exact: Int128 = 0
        /// Mark-dependent part of the asset's equity.
        var markValue: Double = 0
        var initial: Double = 0
        var maintenance: Double = 0
        var touched = false
    }

    var accumulators: [Accumulator]
    var touched: [Int]
    /// Portfolio-margin scratch, created on first use.
    var portfolioScratch: PortfolioWorkspace?

    /// A workspace for a catalog of `assetCount` assets.
    public init(assetCount: Int) {
        accumulators = Array(repeating: Accumulator(), count: assetCount)
        touched = []
        touched.reserveCapacity(16)
        portfolioScratch = nil
    }

    /// The number of assets the workspace covers.
    var assetCount: Int { accumulators.count }

    /// The portfolio scratch for arrays of row length `stride` (taken out of the workspace; the caller puts it back).
    mutating func portfolio(stride: Int) -> PortfolioWorkspace {
        if let scratch = portfolioScratch, scratch.stride == stride {
            portfolioScratch = nil
            return scratch
        }
        return PortfolioWorkspace(assetCount: assetCount, stride: stride)
    }

    /// Adds a balance to its asset's exact equity.
    @inline(__always)
    mutating func addBalance(_ balance: Balance, scale: Int128) {
        let asset = balance.asset.index
        if !accumulators[asset].touched {
            accumulators[asset].touched = true
            touched.append(asset)
        }
        accumulators[asset].exact &+= balance.units &* scale
    }

    /// Values the touched assets: equity_a = exact_a·10^-18 + mark_a; equity = Σ equity_a·p_a; margin balance =
    /// Σ haircut_a(equity_a, p_a); requirements Σ IM_a·p_a and Σ MM_a·p_a; in ascending asset order, so the sums never
    /// depend on history.
    mutating func valuePool<Observer: MarginObserver>(context: borrowing RiskContext, observer: inout Observer) throws(MarginError) -> PoolFigures {
        var pool = PoolFigures.zero
        // Insertion sort: an account touches a handful of assets.
        for i in touched.indices.dropFirst() {
            var j = i
            while j > 0 && touched[j - 1] > touched[j] {
                touched.swapAt(j - 1, j)
                j -= 1
            }
        }
        for asset in touched {
            let price = context.indexPrices[asset]
            guard !price.isNaN else { throw .missingIndexPrice(asset: context.catalog.assets[asset].symbol) }
            let sums = accumulators[asset]
            let equity = Double(nearest: sums.exact) * 1e-18 + sums.markValue
            let collateral = context.collateral[asset].value(quantity: equity, price: price, schedule: context.parameters.collateral[asset])
            pool.equity += equity * price
            pool.marginBalance += collateral
            pool.initial += sums.initial * price
            pool.maintenance += sums.maintenance * price
            observer.asset(AssetID(asset), exactEquity: sums.exact, markEquity: sums.markValue,
                           initial: sums.initial, maintenance: sums.maintenance, collateralValue: collateral, price: price)
        }
        return pool
    }

    @inline(__always)
    mutating func reset() {
        accumulators.withUnsafeMutableBufferPointer { sums in
            for asset in touched { sums[asset] = Accumulator() }
        }
        touched.removeAll(keepingCapacity: true)
    }
}

/// A plain-data view of an asset's collateral schedule for the hot path: a single ratio and liability weight when the
/// schedule has one tier, the full schedule otherwise.
struct CollateralRate: Sendable {
    /// The ratio of a single-tier schedule (NaN for a tiered one).
    var singleRatio: Double
    /// The liability weight.
    var liabilityWeight: Double

    init(_ schedule: HaircutSchedule) {
        singleRatio = schedule.tiers.count == 1 ? schedule.tiers[0].ratio : .nan
        liabilityWeight = schedule.liabilityWeight
    }

    /// The collateral value, as ``HaircutSchedule/value(quantity:price:)``.
    @inline(__always)
    func value(quantity: Double, price: Double, schedule: @autoclosure () -> HaircutSchedule) -> Double {
        if quantity < 0 { return quantity * price * liabilityWeight }
        if !singleRatio.isNaN { return quantity * price * singleRatio }
        return schedule().value(quantity: quantity, price: price)
    }
}
