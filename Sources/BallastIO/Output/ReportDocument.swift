import BallastCore

/// The stable JSON form of a ``MarginReport`` (`format: ballast.margin-report/1`): keys in snake_case and sorted,
/// money as exact decimal strings, prices and ratios as numbers (`null` where undefined).
struct ReportDocument: Encodable {
    var format = "ballast.margin-report/1"
    var account: String
    var snapshotTime: String
    var valuationCurrency: String
    var parameters: ProvenanceDocument
    var healthBands: BandsDocument
    var liquidationPriceScope: String
    var openGain: String
    var liquidationPriceDefinition = "the price of the instrument (of the underlying, for options) at which margin balance equals maintenance margin (uniMMR 1); health bands may start liquidation earlier"
    var assets: [AssetDocument]
    var positions: [PositionDocument]
    var cross: PoolDocument
    var total: PoolDocument
    var model: String
    var portfolio: PortfolioOutput.Document?
    var openOrders: OpenOrdersDocument?
    /// The leverage and margin mode chosen for instruments without a position (omitted when there is none).
    var instrumentSettings: [InstrumentSettingDocument]?

    /// One instrument's setting: its leverage (omitted: the cap) and margin mode.
    struct InstrumentSettingDocument: Encodable {
        var instrument: String
        var leverage: Double?
        var marginMode: String
    }

    /// The margin held by open orders: per instrument, the cost of each side filling at its limit prices.
    struct OpenOrdersDocument: Encodable {
        var rule = "per instrument max(0, cost of every buy filling, cost of every sell filling) at their limit prices; cost = ΔIM + the margin balance lost (open loss, fee; a gain is not credited); reduce-only orders hold nothing; hedge-mode legs: max(0, buy cost) + max(0, sell cost), and an order closing part of its leg holds nothing"
        /// Where the fills' IM is taken: `mark`, or `limit` (a buy at its limit, a sell at max(limit, mark)).
        var initialPrice: String
        var instruments: [Line]
        var total: String

        struct Line: Encodable {
            var instrument: String
            var buys: String
            var sells: String
            var buyCost: String
            var sellCost: String
            var margin: String
        }

        init(_ margin: OpenOrderMargin, initialPrice: OrderInitialPrice, catalog: Catalog) {
            self.initialPrice = initialPrice.rawValue
            func money(_ units: Int128) -> String { FixedPoint(units: units, scale: margin.decimals).description }
            instruments = margin.lines.map { line in
                let decimals = catalog[instrument: line.instrument].sizeDecimals
                return Line(instrument: catalog[instrument: line.instrument].symbol,
                            buys: FixedPoint(units: Int128(line.buys), scale: decimals).description,
                            sells: FixedPoint(units: Int128(line.sells), scale: decimals).description,
                            buyCost: money(line.buyCost), sellCost: money(line.sellCost), margin: money(line.margin))
            }
            total = money(margin.total)
        }
    }

    struct ProvenanceDocument: Encodable {
        var name: String
        var version: String
        var effective: String
        var source: String?
        init(_ info: ParameterSetInfo) {
            name = info.name
            version = info.version
            effective = info.effective.description
            source = info.source
        }
    }

    struct BandsDocument: Encodable {
        var thresholdsOn = "uni_mmr = margin balance / maintenance"
        var warningBelow: String
        var reduceOnlyBelow: String
        var liquidationBelow: String
        var boundaryIsWorse: Bool
        /// The hysteresis buffer (absent when 0): a state is left for a better one only at its threshold plus this.
        var exitBuffer: String?
        var preset: ProvenanceDocument
    }

    struct AssetDocument: Encodable {
        var asset: String
        var balance: String
        var unrealisedPnl: String
        var equity: String
        var indexPrice: Double
        var haircutSlices: [SliceDocument]
        var liabilityWeight: Double?
        var haircutSchedule: ProvenanceDocument
        var rawValue: String
        var collateralValue: String
        var initialMargin: String
        var maintenanceMargin: String
    }

    struct SliceDocument: Encodable {
        var tier: Int
        var ratio: Double
        var value: Double
    }

    struct PositionDocument: Encodable {
        var instrument: String
        /// `long` or `short` for a hedge-mode leg; absent in one-way mode.
        var positionSide: String?
        var kind: String
        var settlement: String
        var settleAsset: String
        var mode: String
        var size: String
        var entryPrice: Double?
        var markPrice: Double
        var liquidationPriceIn: String
        var notional: String
        var unrealisedPnl: String
        var optionValue: String?
        var tier: Int?
        var schedule: ProvenanceDocument?
        var chosenLeverage: Double?
        var effectiveLeverage: Double?
        var leverageCapped: Bool
        var initialMargin: String
        var maintenanceMargin: String
        var liquidationPrice: PriceDocument
        var bankruptcyPrice: PriceDocument
        var isolated: PoolDocument?
    }

    struct PriceDocument: Encodable {
        var price: Double?
        var priceAtTick: Double?
        var breached: Bool
        var method: String
    }

    struct PoolDocument: Encodable {
        var equity: String
        var marginBalance: String
        var initialMargin: String
        var maintenanceMargin: String
        var available: String
        /// The margin held by open orders, present only when the account has some.
        var openOrderMargin: String?
        var marginRatio: Double?
        var marginRatioOrientation = "maintenance / margin balance (liquidation at 1)"
        var uniMmr: Double?
        var state: String

        init(_ figures: MoneyFigures, state: HealthState, openOrderMargin: Int128? = nil) {
            equity = figures.fixed(figures.equity).description
            marginBalance = figures.fixed(figures.marginBalance).description
            initialMargin = figures.fixed(figures.initial).description
            maintenanceMargin = figures.fixed(figures.maintenance).description
            available = figures.fixed(figures.available(holdingBack: openOrderMargin ?? 0)).description
            self.openOrderMargin = openOrderMargin.map { figures.fixed($0).description }
            marginRatio = figures.marginRatio
            uniMmr = figures.uniMMR
            self.state = state.rawValue
        }
    }

    init(_ report: MarginReport, catalog: Catalog) {
        account = report.accountID
        snapshotTime = report.snapshotTime.description
        valuationCurrency = report.valuation.symbol
        parameters = ProvenanceDocument(report.parameters)
        let bands = report.healthBands
        healthBands = BandsDocument(warningBelow: bands.warningBelow.trimmedDescription, reduceOnlyBelow: bands.reduceOnlyBelow.trimmedDescription,
                                    liquidationBelow: bands.liquidationBelow.trimmedDescription, boundaryIsWorse: bands.boundaryIsWorse,
                                    exitBuffer: bands.exitBuffer.units > 0 ? bands.exitBuffer.trimmedDescription : nil,
                                    preset: ProvenanceDocument(bands.info))
        liquidationPriceScope = report.liquidationPriceScope.rawValue
        openGain = report.openGain.rawValue
        assets = report.assets.map { line in
            AssetDocument(asset: line.symbol, balance: line.balance.description, unrealisedPnl: line.unrealisedPnL.description,
                          equity: line.equity.description, indexPrice: line.indexPrice,
                          haircutSlices: line.haircutSlices.map { SliceDocument(tier: $0.tier, ratio: $0.ratio, value: $0.value) },
                          liabilityWeight: line.liabilityWeight, haircutSchedule: ProvenanceDocument(line.haircutSchedule),
                          rawValue: line.rawValue.description, collateralValue: line.collateralValue.description,
                          initialMargin: line.initial.description, maintenanceMargin: line.maintenance.description)
        }
        positions = report.positions.map { line in
            let tick = ReportText.priceTick(line, catalog: catalog)
            func price(_ value: LiquidationPrice) -> PriceDocument {
                PriceDocument(price: value.price, priceAtTick: value.tickRounded(tick: tick, mark: line.referencePrice), breached: value.breached,
                              method: value.closedForm ? "closed form (isolated)" : "account-level search")
            }
            return PositionDocument(
                instrument: line.instrument, positionSide: line.side.isLeg ? line.side.rawValue : nil, kind: line.kind, settlement: line.settlement.rawValue, settleAsset: line.settleAsset,
                mode: line.mode, size: line.size.description, entryPrice: line.entryPrice, markPrice: line.markPrice,
                liquidationPriceIn: line.kind == "option" ? "underlying index price" : "mark price",
                notional: line.notional.description, unrealisedPnl: line.unrealisedPnL.description,
                optionValue: line.optionValue?.description, tier: line.tier, schedule: line.schedule.map(ProvenanceDocument.init),
                chosenLeverage: line.chosenLeverage, effectiveLeverage: line.effectiveLeverage, leverageCapped: line.leverageCapped,
                initialMargin: line.initial.description, maintenanceMargin: line.maintenance.description,
                liquidationPrice: price(line.liquidationPrice), bankruptcyPrice: price(line.bankruptcyPrice),
                isolated: line.isolated.map { PoolDocument($0.figures, state: $0.state) })
        }
        let orderMargin = report.openOrders?.total
        cross = PoolDocument(report.cross.figures, state: report.cross.state, openOrderMargin: orderMargin)
        total = PoolDocument(report.total, state: report.total.state(report.healthBands), openOrderMargin: orderMargin)
        openOrders = report.openOrders.map { OpenOrdersDocument($0, initialPrice: report.orderInitialPrice, catalog: catalog) }
        model = report.model.rawValue
        instrumentSettings = report.instrumentSettings.isEmpty ? nil : report.instrumentSettings.map {
            InstrumentSettingDocument(instrument: catalog[instrument: $0.instrument].symbol, leverage: $0.leverage, marginMode: MarginMode.name(isolated: $0.isolated))
        }
        portfolio = report.portfolio.map { PortfolioOutput.Document($0, catalog: catalog) }
    }
}
