/// Why a portfolio-margined account needs what it needs: every scenario vector, every add-on, the cross-underlying
/// aggregation, and each position's contribution to the maintenance margin (contributions sum to it).
///
/// Contributions are an Euler allocation. Within an underlying, the scan risk is split by each holding's loss in
/// the worst scenario (Σ = scan risk, hedges contribute negatively); the calendar spread and delta shock by |delta|,
/// the roll shock by dated-future notional, the short option minimum by short option units and a minimum charge
/// equally. Each underlying's share is then scaled by its aggregation factor ∂total/∂Rᵤ and by MM/risk.
public struct PortfolioExplanation: Sendable, Hashable {
    /// The scenario labels, in order.
    public var scenarioLabels: [String]
    /// One entry per underlying the account is exposed to, in asset order.
    public var underlyings: [Underlying]
    /// The cross-underlying aggregation.
    public var aggregation: PortfolioAggregation
    /// The account figures.
    public var figures: PortfolioFigures
    /// Each holding's contribution to MM (positions and moving collateral), in the valuation currency.
    public var contributions: [Contribution]

    /// One underlying.
    public struct Underlying: Sendable, Hashable {
        /// Its risk and add-ons.
        public var risk: UnderlyingRisk
        /// The account's weighted scenario losses on it (loss positive).
        public var losses: [Double]
        /// Its aggregation factor.
        public var factor: Double
    }

    /// A holding's contribution.
    public struct Contribution: Sendable, Hashable {
        /// The position's instrument, or `nil` for a collateral balance.
        public var instrument: InstrumentID?
        /// The position's side: one-way, or a hedge-mode leg.
        public var side: PositionSide = .net
        /// The asset of a collateral balance.
        public var asset: AssetID?
        /// The underlying it belongs to.
        public var underlying: AssetID
        /// Its weighted scenario losses (loss positive).
        public var losses: [Double]
        /// Its contribution to MM.
        public var maintenance: Double
    }

    /// Explains `account` under portfolio margin.
    /// - Throws: ``MarginError`` for a missing price or array of something the account holds.
    public init(account: Account, context: RiskContext, arrays: RiskArrays, parameters: PortfolioParameters) throws(MarginError) {
        var observer = NoObserver()
        try self.init(account: account, context: context, arrays: arrays, parameters: parameters, observer: &observer)
    }

    /// Explains `account` under portfolio margin, telling `observer` each asset line of the equity pool on the way (the
    /// margin report's lines, from the same walk).
    /// - Throws: ``MarginError`` for a missing price or array of something the account holds.
    init<Observer: MarginObserver>(account: Account, context: RiskContext, arrays: RiskArrays, parameters: PortfolioParameters,
                                   observer: inout Observer) throws(MarginError) {
        var workspace = PortfolioWorkspace(assetCount: context.catalog.assets.count, stride: arrays.stride)
        var equityWorkspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        var order: [Int] = []
        var risks: [UnderlyingRisk] = []
        var losses: [[Double]] = []
        let (_, pool, optionValue) = try PortfolioMargin.withAccumulated(account, context: context, arrays: arrays, parameters: parameters,
                                                                         locateWorst: true, workspace: &workspace, equityWorkspace: &equityWorkspace,
                                                                         observer: &observer) {
            (scratch: PortfolioWorkspace.Scratch, count: Int) in
            for k in 0..<count {
                let risk = scratch.risks[k]
                let u = risk.underlying.index
                let collateral = risk.collateralCounted ? scratch.sums[u].collateralUnits : 0
                order.append(u)
                risks.append(risk)
                losses.append((0..<arrays.scenarioCount).map {
                    -(scratch.pnl[u * arrays.stride + $0] + collateral * arrays.assetPnL[u * arrays.stride + $0])
                })
            }
        }
        let aggregation = PortfolioAggregation.aggregate(risks, rule: parameters.aggregation)
        let figures = PortfolioMargin.figures(pool: pool, optionValue: optionValue, risk: aggregation.total, parameters: parameters)
        scenarioLabels = parameters.scenarios.scenarios.map(\.label)
        underlyings = order.indices.map { Underlying(risk: risks[$0], losses: losses[$0], factor: aggregation.factors[$0]) }
        self.aggregation = aggregation
        self.figures = figures

        // Holdings and their drivers.
        var holdings: [Holding] = []
        // The roll shock is charged on an instrument's net size, so a hedge-mode leg's share is its Euler contribution
        // sign(net)·q·notional: the legs' shares sum to |net|·notional, and a leg against the net gives back.
        for position in account.positions {
            guard case .cross = position.mode else { continue }
            let index = position.instrument.index
            let risk = context.instruments[index]
            let quantity = Double(position.size) * risk.sizeUnit
            // The net of the instrument's cross legs, as the margin netted them (an isolated leg is a pool of its own).
            let net = account.positions(of: position.instrument).reduce(0 as Int64) { $0 &+ ($1.mode.isIsolated ? 0 : $1.size) }
            let netSign: Double = net > 0 ? 1 : net < 0 ? -1 : 0
            var shortUnits = 0.0
            var dated = risk.expiry != nil
            if case .option = risk.form {
                dated = false
                if quantity < 0 { shortUnits = -quantity * risk.multiplier }
            }
            holdings.append(Holding(instrument: position.instrument, side: position.side, asset: nil, underlying: risk.underlying.index,
                                    losses: (0..<arrays.scenarioCount).map { -quantity * arrays.pnl[index * arrays.stride + $0] },
                                    delta: quantity * arrays.delta[index],
                                    datedNotional: dated ? netSign * quantity * risk.notionalPerContract * context.indexPrices[risk.settle.index] : 0,
                                    shortOptionUnits: shortUnits))
        }
        for (k, u) in order.enumerated() where risks[k].collateralCounted {
            for balance in account.balances where balance.asset.index == u && balance.units != 0 {
                let asset = balance.asset.index
                let quantity = Double(nearest: balance.units) / PowersOfTen.double(context.catalog.assets[asset].decimals)
                holdings.append(Holding(instrument: nil, asset: balance.asset, underlying: asset,
                                        losses: (0..<arrays.scenarioCount).map { -quantity * arrays.assetPnL[asset * arrays.stride + $0] },
                                        delta: quantity, datedNotional: 0, shortOptionUnits: 0))
            }
        }
        let riskToMaintenance = figures.risk > 0 ? figures.pool.maintenance / figures.risk : 0
        var contributions: [Contribution] = []
        for (k, u) in order.enumerated() {
            let risk = risks[k]
            let members = holdings.indices.filter { holdings[$0].underlying == u }
            let absDelta = members.reduce(0) { $0 + abs(holdings[$1].delta) }
            let dated = members.reduce(0) { $0 + holdings[$1].datedNotional }
            let shortUnits = members.reduce(0) { $0 + holdings[$1].shortOptionUnits }
            let somBinds = risk.shortOptionMinimum >= risk.risk && risk.shortOptionMinimum > 0 && risk.minimumCharge == 0
            for m in members {
                let holding = holdings[m]
                var share: Double
                if risk.minimumCharge > 0 {
                    share = risk.minimumCharge / Double(members.count)
                } else if somBinds {
                    share = shortUnits > 0 ? risk.shortOptionMinimum * holding.shortOptionUnits / shortUnits : 0
                } else {
                    share = risk.worstScenario.map { holding.losses[$0] } ?? 0
                    if absDelta > 0 { share += (risk.calendarSpread + risk.deltaShock) * abs(holding.delta) / absDelta }
                    if dated > 0 { share += risk.rollShock * holding.datedNotional / dated }
                }
                contributions.append(Contribution(instrument: holding.instrument, side: holding.side, asset: holding.asset, underlying: AssetID(u),
                                                  losses: holding.losses, maintenance: share * aggregation.factors[k] * riskToMaintenance))
            }
        }
        self.contributions = contributions
    }
}

extension PortfolioExplanation {
    /// One holding (a cross position, or collateral that moves with the scenarios) and what drives its contribution.
    private struct Holding {
        var instrument: InstrumentID?
        var side: PositionSide = .net
        var asset: AssetID?
        var underlying: Int
        var losses: [Double]
        var delta: Double
        /// sign(instrument's net size)·q·notional of a dated future: its share of the roll shock's base.
        var datedNotional: Double
        var shortOptionUnits: Double
    }
}
