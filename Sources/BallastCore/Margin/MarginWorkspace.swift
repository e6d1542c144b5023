/// Scratch accumulators for evaluating accounts one after another without allocating: per-asset sums and the set of
/// assets an account touched, cleared after each account in O(assets touched).
public struct MarginWorkspace: Sendable {
    /// One asset's sums over an account.
    struct Accumulator {
        /// Exact part of the asset's equity: balance and cost bases at 10^-18.
        var exact: Int128 = 0
        /// Non-zero once ``exact`` left Int128 (about 1.7·10^20 of the asset): the asset's equity is then out of range.
        /// A byte or-ed with each add's overflow bit, so the hot path has no branch for it.
        var overflowed: UInt8 = 0
        /// Mark-dependent part of the asset's equity.
        var markValue: Double = 0
        var initial: Double = 0
        var maintenance: Double = 0

        /// Adds `amount` (at 10^-18) to ``exact``, remembering an overflow instead of wrapping or trapping: one flag
        /// per add on the hot path, read once per asset by ``Scratch/valuePool(context:observer:)``.
        @inline(__always)
        mutating func addExact(_ amount: Int128) {
            let (sum, overflow) = exact.addingReportingOverflow(amount)
            exact = sum
            overflowed |= overflow ? 1 : 0
        }
    }

    /// Sums by asset index; all zero between accounts.
    var accumulators: [Accumulator]
    /// The assets touched by the current account as a bit set, 64 assets per word; all zero between accounts.
    var touchedWords: [UInt64]
    /// Portfolio-margin scratch, created on first use.
    var portfolioScratch: PortfolioWorkspace?

    /// A workspace for a catalog of `assetCount` assets.
    public init(assetCount: Int) {
        accumulators = Array(repeating: Accumulator(), count: assetCount)
        touchedWords = Array(repeating: 0, count: (assetCount + 63) / 64)
        portfolioScratch = nil
    }

    /// The number of assets the workspace covers.
    var assetCount: Int { accumulators.count }

    /// The portfolio scratch for arrays of row length `stride` (taken out of the workspace; the caller puts it back).
    mutating func portfolio(stride: Int) -> PortfolioWorkspace {
        if portfolioScratch?.stride == stride, let scratch = portfolioScratch.take() { return scratch }
        return PortfolioWorkspace(assetCount: assetCount, stride: stride)
    }

    /// Runs `body` with the portfolio scratch for arrays of row length `stride` (taken out of the workspace, as
    /// ``portfolio(stride:)``) and the workspace itself, for the equity sums; then puts the scratch back, moved, not
    /// copied (a copy retained and released every buffer of the scratch once per evaluation), whether `body` threw or not.
    mutating func withPortfolioScratch<R>(stride: Int, _ body: (inout PortfolioWorkspace, inout MarginWorkspace) throws(MarginError) -> R)
        throws(MarginError) -> R {
        var portfolio = portfolio(stride: stride)
        let result: Result<R, MarginError>
        do throws(MarginError) {
            result = .success(try body(&portfolio, &self))
        } catch {
            result = .failure(error)
        }
        portfolioScratch = consume portfolio
        return try result.get()
    }

    /// Runs `body` with unchecked access to the sums and the touched set of a catalog of `assetCount` assets (one
    /// uniqueness check per array for a whole account instead of one per write). `body` must leave them cleared
    /// (``Scratch/clear()``).
    /// - Precondition: the workspace covers at least `assetCount` assets, so every asset index of the catalog is in
    ///   bounds of both buffers.
    @inline(__always)
    mutating func withScratch<R, E: Error>(assetCount: Int, _ body: (Scratch) throws(E) -> R) throws(E) -> R {
        precondition(accumulators.count >= assetCount, "the workspace has fewer assets than the catalog")
        return try accumulators.withUnsafeMutableBufferPointer { (sums: inout UnsafeMutableBufferPointer<Accumulator>) throws(E) -> R in
            try touchedWords.withUnsafeMutableBufferPointer { (words: inout UnsafeMutableBufferPointer<UInt64>) throws(E) -> R in
                try body(Scratch(sums: sums, words: words))
            }
        }
    }

    /// Unchecked views of the sums and the touched set while ``withScratch(assetCount:_:)`` pins them. Every asset
    /// index passed in comes from the catalog, which the precondition of ``withScratch(assetCount:_:)`` bounds.
    struct Scratch {
        let sums: UnsafeMutableBufferPointer<Accumulator>
        let words: UnsafeMutableBufferPointer<UInt64>

        /// Marks an asset as touched.
        @inline(__always)
        func touch(_ asset: Int) { TouchedBits(words: words).insert(asset) }

        /// Whether an asset is touched.
        @inline(__always)
        func isTouched(_ asset: Int) -> Bool { TouchedBits(words: words).contains(asset) }

        /// Adds a balance to its asset's exact equity. A balance below 2^67 units cannot overflow at a scale of at
        /// most 10^18 (< 2^60); only a larger one pays for the checked product.
        @inline(__always)
        func addBalance(_ balance: Balance, scale: Int128) {
            let asset = balance.asset.index
            touch(asset)
            if balance.units.magnitude < 1 << 67 {
                sums[asset].addExact(balance.units &* scale)
            } else {
                let (product, overflow) = balance.units.multipliedReportingOverflow(by: scale)
                sums[asset].addExact(product)
                sums[asset].overflowed |= overflow ? 1 : 0
            }
        }

        /// Adds a cross position's equity part to its settlement asset: value − cost (``PositionMath/value(size:cost:risk:longOptionWeight:)``,
        /// long options at full value), or only −cost for an option when `excludeOptionValue` (SPAN's net option value
        /// counted in the requirement instead).
        /// - Returns: the option's value q·m·mark in the valuation currency (0 for a future).
        /// - Precondition: the instrument is ``InstrumentRisk/isHoldable`` and `indexPrices` covers its settlement asset.
        @inline(__always)
        func addEquity(size: Int64, cost: Int128, risk: borrowing InstrumentRisk, indexPrices: UnsafeBufferPointer<Double>, excludeOptionValue: Bool) -> Double {
            let value = PositionMath.value(size: size, cost: cost, risk: risk, longOptionWeight: 1)
            let settle = risk.settle.index
            touch(settle)
            var optionValue = 0.0
            if case .option = risk.form {
                optionValue = value.signedValue * indexPrices[settle]
                if excludeOptionValue {
                    sums[settle].addExact(0 &- cost)
                    return optionValue
                }
            }
            sums[settle].addExact(value.exactEquity)
            sums[settle].markValue += value.markValue
            return optionValue
        }

        /// Adds every balance to its asset's exact equity.
        @inline(__always)
        func addBalances(_ balances: borrowing [Balance], context: borrowing RiskContext) {
            balances.withUnsafeBufferPointer { addBalances($0, context: context) }
        }

        /// Adds every balance of a buffer to its asset's exact equity.
        @inline(__always)
        func addBalances(_ balances: UnsafeBufferPointer<Balance>, context: borrowing RiskContext) {
            for balance in balances { addBalance(balance, scale: context.balanceToCostScale[balance.asset.index]) }
        }

        /// Calls `body` with each touched asset in ascending order.
        @inline(__always)
        func forEachTouched<E: Error>(_ body: (Int) throws(E) -> Void) throws(E) { try TouchedBits(words: words).forEach(body) }

        /// Values the touched assets: equity_a = exact_a·10^-18 + mark_a; equity = Σ equity_a·p_a; margin balance =
        /// Σ haircut_a(equity_a, p_a); requirements Σ IM_a·p_a and Σ MM_a·p_a; in ascending asset order, so the sums
        /// never depend on history.
        /// - Throws: ``MarginError/missingIndexPrice(asset:)`` for a touched asset without a price,
        ///   ``MarginError/outOfRange(figure:)`` for one whose exact equity overflowed.
        @inline(__always)
        func valuePool<Observer: MarginObserver>(context: borrowing RiskContext, observer: inout Observer) throws(MarginError) -> PoolFigures {
            var pool = PoolFigures.zero
            try forEachTouched { (asset: Int) throws(MarginError) in
                let price = context.indexPrices[asset]
                guard !price.isNaN else { throw .missingIndexPrice(asset: context.catalog.assets[asset].symbol) }
                let sum = sums[asset]
                guard sum.overflowed == 0 else {
                    let symbol = context.catalog.assets[asset].symbol
                    throw .outOfRange(figure: "\(symbol) equity (its balance, cost bases and PnL sum beyond ±1.7·10^20 \(symbol))")
                }
                let equity = Double(nearest: sum.exact) * 1e-18 + sum.markValue
                let collateral = context.collateral[asset].value(quantity: equity, price: price, schedule: context.parameters.collateral[asset])
                pool.equity += equity * price
                pool.marginBalance += collateral
                pool.initial += sum.initial * price
                pool.maintenance += sum.maintenance * price
                observer.asset(AssetID(asset), exactEquity: sum.exact, markEquity: sum.markValue,
                               initial: sum.initial, maintenance: sum.maintenance, collateralValue: collateral, price: price)
            }
            return pool
        }

        /// Zeroes the touched sums and the touched set, ready for the next account.
        @inline(__always)
        func clear() {
            TouchedBits(words: words).drain { sums[$0] = Accumulator() }
        }
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
