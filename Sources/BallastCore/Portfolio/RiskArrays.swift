import RealModule

/// Every instrument's profit and loss over a scenario grid, per contract, in the valuation currency, computed once
/// per snapshot and shared by every account (the SPAN risk array, with gains positive).
///
/// For the underlying price S moving by μ (the scenario's move, a multiple of the underlying's scan range or a
/// relative move), volatility shocked up, down or not, and options aged by the look-ahead time:
/// - **linear future or perpetual**: m·P·μ (the mark moves with the underlying), times the settlement asset's price;
/// - **inverse**: the coin PnL m·(1/P − 1/P′) valued at the moved coin price S′ = S(1 + μ), which is (m/P)·μ·S;
/// - **option**: m·(V′ − V) with V the Black-76 value at (F, σ, T) and V′ at (F(1 + μ), σ′, T − look-ahead), times
///   S/F for a coin-settled option (its coin value V/F is worth V·S/F);
/// - **collateral** of an asset that moves with scenarios: S·μ per unit.
/// Each value is multiplied by the scenario's weight (SPAN stores extreme scenarios at 35 %), so an account's
/// scenario PnL is Σ quantity × array. Arrays supplied from outside (a SPAN risk parameter file) replace the computed
/// ones; they are given as losses of one long unit, as SPAN publishes them.
public struct RiskArrays: Sendable {
    /// The number of scenarios.
    public let scenarioCount: Int
    /// Row length: the scenario count rounded up to a multiple of 8 (padding is zero).
    public let stride: Int
    /// PnL per contract, instrument-major: `pnl[i·stride + s]`.
    public private(set) var pnl: [Double]
    /// Delta per contract in units of the underlying (for spreads and the delta shock).
    public private(set) var delta: [Double]
    /// Whether the instrument has an array (priced, or supplied).
    public private(set) var available: [Bool]
    /// Why an instrument has no array.
    public private(set) var problems: [MarginError?]
    /// PnL per unit of each asset held as collateral, asset-major (zero rows for assets that do not move).
    public private(set) var assetPnL: [Double]
    /// Whether each asset moves with its scenarios.
    public private(set) var assetMoves: [Bool]
    /// What portfolio margin reads per position besides the arrays, by instrument: catalog facts, the same in a moved
    /// context.
    private(set) var exposures: [Exposure]
    /// The key of each tenor slot: expiry in ms, `Int64.min` for a perpetual or spot. Slots are numbered underlying
    /// after underlying; each (underlying, expiry) of the catalog has one.
    private(set) var tenorKeys: [Int64]

    /// An instrument's figures for accumulating a position.
    struct Exposure {
        /// The underlying's asset index.
        var underlying: Int
        /// Contracts per size unit.
        var sizeUnit: Double
        /// The instrument's tenor slot.
        var tenorSlot: Int
        /// Where the underlying's list of tenor slots in first-seen order starts: its first slot plus its index, so
        /// each list has one spare entry.
        var tenorListStart: Int
        /// Short call units per contract (the multiplier of a call option, 0 otherwise).
        var shortCallUnits: Double
        /// Short put units per contract (the multiplier of a put option, 0 otherwise).
        var shortPutUnits: Double
        /// Whether a dated future, whose notional counts for the roll shock.
        var isDatedFuture: Bool
    }

    /// Computes the arrays of every instrument in `context`.
    public init(context: RiskContext, portfolio: PortfolioParameters, supplied: [InstrumentID: SuppliedRiskArray] = [:]) {
        let catalog = context.catalog
        let count = portfolio.scenarios.count
        scenarioCount = count
        stride = (count + 7) / 8 * 8
        pnl = Array(repeating: 0, count: catalog.instruments.count * stride)
        delta = Array(repeating: 0, count: catalog.instruments.count)
        available = Array(repeating: false, count: catalog.instruments.count)
        problems = Array(repeating: nil, count: catalog.instruments.count)
        assetPnL = Array(repeating: 0, count: catalog.assets.count * stride)
        var moves = Array(repeating: false, count: catalog.assets.count)
        for instrument in catalog.instruments { moves[instrument.underlying.index] = true }
        for (index, parameters) in portfolio.underlyings.enumerated() where parameters != nil && index < moves.count { moves[index] = true }
        assetMoves = moves
        (exposures, tenorKeys) = RiskArrays.exposures(context.instruments, assetCount: catalog.assets.count)

        for index in catalog.instruments.indices {
            if let given = supplied[InstrumentID(index)] {
                for s in 0..<min(count, given.losses.count) { pnl[index * stride + s] = -given.losses[s] }
                delta[index] = given.delta
                available[index] = true
                continue
            }
            computeRow(index, context: context, portfolio: portfolio)
        }
        for asset in catalog.assets.indices where moves[asset] {
            computeAssetRow(asset, context: context, portfolio: portfolio)
        }
    }

    /// Computes (or recomputes, in a context whose prices moved) the PnL row and delta of one instrument.
    ///
    /// An option is valued around its forward in `context` (``InstrumentRisk/OptionFigures/forward``: moved with its
    /// underlying, or with the future it is priced off), so the row of a moved context reprices the option there.
    mutating func computeRow(_ index: Int, context: RiskContext, portfolio: PortfolioParameters) {
        let scenarios = portfolio.scenarios.scenarios
        let risk = context.instruments[index]
        let row = index * stride
        available[index] = false
        problems[index] = nil
        if let problem = context.details[index].problem {
            problems[index] = problem
            return
        }
        let parameters = portfolio.underlying(risk.underlying)
        let settlePrice = context.indexPrices[risk.settle.index]
        guard !settlePrice.isNaN, risk.underlyingPrice.isFinite, risk.underlyingPrice > 0 else {
            problems[index] = .missingIndexPrice(asset: context.catalog[asset: risk.settle].symbol)
            return
        }
        switch risk.form {
        case .linear:
            delta[index] = risk.multiplier * risk.mark / risk.underlyingPrice
            for (s, scenario) in scenarios.enumerated() {
                let move = scenario.relativeMove(scanRange: parameters.priceScanRange)
                pnl[row + s] = scenario.weight(scanRange: parameters.priceScanRange) * risk.multiplier * risk.mark * move * settlePrice
            }
        case .inverse:
            delta[index] = risk.multiplier / risk.mark
            for (s, scenario) in scenarios.enumerated() {
                let move = scenario.relativeMove(scanRange: parameters.priceScanRange)
                pnl[row + s] = scenario.weight(scanRange: parameters.priceScanRange) * risk.multiplier / risk.mark * move * risk.underlyingPrice
            }
        case .option(let right, let strike, let coinSettled):
            // A move of −100 % or worse leaves no forward to price at (the row read NaN, which no worst loss sees).
            // Inputs refuse such grids (``ScenarioSet/checkMoves(scanRange:)``); parameters built in code meet this.
            if let (s, move) = portfolio.scenarios.firstImpossibleMove(scanRange: parameters.priceScanRange) {
                problems[index] = .outOfRange(figure: "scenario \(s + 1)'s price of \(context.catalog[asset: risk.underlying].symbol) (a move of \(ScenarioSet.percent(move)))")
                return
            }
            let inputs = context.details[index].pricing
            let forward = risk.option?.forward ?? inputs.forward
            let base = Black76(right: right, forward: forward, strike: strike, volatility: inputs.volatility, time: inputs.timeToExpiry)
            let value = base.price
            let toValuation = coinSettled ? risk.underlyingPrice / forward : settlePrice
            delta[index] = risk.multiplier * base.delta * (coinSettled ? 1 : forward / risk.underlyingPrice)
            let (volUp, volDown) = parameters.volatilityShock.shocked(inputs.volatility, years: inputs.timeToExpiry)
            var moved = base
            moved.time = max(0, inputs.timeToExpiry - portfolio.scenarios.lookAheadYears)
            // ln(F/K) once per forward: the grids list each price move with its volatility moves one after another.
            var logMoneyness = Double.nan
            moved.forward = .nan
            for (s, scenario) in scenarios.enumerated() {
                let movedForward = forward * (1 + scenario.relativeMove(scanRange: parameters.priceScanRange))
                if movedForward != moved.forward {
                    moved.forward = movedForward
                    logMoneyness = Double.log(movedForward / strike)
                }
                switch scenario.volatility {
                case .none: moved.volatility = inputs.volatility
                case .up: moved.volatility = volUp
                case .down: moved.volatility = volDown
                }
                pnl[row + s] = scenario.weight(scanRange: parameters.priceScanRange) * risk.multiplier * (moved.price(logMoneyness: logMoneyness) - value) * toValuation
            }
        case .spot:
            problems[index] = .spotPosition(instrument: context.catalog[instrument: InstrumentID(index)].symbol)
            return
        }
        available[index] = true
    }

    /// Puts back the rows, deltas and availability of the instruments at `indices`, and the row of `asset`, as they are
    /// in `base` (arrays of the same catalog and scenarios, such as those these were copied from before a move).
    mutating func copyRows(from base: RiskArrays, instruments indices: [Int], asset: Int?) {
        for index in indices {
            let row = (index * stride)..<((index + 1) * stride)
            pnl.replaceSubrange(row, with: base.pnl[row])
            delta[index] = base.delta[index]
            available[index] = base.available[index]
            problems[index] = base.problems[index]
        }
        if let asset {
            let row = (asset * stride)..<((asset + 1) * stride)
            assetPnL.replaceSubrange(row, with: base.assetPnL[row])
        }
    }

    /// Computes (or recomputes at a moved index price) the PnL row of one unit of a collateral asset that moves with
    /// the scenarios: S·μ per scenario (left as it is without an index price).
    mutating func computeAssetRow(_ asset: Int, context: RiskContext, portfolio: PortfolioParameters) {
        let price = context.indexPrices[asset]
        guard assetMoves[asset], !price.isNaN else { return }
        let parameters = portfolio.underlying(AssetID(asset))
        for (s, scenario) in portfolio.scenarios.scenarios.enumerated() {
            assetPnL[asset * stride + s] = scenario.weight(scanRange: parameters.priceScanRange) * price * scenario.relativeMove(scanRange: parameters.priceScanRange)
        }
    }

    /// Every instrument's exposure figures, and the tenor slots: the distinct expiries of each underlying in catalog
    /// order.
    static func exposures(_ instruments: [InstrumentRisk], assetCount: Int) -> ([Exposure], [Int64]) {
        var keysByUnderlying = Array(repeating: [Int64](), count: assetCount)
        for risk in instruments {
            let key = risk.expiry?.millisecondsSinceEpoch ?? Int64.min
            if !keysByUnderlying[risk.underlying.index].contains(key) { keysByUnderlying[risk.underlying.index].append(key) }
        }
        var firstSlots: [Int] = []
        var keys: [Int64] = []
        for underlyingKeys in keysByUnderlying {
            firstSlots.append(keys.count)
            keys.append(contentsOf: underlyingKeys)
        }
        let exposures = instruments.map { risk in
            let key = risk.expiry?.millisecondsSinceEpoch ?? Int64.min
            let u = risk.underlying.index
            var exposure = Exposure(underlying: u, sizeUnit: risk.sizeUnit, tenorSlot: firstSlots[u] + (keysByUnderlying[u].firstIndex(of: key) ?? 0),
                                    tenorListStart: firstSlots[u] + u, shortCallUnits: 0, shortPutUnits: 0, isDatedFuture: false)
            switch risk.form {
            case .option(let right, _, _):
                if right == .call { exposure.shortCallUnits = risk.multiplier } else { exposure.shortPutUnits = risk.multiplier }
            case .linear, .inverse:
                exposure.isDatedFuture = risk.expiry != nil
            case .spot:
                break
            }
            return exposure
        }
        return (exposures, keys)
    }

    /// The PnL row of an instrument.
    public func row(_ instrument: InstrumentID) -> ArraySlice<Double> {
        pnl[instrument.index * stride..<(instrument.index * stride + scenarioCount)]
    }
}

/// A risk array supplied from outside (a SPAN risk parameter file): losses of one long contract per scenario, loss
/// positive, already weighted, and the composite delta per contract.
public struct SuppliedRiskArray: Sendable, Hashable {
    /// Losses per scenario.
    public var losses: [Double]
    /// Composite delta per contract (underlying units).
    public var delta: Double

    /// Creates a supplied array.
    public init(losses: [Double], delta: Double) {
        self.losses = losses
        self.delta = delta
    }
}
