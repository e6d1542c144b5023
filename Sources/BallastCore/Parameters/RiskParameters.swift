/// Which prices move when Ballast searches for a liquidation or bankruptcy price.
public enum LiquidationPriceScope: String, Sendable, Hashable, CaseIterable {
    /// Only the position's own instrument moves, with the options priced off its mark (``Instrument/forwardInstrument``:
    /// their forward and mark move, Black-76 on the moved forward); the index prices stay, and every other position
    /// and asset stays at its mark (Binance one-way cross formula). A searched option moves as if its underlying did.
    case instrument
    /// Every instrument on the same underlying, and the underlying asset held as collateral, move together in
    /// proportion ("portfolio" liquidation price).
    case underlying
}

/// Whether a trade's immediate gain against the mark counts toward its pre-trade check.
public enum OpenGainCredit: String, Sendable, Hashable, CaseIterable {
    /// Counted: the check compares the pool after the trade as it is, gain included.
    case counted
    /// Not counted (Binance USDⓈ-M: "cost = initial margin + open loss", where only a fill worse than the mark adds
    /// anything): the gain on the contracts the trade opens is taken off the margin balance the check uses.
    case ignored
}

/// The price at which a resting order's fill is given its initial margin (``OpenOrderMargin``); its open loss is
/// always taken against the mark.
public enum OrderInitialPrice: String, Sendable, Hashable, CaseIterable {
    /// At the mark, like the position the fill leaves (as a what-if trade is).
    case mark
    /// A buy at its limit price, a sell at max(limit, mark): Binance's "assuming price" (binance.com/en/support/faq/
    /// 87fa7ee33b574f7084d42bd2ce2e463b), without its max with last price × 1.0015, since a snapshot has no last
    /// price. Applies to futures and perpetuals of a standard-margin account; options and spot stay at the mark.
    case limit
}

/// What an increase of an isolated position moves into its margin from the cross pool.
public enum IsolatedIncrease: String, Sendable, Hashable, CaseIterable {
    /// The initial margin of the added size, IM(new) − IM(old) (0 if it does not grow), whatever the position holds
    /// above its IM: margin added by hand stays a buffer, and the order is paid from the cross pool like any order.
    /// Binance counts "∑isolated open order initial margin" against the cross wallet ("Max addable amount to Isolated
    /// Position", binance.com/en/support/articles/360038447311). An opening or a flip brings in its whole IM. Successive
    /// increases telescope to one.
    case addedInitial = "added_initial"
    /// Only what brings the margin up to the new position's IM, max(0, IM(new) − margin): a buffer pays for the
    /// added size first.
    case topUp = "top_up"
}

/// Conventions that venues differ on, made explicit.
public struct MarginConventions: Sendable, Hashable {
    /// Which prices move in a liquidation-price search.
    public var liquidationPriceScope: LiquidationPriceScope
    /// Whether a pre-trade check counts the immediate gain of a fill better than the mark.
    public var openGain: OpenGainCredit
    /// The price a resting order's fill is margined at.
    public var orderInitialPrice: OrderInitialPrice
    /// What an isolated position's increase moves into its margin.
    public var isolatedIncrease: IsolatedIncrease

    /// Creates conventions.
    public init(liquidationPriceScope: LiquidationPriceScope = .instrument, openGain: OpenGainCredit = .counted,
                orderInitialPrice: OrderInitialPrice = .mark, isolatedIncrease: IsolatedIncrease = .addedInitial) {
        self.liquidationPriceScope = liquidationPriceScope
        self.openGain = openGain
        self.orderInitialPrice = orderInitialPrice
        self.isolatedIncrease = isolatedIncrease
    }
}

/// Every risk parameter the standard margin model uses, as data: per-instrument schedules, per-underlying option
/// rates, per-asset collateral haircuts, health bands and conventions, with the provenance of the whole set.
public struct RiskParameters: Sendable {
    /// Provenance of the assembled set.
    public var info: ParameterSetInfo
    /// Margin schedule of each futures or perpetual instrument, by ``InstrumentID/index`` (`nil` for spot and options).
    public var instrumentMargin: [MarginSchedule?]
    /// Option margin parameters by underlying ``AssetID/index`` (`nil` where no options are margined).
    public var optionMargin: [OptionMarginParameters?]
    /// Collateral schedule of each asset, by ``AssetID/index``.
    public var collateral: [HaircutSchedule]
    /// Health bands of every pool.
    public var healthBands: HealthBands
    /// Conventions.
    public var conventions: MarginConventions
    /// Portfolio margin, for accounts whose model is ``MarginModel/portfolio``.
    public var portfolio: PortfolioParameters?

    /// Parameters sized for `catalog`: no schedules, full-value collateral, Binance PM Pro bands.
    public init(catalog: Catalog, info: ParameterSetInfo = .inline) {
        self.info = info
        instrumentMargin = Array(repeating: nil, count: catalog.instruments.count)
        optionMargin = Array(repeating: nil, count: catalog.assets.count)
        collateral = Array(repeating: .fullValue, count: catalog.assets.count)
        healthBands = .binancePortfolioMarginPro
        conventions = MarginConventions()
        portfolio = nil
    }
}
