/// Which margin model an account uses.
public enum MarginModel: String, Sendable, Hashable, CaseIterable {
    /// Per-position standard margin (tiers, risk limits, option formulas).
    case standard
    /// Scenario-based portfolio margin.
    case portfolio
}

/// Whether balances of an underlying move with its scenarios.
public enum CollateralScenarios: String, Sendable, Hashable, CaseIterable {
    /// Collateral is not revalued (its risk is left to haircuts): SPAN.
    case excluded
    /// Collateral moves with its underlying's scenarios: the account's full risk in the valuation currency.
    case included
    /// Collateral may only lower an underlying's risk, never raise it (Deribit: offset currencies offset the risk
    /// of their own products): Rᵤ = min(risk with collateral, risk without).
    case offsetOnly = "offset_only"
}

/// Where option value sits in a portfolio-margined account.
public enum NetOptionValue: String, Sendable, Hashable, CaseIterable {
    /// In equity (long value counted, short value a liability); the requirement is the risk alone. The default, as in
    /// standard margin.
    case inEquity
    /// SPAN: equity is cash and futures PnL; the requirement is risk − NOV (longs reduce it, shorts raise it).
    case inRequirement
}

/// The parameters of scenario-based portfolio margin.
public struct PortfolioParameters: Sendable, Hashable {
    /// The scenario grid.
    public var scenarios: ScenarioSet
    /// Parameters per underlying, by ``AssetID/index`` (`nil`: use ``defaultUnderlying``).
    public var underlyings: [UnderlyingRiskParameters?]
    /// Parameters of underlyings without their own.
    public var defaultUnderlying: UnderlyingRiskParameters
    /// How underlyings combine.
    public var aggregation: CrossUnderlyingAggregation
    /// IM = initialFactor × the aggregated risk (Deribit 1; SPAN speculator ratio 1.1; OKX 1.3).
    public var initialFactor: Double
    /// MM = maintenanceFactor × the aggregated risk (Deribit mm_factor 0.8; 1 for SPAN and OKX).
    public var maintenanceFactor: Double
    /// Whether balances of an underlying move with its scenarios (spot hedging: BTC collateral offsets a BTC short).
    public var collateral: CollateralScenarios
    /// Where option value sits.
    public var netOptionValue: NetOptionValue
    /// Provenance.
    public var info: ParameterSetInfo

    /// Creates portfolio parameters for `assetCount` assets.
    /// - Throws: ``ParameterError`` unless 0 < maintenanceFactor ≤ initialFactor.
    public init(scenarios: ScenarioSet, assetCount: Int, defaultUnderlying: UnderlyingRiskParameters, aggregation: CrossUnderlyingAggregation = .sum,
                initialFactor: Double = 1, maintenanceFactor: Double = 1, collateral: CollateralScenarios = .offsetOnly,
                netOptionValue: NetOptionValue = .inEquity, info: ParameterSetInfo = .inline) throws(ParameterError) {
        guard maintenanceFactor.isFinite, maintenanceFactor > 0 else {
            throw ParameterError(field: "maintenance_factor", value: "\(maintenanceFactor)", reason: "must be positive")
        }
        guard initialFactor.isFinite, initialFactor >= maintenanceFactor else {
            throw ParameterError(field: "initial_factor", value: "\(initialFactor)", reason: "must be at least maintenance_factor \(maintenanceFactor)")
        }
        self.scenarios = scenarios
        self.underlyings = Array(repeating: nil, count: assetCount)
        self.defaultUnderlying = defaultUnderlying
        self.aggregation = aggregation
        self.initialFactor = initialFactor
        self.maintenanceFactor = maintenanceFactor
        self.collateral = collateral
        self.netOptionValue = netOptionValue
        self.info = info
    }

    /// The parameters of an underlying.
    public func underlying(_ asset: AssetID) -> UnderlyingRiskParameters {
        (asset.index < underlyings.count ? underlyings[asset.index] : nil) ?? defaultUnderlying
    }
}
