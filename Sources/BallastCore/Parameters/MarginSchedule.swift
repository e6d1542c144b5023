/// On which notional a schedule measures a position.
public enum NotionalBasis: String, Sendable, Hashable, CaseIterable {
    /// |size|·m·mark (Binance, Hyperliquid): requirements move with the price.
    case mark
    /// |size|·m·entry (Bybit and BitMEX isolated): requirements fixed at entry.
    case entry
}

/// The margin requirement shape of one futures or perpetual instrument, with its provenance.
///
/// Every shape yields, for a notional `V` (and where relevant the size and open interest), an initial-margin
/// rate and a maintenance amount. The position's IM is `V·max(rate, 1/chosen leverage)`: a user's leverage can
/// only raise the requirement, never lower it below the schedule (dYdX `liquidity_tier.go`; Binance rejects a
/// leverage above the bracket's cap).
public struct MarginSchedule: Sendable, Hashable {
    /// The shapes Ballast supports.
    public enum Shape: Sendable, Hashable {
        /// A notional ladder with the cum rule; IM rate = 1/maxLeverage of the tier.
        case tiered(TierTable)
        /// BitMEX risk-limit steps applying to the whole position.
        case riskLimitSteps(RiskLimitSteps)
        /// Rates growing linearly in the position size (Deribit futures, 2022).
        case sizeScaled(SizeScaledRates)
        /// An initial fraction growing with open interest (dYdX v4 liquidity tiers).
        case openInterestScaled(OpenInterestScaledRates)
        /// Both ratios growing with the square root of the position size (Drift's size premium).
        case sizePremium(SizePremiumRates)
        /// Maintenance as a fraction of the initial margin at the chosen leverage (HTX, BingX).
        case initialFraction(InitialFractionLadder)
    }

    /// The shape.
    public var shape: Shape
    /// Mark or entry notional.
    public var notionalBasis: NotionalBasis
    /// The taker fee rate of closing a position, reserved in both requirements (0: none). A venue that counts the fee
    /// to close (Bybit: "maintenance margin = position value × MMR + fee to close") liquidates earlier by it, and its
    /// bankruptcy price is where equity just pays the fee: see ``IsolatedLiquidation``.
    public var closeFeeRate: Double
    /// At which price the fee to close is valued in the initial margin: the mark (default) or the bankruptcy price
    /// implied by entry and leverage (Bybit's estimated fee to close).
    public var closeFeeBasis: CloseFeeBasis
    /// At which price the fee to close is valued in the maintenance margin, and so in the liquidation and bankruptcy
    /// prices: ``closeFeeBasis`` unless a venue values the two apart. Phemex reserves the fee at the bankruptcy value in
    /// the position's margin ("assignedPosBalance = Openvalue/leverage + close fee", "close fee = bankruptcy Value ×
    /// takerfeerate") and at the liquidation price in its maintenance ("Est. Liq Price for Long position: (OpenValue −
    /// assignedPosBalance − mmAmount)/(0.9994 − MMR)/size" at a 0.06 % taker fee; phemex.com/help-center/liq-price-for-USDTM).
    public var maintenanceCloseFeeBasis: CloseFeeBasis {
        get { maintenanceCloseFeeBasisApart ?? closeFeeBasis }
        set { maintenanceCloseFeeBasisApart = newValue }
    }
    /// The maintenance basis where one was set (`nil`: the same as ``closeFeeBasis``, and it follows a change of it;
    /// once set, it stays whatever ``closeFeeBasis`` becomes).
    private var maintenanceCloseFeeBasisApart: CloseFeeBasis?
    /// A fixed amount of the settlement asset added to both requirements of every open position (0: none), whatever its
    /// size: Synthetix v3's `minimumPositionMargin` ("the account requirement adds minimumPositionMargin per open
    /// position", `PerpsAccount.getAccountRequiredMargins`). It is a requirement, not a cost: it moves the liquidation
    /// price, not the bankruptcy price.
    public var fixedMarginPerPosition: Double
    /// Provenance.
    public var info: ParameterSetInfo

    /// Creates a schedule; `maintenanceCloseFeeBasis` defaults to `closeFeeBasis`.
    public init(shape: Shape, notionalBasis: NotionalBasis = .mark, closeFeeRate: Double = 0, closeFeeBasis: CloseFeeBasis = .mark,
                maintenanceCloseFeeBasis: CloseFeeBasis? = nil, fixedMarginPerPosition: Double = 0, info: ParameterSetInfo = .inline) {
        self.shape = shape
        self.notionalBasis = notionalBasis
        self.closeFeeRate = closeFeeRate
        self.closeFeeBasis = closeFeeBasis
        self.maintenanceCloseFeeBasisApart = maintenanceCloseFeeBasis == closeFeeBasis ? nil : maintenanceCloseFeeBasis
        self.fixedMarginPerPosition = fixedMarginPerPosition
        self.info = info
    }

    /// What a schedule requires of one position.
    public struct Requirement: Sendable, Hashable {
        /// The minimum IM rate (the reciprocal of the highest allowed leverage; for a sliced ladder the average over
        /// the slices, chosen leverage included).
        public var initialRate: Double
        /// The maintenance margin in the settlement asset.
        public var maintenance: Double
        /// The tier or step the notional fell in (0-based).
        public var tier: Int
    }

    /// The requirement for notional `notional` (settlement asset), size `baseSize` (underlying units, for
    /// size-scaled rates and the size premium) and instrument open interest `openInterest` (settlement asset); `leverageRate` (1/chosen
    /// leverage, −∞ without one) matters only to a sliced ladder, where each slice takes the larger of the two rates, and
    /// to an initial-fraction ladder, whose maintenance is a fraction of the IM at that leverage;
    /// `contracts` (the position's size in contracts) only to a ladder measured in contracts.
    public func requirement(notional: Double, baseSize: Double, openInterest: Double, leverageRate: Double = -.infinity,
                            contracts: Double = 0) -> Requirement {
        switch shape {
        case .tiered(let table):
            let k = table.tierIndex(notional: notional, contracts: contracts)
            let tier = table.tiers[k]
            return Requirement(initialRate: table.initialRate(notional: notional, tier: k, leverageRate: leverageRate),
                               maintenance: notional * tier.maintenanceRate - tier.deduction, tier: k)
        case .riskLimitSteps(let steps):
            let n = steps.steps(notional: notional)
            return Requirement(initialRate: steps.initialRate(steps: n), maintenance: notional * steps.maintenanceRate(steps: n), tier: n)
        case .sizeScaled(let rates):
            return Requirement(initialRate: rates.initialRate(baseSize: baseSize),
                               maintenance: notional * rates.maintenanceRate(baseSize: baseSize), tier: 0)
        case .openInterestScaled(let rates):
            return Requirement(initialRate: rates.initialFraction(openInterest: openInterest),
                               maintenance: notional * rates.maintenanceRate, tier: 0)
        case .sizePremium(let rates):
            return Requirement(initialRate: rates.initialRate(baseSize: baseSize),
                               maintenance: notional * rates.maintenanceRate(baseSize: baseSize), tier: 0)
        case .initialFraction(let ladder):
            return ladder.requirement(notional: notional, leverageRate: leverageRate)
        }
    }
}
