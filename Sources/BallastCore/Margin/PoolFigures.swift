/// The unrounded figures of one margin pool (the cross pool, or one isolated position), in the valuation currency.
///
/// These are risk figures (`Double`); ``MoneyFigures`` holds them as money, rounded in the named directions.
public struct PoolFigures: Sendable, Hashable {
    /// Equity at full value: Σ per-asset (balance + unrealised PnL + counted option value) × index price.
    public var equity: Double
    /// Margin balance: the same after collateral haircuts and liability weights (the "adjusted equity" of
    /// Binance PM, the "margin balance" of Bybit UTA).
    public var marginBalance: Double
    /// Initial margin requirement.
    public var initial: Double
    /// Maintenance margin requirement.
    public var maintenance: Double

    /// Zero everywhere.
    public static let zero = PoolFigures(equity: 0, marginBalance: 0, initial: 0, maintenance: 0)

    /// Creates pool figures.
    public init(equity: Double, marginBalance: Double, initial: Double, maintenance: Double) {
        self.equity = equity
        self.marginBalance = marginBalance
        self.initial = initial
        self.maintenance = maintenance
    }

    /// The figures as money at `decimals`: equity and margin balance rounded down (credits), requirements up.
    /// - Throws: ``MarginError/outOfRange(figure:)`` if a figure is not finite or too large.
    @inline(__always)
    public func money(decimals: Int) throws(MarginError) -> MoneyFigures {
        // The conversions of `FixedPoint(_:scale:rounding:)`, with the scale checked and looked up once.
        guard decimals >= 0, decimals <= FixedPoint.maximumScale else { throw .outOfRange(figure: "equity") }
        let factor = PowersOfTen.double(decimals)
        guard let equity = FixedPoint.units(scaled: equity * factor, rounding: .down) else { throw .outOfRange(figure: "equity") }
        guard let marginBalance = FixedPoint.units(scaled: marginBalance * factor, rounding: .down) else {
            throw .outOfRange(figure: "margin balance")
        }
        guard let initial = FixedPoint.units(scaled: initial * factor, rounding: .up) else { throw .outOfRange(figure: "initial margin") }
        guard let maintenance = FixedPoint.units(scaled: maintenance * factor, rounding: .up) else {
            throw .outOfRange(figure: "maintenance margin")
        }
        return MoneyFigures(decimals: decimals, equity: equity, marginBalance: marginBalance, initial: initial, maintenance: maintenance)
    }
}

/// A pool's figures as exact money at one scale, rounded as the rule says: credits down, requirements up.
public struct MoneyFigures: Sendable, Hashable {
    /// Decimals of every figure.
    public var decimals: Int
    /// Equity at full value (rounded down).
    public var equity: Int128
    /// Margin balance after haircuts (rounded down).
    public var marginBalance: Int128
    /// Initial margin (rounded up).
    public var initial: Int128
    /// Maintenance margin (rounded up).
    public var maintenance: Int128

    /// Adds an isolated pool to an account's total: its requirements in full, its equity and margin balance floored at
    /// zero (an isolated loss is bounded by the pool's margin).
    public mutating func addIsolated(_ pool: MoneyFigures) {
        equity += max(0, pool.equity)
        marginBalance += max(0, pool.marginBalance)
        initial += pool.initial
        maintenance += pool.maintenance
    }

    /// What may be withdrawn or used to open positions: max(0, margin balance − initial margin).
    public var available: Int128 { available(holdingBack: 0) }

    /// What is available when `held` more is held back (open orders' margin): max(0, margin balance − IM − held).
    public func available(holdingBack held: Int128) -> Int128 { max(0, marginBalance - initial - held) }

    /// The pool's state under `bands`.
    public func state(_ bands: HealthBands) -> HealthState {
        bands.state(marginBalance: marginBalance, equity: equity, maintenance: maintenance)
    }

    /// MM / margin balance, the margin ratio Binance USDⓈ-M, Bybit and Deribit show (≥ 1 means liquidation);
    /// `nil` when the margin balance is not positive.
    public var marginRatio: Double? {
        marginBalance > 0 ? Double(nearest: maintenance) / Double(nearest: marginBalance) : nil
    }

    /// Margin balance / MM, Binance portfolio margin's uniMMR; `nil` when there is no maintenance requirement.
    public var uniMMR: Double? {
        maintenance > 0 ? Double(nearest: marginBalance) / Double(nearest: maintenance) : nil
    }

    /// A figure as a decimal.
    public func fixed(_ units: Int128) -> FixedPoint { FixedPoint(units: units, scale: decimals) }
}
