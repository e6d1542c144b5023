/// Standard-margin rates for short options of one right (call or put), per unit of underlying, in the
/// venue form (Deribit, Bybit USDC options, Aevo):
///
/// - **MM = k·max(c·S, d·mark) + mark + feeMM·S**
/// - **IM = k·max(a·S − OTM, b·S + e·mark) + premium + feeIM·S**, and if `initialAtLeastMaintenance`, IM = max(IM, MM)
///
/// where k is a margin factor (1 by default; OKX multiplies the whole term by its tier's "margin factor": short call
/// IM = max(0.15 − OTM/F, 0.1)·factor + mark, https://www.okx.com/help/ii-option-margin ) and e·mark raises the floor
/// (Gate and the old OKX short put: 0.1·S·(1 + mark/S), i.e. e = b; 0 by default),
/// where the premium term is the mark, or max(entry, mark) per ``InitialPremium/entryOrMark`` (Bybit: "Position Initial
/// Margin = [Max(0.15 × Index Price − OTM amount, 0.1 × Index Price) + Max(Position Average Price, Option Mark Price)]
/// × …, floored at the position's maintenance margin"),
///
/// with S the underlying index price, mark the option mark and OTM the out-of-the-money amount
/// (max(0, K − S) for a call, max(0, S − K) for a put, or measured against the option's forward, see
/// ``OptionMarginParameters/MoneynessReference``), all in quote currency. Deribit: a = 0.15, b = 0.10,
/// c = 0.075, d = 0 for calls and 0.075 for puts with IM ≥ MM for puts; Bybit: a = 0.15, b = 0.10,
/// c = d = 0.03, feeMM = 0.002. Coin-settled options compute the same in quote and divide by S.
public struct ShortOptionRates: Sendable, Hashable {
    /// a: the IM rate on S before the OTM deduction.
    public var otmInitialRate: Double
    /// b: the IM floor rate on S.
    public var minimumInitialRate: Double
    /// c: the MM rate on S.
    public var maintenanceRate: Double
    /// d: the MM rate on the option mark.
    public var maintenanceMarkRate: Double
    /// Extra IM rate on S (fee buffer).
    public var initialFeeRate: Double
    /// Extra MM rate on S (fee buffer).
    public var maintenanceFeeRate: Double
    /// Whether IM is floored at MM (Deribit puts).
    public var initialAtLeastMaintenance: Bool
    /// The premium term of IM.
    public var initialPremium: InitialPremium
    /// k: the factor on the rate terms of IM and MM (not on the premium or the fee buffers).
    public var marginFactor: Double
    /// e: the IM floor's rate on the option mark (the floor is b·S + e·mark).
    public var minimumInitialMarkRate: Double

    /// The premium term of a short option's IM.
    public enum InitialPremium: String, Sendable, Hashable, CaseIterable {
        /// The option's mark (Deribit).
        case mark
        /// The larger of the position's average entry price and the mark (Bybit USDC options): a short sold below the
        /// mark is charged the mark, one sold above it its entry. JSON `"max_entry_mark"`.
        case entryOrMark = "max_entry_mark"
    }

    /// Creates short-option rates.
    /// - Throws: ``ParameterError`` for a rate outside [0, 1] or a margin factor outside (0, 10].
    public init(otmInitialRate: Double, minimumInitialRate: Double, maintenanceRate: Double, maintenanceMarkRate: Double = 0,
                initialFeeRate: Double = 0, maintenanceFeeRate: Double = 0, initialAtLeastMaintenance: Bool = false,
                initialPremium: InitialPremium = .mark, marginFactor: Double = 1, minimumInitialMarkRate: Double = 0) throws(ParameterError) {
        try ParameterError.check(["otm_initial_rate": otmInitialRate, "minimum_initial_rate": minimumInitialRate,
                                  "maintenance_rate": maintenanceRate, "maintenance_mark_rate": maintenanceMarkRate,
                                  "initial_fee_rate": initialFeeRate, "maintenance_fee_rate": maintenanceFeeRate,
                                  "minimum_initial_mark_rate": minimumInitialMarkRate], "must be in [0, 1]") { (0...1).contains($0) }
        try ParameterError.check(["margin_factor": marginFactor], "must be in (0, 10]") { $0 > 0 && $0 <= 10 }
        self.otmInitialRate = otmInitialRate
        self.minimumInitialRate = minimumInitialRate
        self.maintenanceRate = maintenanceRate
        self.maintenanceMarkRate = maintenanceMarkRate
        self.initialFeeRate = initialFeeRate
        self.maintenanceFeeRate = maintenanceFeeRate
        self.initialAtLeastMaintenance = initialAtLeastMaintenance
        self.initialPremium = initialPremium
        self.marginFactor = marginFactor
        self.minimumInitialMarkRate = minimumInitialMarkRate
    }

    /// (IM, MM) per unit of underlying in quote currency, for a short option with out-of-the-money amount `otm` and
    /// average entry price `entry` (per unit, quote currency; `nil`: the mark, as for an instrument-wide figure), with
    /// the margin factor k of a size tier in place of ``marginFactor`` if given
    /// (``OptionMarginParameters/marginFactorTiers``).
    public func requirements(underlying s: Double, mark: Double, outOfTheMoney otm: Double, entry: Double? = nil,
                             marginFactor tierFactor: Double? = nil) -> (initial: Double, maintenance: Double) {
        let marginFactor = tierFactor ?? self.marginFactor
        let maintenance = marginFactor * max(maintenanceRate * s, maintenanceMarkRate * mark) + mark + maintenanceFeeRate * s
        let premium = initialPremium == .entryOrMark ? max(entry ?? mark, mark) : mark
        var initial = marginFactor * max(otmInitialRate * s - otm, minimumInitialRate * s + minimumInitialMarkRate * mark) + premium
            + initialFeeRate * s
        if initialAtLeastMaintenance { initial = max(initial, maintenance) }
        return (initial, maintenance)
    }
}

/// Standard option margin for one underlying: short-option rates per right, and how much of a long option's
/// value counts in equity (1 = all, as OKX "equity = balance + UPnL + option value"; longs need no margin,
/// they pay the premium).
public struct OptionMarginParameters: Sendable, Hashable {
    /// Rates for short calls.
    public var call: ShortOptionRates
    /// Rates for short puts.
    public var put: ShortOptionRates
    /// The share of a long option's mark value that counts in equity, in [0, 1].
    public var longValueWeight: Double
    /// The price the out-of-the-money amount is measured against.
    public var moneyness: MoneynessReference
    /// The margin factor k by the size of the account's short options on this underlying (empty: each right's own
    /// ``ShortOptionRates/marginFactor``).
    ///
    /// OKX: "The options margin amount is based on the position tier, which is determined by the total amount of
    /// seller's positions and open orders. The higher the tier, the greater the margin factor"
    /// (https://www.okx.com/help/ii-option-margin ; the tiers are the `optMgnFactor` of `GET /api/v5/public/position-tiers`).
    /// Ballast measures the size as Σ|contracts|·multiplier of the pool's short options on the underlying (a group's:
    /// its members' merged positions), coin- and quote-settled together (OKX counts per instrument family), in units of
    /// underlying (OKX's tiers count contracts, so multiply its bounds by the contract multiplier), open orders not
    /// included. Every short option of the underlying takes the factor of the tier that size falls in, in place of
    /// each right's ``ShortOptionRates/marginFactor``; a size within 10⁻¹² (relative) of a floor is on it. Factors
    /// never fall from one tier to the next. Standard margin only.
    public var marginFactorTiers: [MarginFactorTier]
    /// Provenance.
    public var info: ParameterSetInfo

    /// The price a short option's out-of-the-money amount is measured against, as a share of that price.
    ///
    /// The IM rate term reads a·S − OTM·S/P with S the index price and P this price, so (with e = 0) it is
    /// k·max(a − OTM/P, b)·S, and with P = S (``index``) the plain k·max(a·S − OTM, b·S). OKX measures the amount
    /// against "the same expiry forward mark price" (``forward``): Position IMR = Max(0.1, 0.15 − OTM Amount / same
    /// expiry forward mark price) × Margin Factor + Mark Price per coin, https://www.okx.com/help/ii-option-margin
    /// (OKX names the floor a and the OTM rate b, the other way round from here; later revisions add USD-margined
    /// options with the rate term × index price). A coin-settled option's figure per coin is then
    /// k·max(a − OTM/F, b) + mark, whatever S.
    public enum MoneynessReference: String, Sendable, Hashable, CaseIterable {
        /// The underlying index price (Deribit, Bybit, Aevo as published).
        case index
        /// The option's forward: the mark of the instrument it is priced off (``Instrument/forwardInstrument``; OKX's is
        /// the future of the option's expiry, and a perpetual there gives the perpetual's mark), else its snapshot
        /// forward, else the index.
        case forward
    }

    /// One size tier of ``marginFactorTiers``: from `floor` units of underlying sold, the margin factor `factor`.
    public struct MarginFactorTier: Sendable, Hashable {
        /// The least size (units of underlying) of the tier.
        public var floor: Double
        /// The margin factor k of the tier.
        public var factor: Double

        /// Creates a tier.
        public init(floor: Double, factor: Double) {
            self.floor = floor
            self.factor = factor
        }
    }

    /// Creates option margin parameters.
    /// - Throws: ``ParameterError`` if the long value weight is outside [0, 1], or the factor tiers do not start at 0,
    ///   rise strictly, or have a factor outside (0, 10].
    public init(call: ShortOptionRates, put: ShortOptionRates, longValueWeight: Double = 1, moneyness: MoneynessReference = .index,
                marginFactorTiers: [MarginFactorTier] = [], info: ParameterSetInfo = .inline) throws(ParameterError) {
        guard longValueWeight.isFinite, longValueWeight >= 0, longValueWeight <= 1 else {
            throw ParameterError(field: "long_value_weight", value: "\(longValueWeight)", reason: "must be in [0, 1]")
        }
        for (i, tier) in marginFactorTiers.enumerated() {
            let previous = i == 0 ? nil : marginFactorTiers[i - 1].floor
            guard tier.floor.isFinite, previous.map({ tier.floor > $0 }) ?? (tier.floor == 0) else {
                throw ParameterError(field: "margin_factor_tiers[\(i)].floor", value: "\(tier.floor)",
                                     reason: i == 0 ? "the first tier must start at 0" : "floors must rise strictly")
            }
            guard tier.factor.isFinite, tier.factor > 0, tier.factor <= 10 else {
                throw ParameterError(field: "margin_factor_tiers[\(i)].factor", value: "\(tier.factor)", reason: "must be in (0, 10]")
            }
            if i > 0, tier.factor < marginFactorTiers[i - 1].factor {
                throw ParameterError(field: "margin_factor_tiers[\(i)].factor", value: "\(tier.factor)",
                                     reason: "must not be below the tier before (\(marginFactorTiers[i - 1].factor))")
            }
        }
        self.marginFactorTiers = marginFactorTiers
        self.call = call
        self.put = put
        self.longValueWeight = longValueWeight
        self.moneyness = moneyness
        self.info = info
    }

    /// The rates for a right.
    public func rates(_ right: OptionRight) -> ShortOptionRates { right == .call ? call : put }

    /// The margin factor of the tier `shortSize` (units of underlying sold) falls in: the last tier whose floor is at
    /// most it, a size within 10⁻¹² (relative) below a floor counting as on it (a sum of sizes × multipliers in
    /// `Double` can land just below a decimal floor); `nil` without tiers.
    public func marginFactor(shortSize: Double) -> Double? {
        guard let first = marginFactorTiers.first else { return nil }
        let size = shortSize * (1 + 1e-12)
        return marginFactorTiers.last { $0.floor <= size }?.factor ?? first.factor
    }

    /// The out-of-the-money amount the rates take (in quote currency, on the scale of the index price S): max(0, K − P)
    /// for a call and max(0, P − K) for a put, times S/P, with P the ``moneyness`` price (S or the forward F).
    public func outOfTheMoney(_ right: OptionRight, strike: Double, index s: Double, forward f: Double) -> Double {
        let reference = moneyness == .forward && f.isFinite && f > 0 ? f : s
        let amount = max(0, right == .call ? strike - reference : reference - strike)
        return reference == s ? amount : amount * s / reference
    }
}
