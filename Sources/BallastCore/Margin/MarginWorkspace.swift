/// Scratch accumulators for evaluating accounts one after another without allocating: per-asset sums, reset
/// after each account in O(assets touched).
public struct MarginWorkspace: Sendable {
    /// Exact part of each asset's equity: balance and cost bases at 10^-18.
    var exact: [Int128]
    /// Mark-dependent part of each asset's equity.
    var markValue: [Double]
    var initial: [Double]
    var maintenance: [Double]
    var touched: [Int]
    var isTouched: [Bool]
    /// Portfolio-margin scratch, created on first use.
    var portfolioScratch: PortfolioWorkspace?

    /// A workspace for a catalog of `assetCount` assets.
    public init(assetCount: Int) {
        exact = Array(repeating: 0, count: assetCount)
        markValue = Array(repeating: 0, count: assetCount)
        initial = Array(repeating: 0, count: assetCount)
        maintenance = Array(repeating: 0, count: assetCount)
        touched = []
        touched.reserveCapacity(16)
        isTouched = Array(repeating: false, count: assetCount)
        portfolioScratch = nil
    }

    /// The portfolio scratch for arrays of row length `stride` (taken out of the workspace; the caller puts it back).
    mutating func portfolio(stride: Int) -> PortfolioWorkspace {
        if let scratch = portfolioScratch, scratch.stride == stride {
            portfolioScratch = nil
            return scratch
        }
        return PortfolioWorkspace(assetCount: exact.count, stride: stride)
    }

    @inline(__always)
    mutating func touch(_ asset: Int) {
        if !isTouched[asset] {
            isTouched[asset] = true
            touched.append(asset)
        }
    }

    /// Values the touched assets: equity_a = exact_a·10^-18 + mark_a; equity = Σ equity_a·p_a; margin balance =
    /// Σ haircut_a(equity_a, p_a); requirements Σ IM_a·p_a and Σ MM_a·p_a; in ascending asset order, so the sums never
    /// depend on history.
    mutating func valuePool<Observer: MarginObserver>(context: RiskContext, observer: inout Observer) throws(MarginError) -> PoolFigures {
        var pool = PoolFigures.zero
        touched.sort()
        for asset in touched {
            let price = context.indexPrices[asset]
            guard !price.isNaN else { throw .missingIndexPrice(asset: context.catalog.assets[asset].symbol) }
            let equity = Double(exact[asset]) * 1e-18 + markValue[asset]
            let collateral = context.parameters.collateral[asset].value(quantity: equity, price: price)
            pool.equity += equity * price
            pool.marginBalance += collateral
            pool.initial += initial[asset] * price
            pool.maintenance += maintenance[asset] * price
            observer.asset(AssetID(asset), exactEquity: exact[asset], markEquity: markValue[asset],
                           initial: initial[asset], maintenance: maintenance[asset], collateralValue: collateral, price: price)
        }
        return pool
    }

    @inline(__always)
    mutating func reset() {
        for asset in touched {
            exact[asset] = 0
            markValue[asset] = 0
            initial[asset] = 0
            maintenance[asset] = 0
            isTouched[asset] = false
        }
        touched.removeAll(keepingCapacity: true)
    }
}
