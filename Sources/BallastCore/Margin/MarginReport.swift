/// The full, explained standard-margin report of an account: per asset, per position and per pool, every money
/// figure rounded in its named direction (requirements up, credits down, display-only notional half-even).
public struct MarginReport: Sendable, Hashable {
    /// The account.
    public var accountID: String
    /// The currency of pool figures.
    public var valuation: ValuationCurrency
    /// The snapshot time.
    public var snapshotTime: Timestamp
    /// Provenance of the parameter set.
    public var parameters: ParameterSetInfo
    /// The bands that classify health.
    public var healthBands: HealthBands
    /// The liquidation-price convention used.
    public var liquidationPriceScope: LiquidationPriceScope
    /// Whether pre-trade checks count the gain of a fill better than the mark.
    public var openGain: OpenGainCredit
    /// One line per asset of the cross pool, in catalog order.
    public var assets: [AssetLine]
    /// One line per position, in catalog order.
    public var positions: [PositionLine]
    /// The cross pool.
    public var cross: PoolLine
    /// The margin model of the cross pool.
    public var model: MarginModel
    /// The portfolio-margin explanation (scenario vectors, add-ons, contributions), for a portfolio account.
    public var portfolio: PortfolioExplanation?
    /// The account as a whole: the cross pool plus every isolated pool (equity and requirements summed, isolated
    /// equity floored at zero since an isolated loss is bounded by its margin). It sums the pools' figures as reported,
    /// each already rounded in its direction, so it equals the sum of the lines shown; the equity can therefore lie up
    /// to one unit per isolated pool below the exact sum (and a requirement as much above), never the other way.
    public var total: MoneyFigures
    /// The margin held by the account's open orders (nil without orders); it comes off the available balance of the
    /// cross pool (``PoolLine/available``; `total.available` does not subtract it).
    public var openOrders: OpenOrderMargin? = nil
    /// The price open orders' fills are margined at.
    public var orderInitialPrice: OrderInitialPrice = .mark
    /// The leverage and margin mode chosen for instruments without a position (``Account/instrumentSettings``).
    public var instrumentSettings: [InstrumentSetting] = []

    /// One asset of the cross pool.
    public struct AssetLine: Sendable, Hashable {
        /// The asset symbol.
        public var symbol: String
        /// The ledger balance.
        public var balance: FixedPoint
        /// Unrealised PnL of cross positions settling in this asset (rounded down).
        public var unrealisedPnL: FixedPoint
        /// The asset's equity: balance + UPnL + counted option value (rounded down).
        public var equity: FixedPoint
        /// The index price in the valuation currency.
        public var indexPrice: Double
        /// The haircut slices applied to a positive equity (empty for a negative one).
        public var haircutSlices: [HaircutSlice]
        /// The liability weight applied to a negative equity (nil when the equity is not negative).
        public var liabilityWeight: Double?
        /// The schedule's provenance.
        public var haircutSchedule: ParameterSetInfo
        /// Equity × index price (rounded down).
        public var rawValue: FixedPoint
        /// The collateral value after haircuts, in the valuation currency (rounded down; never above the raw value).
        public var collateralValue: FixedPoint
        /// Initial margin of cross positions settling in this asset (rounded up).
        public var initial: FixedPoint
        /// Maintenance margin of cross positions settling in this asset (rounded up).
        public var maintenance: FixedPoint
    }

    /// A slice of collateral counted at one ratio.
    public struct HaircutSlice: Sendable, Hashable {
        /// The 0-based tier.
        public var tier: Int
        /// The ratio applied.
        public var ratio: Double
        /// The slice's value before the haircut (valuation currency).
        public var value: Double
    }

    /// One position.
    public struct PositionLine: Sendable, Hashable {
        /// The instrument symbol.
        public var instrument: String
        /// One-way, or the hedge-mode leg.
        public var side: PositionSide = .net
        /// `perpetual`, `future`, `option`.
        public var kind: String
        /// Linear or inverse.
        public var settlement: Settlement
        /// The settlement asset symbol.
        public var settleAsset: String
        /// `cross` or `isolated`.
        public var mode: String
        /// Signed size in contracts.
        public var size: FixedPoint
        /// Average entry price (nil when the cost basis is zero).
        public var entryPrice: Double?
        /// Mark price.
        public var markPrice: Double
        /// The price liquidation and bankruptcy prices are quoted in: the mark for futures and perpetuals, the
        /// underlying index for options.
        public var referencePrice: Double
        /// Notional in the settlement asset at the mark (half-even; display only).
        public var notional: FixedPoint
        /// Unrealised PnL in the settlement asset (rounded down).
        public var unrealisedPnL: FixedPoint
        /// Options: the mark value of the position (signed, rounded down).
        public var optionValue: FixedPoint?
        /// The 1-based tier or step of the schedule (nil for options).
        public var tier: Int?
        /// The schedule's (or option parameters') provenance.
        public var schedule: ParameterSetInfo?
        /// The leverage the holder chose (nil = the schedule's maximum).
        public var chosenLeverage: Double?
        /// The leverage the initial margin implies.
        public var effectiveLeverage: Double?
        /// Whether the chosen leverage exceeded the cap of the position's tier.
        public var leverageCapped: Bool
        /// Initial margin in the settlement asset (rounded up).
        public var initial: FixedPoint
        /// Maintenance margin in the settlement asset (rounded up).
        public var maintenance: FixedPoint
        /// Liquidation price.
        public var liquidationPrice: LiquidationPrice
        /// Bankruptcy price.
        public var bankruptcyPrice: LiquidationPrice
        /// The isolated pool (nil for cross positions).
        public var isolated: PoolLine?

        /// The symbol, with the leg in hedge mode (`BTCUSDT long`).
        public var label: String { side.label(instrument) }
    }

    /// A margin pool's money figures, ratios and state.
    public struct PoolLine: Sendable, Hashable {
        /// Money figures in the valuation currency.
        public var figures: MoneyFigures
        /// The state under the bands.
        public var state: HealthState
        /// The margin held by open orders (valuation units at `figures.decimals`; 0 without orders or for an isolated pool).
        public var openOrderMargin: Int128 = 0

        /// What may be withdrawn or used to open positions: max(0, margin balance − initial margin − open order margin).
        public var available: Int128 { figures.available(holdingBack: openOrderMargin) }
    }
}

extension MarginReport {
    /// Builds the report of `account` in `context`, with the margin its resting `orders` hold (``OpenOrderMargin``).
    /// - Throws: ``MarginError`` for a missing price or parameter of something the account holds, or an order whose
    ///   fill overflows.
    public init(account: Account, orders: [OpenOrder] = [], context: RiskContext) throws(MarginError) {
        try self.init(withoutOrders: account, context: context)
        guard !orders.isEmpty else { return }
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        let margin: OpenOrderMargin
        do {
            margin = try OpenOrderMargin(orders: orders, account: account, context: context, workspace: &workspace)
        } catch .margin(let error) {
            throw error
        } catch {
            throw .outOfRange(figure: "the fill of the open orders (\(error))")
        }
        openOrders = margin
        orderInitialPrice = context.parameters.conventions.orderInitialPrice
        cross.openOrderMargin = margin.total
    }

    /// Builds the report of `account` in `context`, without open orders.
    /// - Throws: ``MarginError`` for a missing price or parameter of something the account holds.
    private init(withoutOrders account: Account, context: RiskContext) throws(MarginError) {
        let catalog = context.catalog
        let decimals = catalog.valuation.decimals
        let bands = context.parameters.healthBands
        var collector = ReportCollector(positionCount: account.positions.count)
        var workspace = MarginWorkspace(assetCount: catalog.assets.count)
        let pool: PoolFigures
        var explanation: PortfolioExplanation?
        switch account.model {
        case .standard:
            pool = try AccountMargin.crossPool(account, context: context, workspace: &workspace, observer: &collector)
        case .portfolio:
            let (portfolio, arrays) = try context.portfolioMargin(for: account)
            let explained = try PortfolioExplanation(account: account, context: context, arrays: arrays, parameters: portfolio,
                                                     observer: &collector)
            pool = explained.figures.pool
            let initialPerMaintenance = portfolio.initialFactor / portfolio.maintenanceFactor
            for (slot, position) in account.positions.enumerated() where !position.mode.isIsolated {
                let risk = context.instruments[position.instrument.index]
                let value = try PositionValue(position, in: context)
                let settlePrice = context.indexPrices[risk.settle.index]
                let contribution = explained.contributions.first { $0.instrument == position.instrument && $0.side == position.side }?.maintenance ?? 0
                let notional: Double
                if case .option(_, _, let coinSettled) = risk.form {
                    notional = abs(value.contracts) * risk.multiplier * (coinSettled ? 1 : risk.underlyingPrice)
                } else {
                    notional = abs(value.signedValue)
                }
                collector.positions[slot] = PositionFigures(value: value, notional: notional, initial: contribution * initialPerMaintenance / settlePrice,
                                                            maintenance: contribution / settlePrice)
            }
            explanation = explained
        }
        let crossMoney = try pool.money(decimals: decimals)
        var exactUnrealised = Array(repeating: Int128(0), count: catalog.assets.count)
        var approximateUnrealised = Array(repeating: 0.0, count: catalog.assets.count)
        for (slot, figures) in collector.positions.enumerated() {
            guard let figures else { continue }
            let settle = context.instruments[account.positions[slot].instrument.index].settle.index
            guard let exact = figures.exactUnrealisedPnL else {
                approximateUnrealised[settle] += figures.unrealisedPnL
                continue
            }
            let (sum, overflow) = exactUnrealised[settle].addingReportingOverflow(exact)
            guard !overflow else { throw .outOfRange(figure: "\(catalog[asset: AssetID(settle)].symbol) unrealised PnL") }
            exactUnrealised[settle] = sum
        }

        var assetLines: [AssetLine] = []
        for asset in collector.assets {
            let info = catalog[asset: asset.id]
            let d = info.decimals
            let haircut = context.parameters.collateral[asset.id.index]
            var slices: [HaircutSlice] = []
            let equity = Double(nearest: asset.exactEquity) * 1e-18 + asset.markEquity
            if equity >= 0 {
                haircut.forEachSlice(quantity: equity, price: asset.price) { tier, value, ratio in
                    slices.append(HaircutSlice(tier: tier, ratio: ratio, value: value))
                }
            }
            assetLines.append(AssetLine(
                symbol: info.symbol,
                balance: FixedPoint(units: account.balance(asset.id), scale: d),
                unrealisedPnL: try money(exact: exactUnrealised[asset.id.index], approximate: approximateUnrealised[asset.id.index], d, .down,
                                         "\(info.symbol) unrealised PnL"),
                equity: try money(exact: asset.exactEquity, approximate: asset.markEquity, d, .down, "\(info.symbol) equity"),
                indexPrice: asset.price,
                haircutSlices: slices,
                liabilityWeight: equity < 0 ? haircut.liabilityWeight : nil,
                haircutSchedule: haircut.info,
                rawValue: try money(equity * asset.price, decimals, .down, "\(info.symbol) value"),
                collateralValue: try money(asset.collateralValue, decimals, .down, "\(info.symbol) collateral value"),
                initial: try money(asset.initial, d, .up, "\(info.symbol) initial margin"),
                maintenance: try money(asset.maintenance, d, .up, "\(info.symbol) maintenance margin")))
        }

        var total = crossMoney
        var positionLines: [PositionLine] = []
        let prices = try LiquidationPriceSolver.prices(account: account, context: context)
        for slot in account.positions.indices {
            let position = account.positions[slot]
            let instrument = catalog[instrument: position.instrument]
            let risk = context.instruments[position.instrument.index]
            var figures: PositionFigures
            var isolatedLine: PoolLine?
            if position.mode.isIsolated {
                let (isolatedPool, isolatedFigures) = try AccountMargin.isolatedPool(account, slot: slot, context: context)
                figures = isolatedFigures
                let isolatedMoney = try isolatedPool.money(decimals: decimals)
                isolatedLine = PoolLine(figures: isolatedMoney, state: isolatedMoney.state(bands))
                total.addIsolated(isolatedMoney)
            } else {
                guard let collected = collector.positions[slot] else { throw .outOfRange(figure: "position \(instrument.symbol)") }
                figures = collected
            }
            let d = catalog[asset: instrument.settle].decimals
            let (liquidation, bankruptcy) = prices[slot]
            let isOption = instrument.isOption
            positionLines.append(PositionLine(
                instrument: instrument.symbol,
                side: position.side,
                kind: instrument.kind.name,
                settlement: instrument.settlement,
                settleAsset: catalog[asset: instrument.settle].symbol,
                mode: position.mode.name,
                size: FixedPoint(units: Int128(position.size), scale: instrument.sizeDecimals),
                entryPrice: EntryPrice.average(position: position, instrument: instrument),
                markPrice: risk.mark,
                referencePrice: LiquidationPriceSolver.referencePrice(risk),
                notional: try money(figures.notional, d, .halfEven, "\(instrument.symbol) notional"),
                unrealisedPnL: try money(exact: figures.exactUnrealisedPnL ?? 0, approximate: figures.exactUnrealisedPnL == nil ? figures.unrealisedPnL : 0,
                                         d, .down, "\(instrument.symbol) unrealised PnL"),
                optionValue: isOption ? try money(figures.contracts * (risk.option?.value ?? 0), d, .down, "\(instrument.symbol) value") : nil,
                tier: isOption || (account.model == .portfolio && !position.mode.isIsolated) ? nil : figures.tier + 1,
                schedule: account.model == .portfolio && !position.mode.isIsolated ? context.parameters.portfolio?.info
                    : isOption ? context.details[position.instrument.index].pricing.optionRates?.info : context.details[position.instrument.index].schedule?.info,
                chosenLeverage: position.leverage,
                effectiveLeverage: figures.effectiveLeverage.isFinite ? figures.effectiveLeverage : nil,
                leverageCapped: figures.leverageCapped,
                initial: try money(figures.initial, d, .up, "\(instrument.symbol) initial margin"),
                maintenance: try money(figures.maintenance, d, .up, "\(instrument.symbol) maintenance margin"),
                liquidationPrice: liquidation,
                bankruptcyPrice: bankruptcy,
                isolated: isolatedLine))
        }

        self.init(accountID: account.id, valuation: catalog.valuation, snapshotTime: context.snapshot.time,
                  parameters: context.parameters.info, healthBands: bands,
                  liquidationPriceScope: context.parameters.conventions.liquidationPriceScope, openGain: context.parameters.conventions.openGain,
                  assets: assetLines, positions: positionLines,
                  cross: PoolLine(figures: crossMoney, state: crossMoney.state(bands)), model: account.model, portfolio: explanation,
                  total: total)
        instrumentSettings = account.instrumentSettings
    }
}

/// Converts an exact part at 10^-18 plus a `Double` part to money: exactly when the `Double` part is zero.
func money(exact: Int128, approximate: Double, _ decimals: Int, _ rounding: Rounding, _ name: String) throws(MarginError) -> FixedPoint {
    if approximate == 0, let amount = FixedPoint(units: exact, scale: Instrument.costDecimals).rescaled(to: decimals, rounding: rounding) {
        return amount
    }
    return try money(Double(nearest: exact) * 1e-18 + approximate, decimals, rounding, name)
}

/// Converts a risk figure to money or reports it out of range.
func money(_ value: Double, _ decimals: Int, _ rounding: Rounding, _ name: String) throws(MarginError) -> FixedPoint {
    guard let amount = FixedPoint(value, scale: decimals, rounding: rounding) else { throw .outOfRange(figure: name) }
    return amount
}

/// Collects the per-position and per-asset figures of an evaluation for the report.
struct ReportCollector: MarginObserver {
    struct AssetFigures {
        var id: AssetID
        var exactEquity: Int128
        var markEquity: Double
        var initial: Double
        var maintenance: Double
        var collateralValue: Double
        var price: Double
    }

    static var wantsPositions: Bool { true }
    var positions: [PositionFigures?]
    var assets: [AssetFigures] = []

    init(positionCount: Int) { positions = Array(repeating: nil, count: positionCount) }

    mutating func position(slot: Int, instrument: InstrumentID, figures: PositionFigures) { positions[slot] = figures }

    mutating func asset(_ asset: AssetID, exactEquity: Int128, markEquity: Double, initial: Double, maintenance: Double,
                        collateralValue: Double, price: Double) {
        assets.append(AssetFigures(id: asset, exactEquity: exactEquity, markEquity: markEquity, initial: initial, maintenance: maintenance,
                                   collateralValue: collateralValue, price: price))
    }
}
