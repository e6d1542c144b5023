/// What the margin maths needs about one instrument at one snapshot, computed once per snapshot and shared by every
/// account: a plain-data record (no references), so reading it per position costs no reference counting. What holds
/// references (full schedules, option rates, error messages, pricing provenance) sits in ``InstrumentDetail``.
///
/// All money figures are in the instrument's settlement asset, per contract.
public struct InstrumentRisk: Sendable {
    /// The valuation form.
    public enum Form: Sendable, Hashable {
        /// Linear future or perpetual: value per contract m·P.
        case linear
        /// Inverse future or perpetual: coin value per contract m/P.
        case inverse
        /// European option; `coinSettled` for inverse (premium in coin per unit of underlying).
        case option(right: OptionRight, strike: Double, coinSettled: Bool)
        /// A spot pair (never held as a position).
        case spot
    }

    // Stored in the order the kernels read them: what valuing a position needs comes first, so it shares a cache
    // line (a portfolio book's instrument table does not fit in the first-level cache). The one-byte flags sit
    // together, so that none costs a padded word: the stride (208 bytes) is what each position's lookup strides over.

    /// The exact value per size unit (meaningful when ``hasExactValue``).
    var exactValueUnits: Int128
    /// Contracts per size unit: 10^-sizeDecimals.
    public var sizeUnit: Double
    /// The multiplier m.
    public var multiplier: Double
    /// The mark price (NaN if missing).
    public var mark: Double
    /// The settlement asset.
    public var settle: AssetID
    /// The valuation form.
    public var form: Form
    /// Whether ``exactValueUnits`` holds the exact value.
    var hasExactValue: Bool
    /// Whether positions can be valued (else ``RiskContext/problem(of:)`` says why).
    public var isUsable: Bool
    /// Whether a position in it can be valued: usable, and not a spot pair (spot is held as a balance).
    @inline(__always)
    var isHoldable: Bool {
        if case .spot = form { return false }
        return isUsable
    }
    /// Whether it is an option.
    var isOption: Bool {
        if case .option = form { return true }
        return false
    }
    /// Whether a position can be valued and take standard margin: the one test of the hot path.
    var isStandardReady: Bool
    /// The notional a futures schedule measures.
    public var notionalBasis: NotionalBasis
    /// Whether the fee to close in the maintenance margin is valued at the bankruptcy price from entry
    /// (``MarginSchedule/maintenanceCloseFeeBasis`` ``CloseFeeBasis/bankruptcy``) rather than on the mark notional (such a
    /// schedule, or one whose initial margin does, takes the slow path, ``PositionMath/scheduled``).
    public var closeFeeAtBankruptcy: Bool
    /// Whether standard margin can be computed (else ``RiskContext/standardProblem(of:)`` says why).
    public var hasStandardMargin: Bool
    /// Whether the mark is a model price (an option without a quote, priced from its volatility or the surface).
    public var modelMark: Bool
    /// The fee rate of closing a future (``MarginSchedule/closeFeeRate``), added to both requirements on the mark
    /// notional (by the flat tiers; other schedules read their own).
    public var closeFeeRate: Double
    /// The amount added to both requirements of an open position in the settlement asset
    /// (``MarginSchedule/fixedMarginPerPosition``).
    public var fixedMargin: Double
    /// The tiers of a whole-rule tiered schedule in ``RiskContext/tiers`` (empty for other shapes and sliced ladders,
    /// which take the slow path).
    public var tierRange: Range<Int>
    /// The slots of the tiers in ``RiskContext/tiers``: their count padded to a power of two.
    var tierSlots: Int
    /// The underlying asset.
    public var underlying: AssetID
    /// The underlying's index price in the valuation currency (NaN if missing).
    public var underlyingPrice: Double
    /// Open interest notional, for open-interest-scaled schedules (0 if unknown).
    public var openInterest: Double
    /// The expiry, if any.
    public var expiry: Timestamp?
    /// Option figures per contract, in the settlement asset.
    public var option: OptionFigures?
    /// m·P per size unit (10^-sizeDecimals contracts) at 10^-18 of the settlement asset, when the mark is an exact
    /// decimal that fits that scale and the form is product (linear contracts, options); `nil` otherwise.
    public var exactValuePerSizeUnit: Int128? {
        get { hasExactValue ? exactValueUnits : nil }
        set {
            hasExactValue = newValue != nil
            exactValueUnits = newValue ?? 0
        }
    }

    /// Per-contract figures of an option at this snapshot.
    public struct OptionFigures: Sendable, Hashable {
        /// The mark value of one long contract.
        public var value: Double
        /// The initial margin of one short contract with the premium at the mark (NaN without option margin rates); with
        /// ``shortInitialOnEntry`` each position computes its own from its entry.
        public var shortInitial: Double
        /// The maintenance margin of one short contract (NaN without option margin rates).
        public var shortMaintenance: Double
        /// The share of a long's value that counts in equity under standard margin.
        public var longValueWeight: Double
        /// The option's forward in this context (it moves with the future it is priced off, or with the underlying).
        public var forward: Double
        /// Whether a short's IM depends on its entry price (``ShortOptionRates/InitialPremium/entryOrMark``): `shortInitial`
        /// (at the mark) is then the least it can be, and each position computes its own.
        public var shortInitialOnEntry = false
        /// Whether the rates' margin factor depends on the account's short size (``OptionMarginParameters/marginFactorTiers``):
        /// `shortInitial` and `shortMaintenance` are then at the first tier's factor, and each short position in an
        /// account computes its own.
        public var sizeTiered = false
    }

    /// Notional of one contract at the mark, in the settlement asset: m·P (linear) or m/P (inverse); for an option or a
    /// spot pair the underlying's: m·S when settled in the quote, m (coins) when coin-settled.
    public var notionalPerContract: Double {
        switch form {
        case .linear: return multiplier * mark
        case .inverse: return multiplier / mark
        case .option(_, _, coinSettled: true): return multiplier
        case .option, .spot: return multiplier * underlyingPrice
        }
    }
}

/// The parts of an instrument's figures that hold references, read off the hot path: its schedule and option rates
/// (with their provenance), why it cannot be margined, and what repricing it needs.
public struct InstrumentDetail: Sendable {
    /// The standard-margin schedule of a future or perpetual.
    public var schedule: MarginSchedule?
    /// Why positions cannot be valued at all (missing or unusable price, expiry), if so.
    public var problem: MarginError?
    /// Why standard margin cannot be computed though the position can be valued (no schedule, no option rates).
    public var standardProblem: MarginError?
    /// What a liquidation-price search and the scenario engine need to reprice the instrument.
    public var pricing: PricingInputs
    /// The instrument's size decimals.
    let sizeDecimals: Int
    /// The decimals an exact value per size unit may use: 18 − size decimals − multiplier decimals.
    let exactPriceDecimals: Int
    /// The multiplier as an exact decimal.
    let exactMultiplier: FixedPoint

    /// Inputs to reprice an instrument when its underlying moves by a factor.
    public struct PricingInputs: Sendable, Hashable {
        /// The snapshot mark (the reference for every move).
        public var referenceMark: Double
        /// The underlying index price at the snapshot.
        public var referenceUnderlying: Double
        /// Options: the forward at the snapshot.
        public var forward: Double
        /// Options: the volatility used to reprice (the snapshot's, else implied from the mark, else the underlying's
        /// surface; 0 if none).
        public var volatility: Double
        /// Options: years to expiry.
        public var timeToExpiry: Double
        /// Options: the short-option rates.
        public var optionRates: OptionMarginParameters?
    }
}
