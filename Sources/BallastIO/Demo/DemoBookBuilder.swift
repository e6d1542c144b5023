import BallastCore
import BallastEngine

/// Plans the demo book one margin unit at a time: the draws shared by every kind of account (sizes, entries,
/// counterparties, bands) and the calibration of each unit's collateral. The kinds are in `DemoBookBuilder+Kinds`
/// and `DemoBookBuilder+Options`.
struct DemoBookBuilder {
    let venue: DemoVenue
    var rng: SeededGenerator
    /// The market makers planned so far (counterparties of perpetual and future fills).
    private(set) var makers: [String] = []
    private(set) var drafts: [DemoDraft] = []
    private(set) var accounts: [DemoAccount] = []
    private var groups = 0

    /// Taker fee on perpetuals and futures (4.5 bp), maker fee (1 bp), option fee (3 bp of the index, at most 12.5 %
    /// of the premium).
    static let takerFee = FixedPoint(units: 45, scale: 5)
    static let makerFee = FixedPoint(units: 1, scale: 4)
    static let optionFee = FixedPoint(units: 3, scale: 4)
    static let optionFeeCap = FixedPoint(units: 125, scale: 3)

    init(venue: DemoVenue, seed: UInt64) {
        self.venue = venue
        rng = SeededGenerator(seed: seed)
    }

    // MARK: Draws

    /// The kind of the next unit (a group takes three accounts).
    mutating func drawKind() -> DemoAccount.Kind {
        rng.pick([(.perpetualTrader, 0.62), (.multiCollateral, 0.12), (.isolatedAndCross, 0.08), (.optionsBook, 0.09), (.groupMember, 0.03)])
    }

    /// Where the next unit's collateral is set: about 4 % near the warning band, 0.6 % in it, 0.3 % reduce-only.
    mutating func drawBand() -> DemoAccount.Band {
        rng.pick([(.comfortable, 0.951), (.nearWarning, 0.04), (.warning, 0.006), (.reduceOnly, 0.003)])
    }

    /// A market maker for a share of fills, or the outside world (nil).
    mutating func counterparty() -> String? {
        guard !makers.isEmpty, rng.chance(0.4) else { return nil }
        return makers[rng.below(makers.count)]
    }

    /// A leverage as traders choose it: mostly 5x–10x, a tail to 25x.
    mutating func drawLeverage() -> Double {
        rng.pick([(2, 0.10), (3, 0.10), (5, 0.20), (10, 0.25), (15, 0.12), (20, 0.13), (25, 0.10)])
    }

    /// Distinct instruments among the perpetuals (and, when `future` is set, the dated future), weighted BTC > ETH > SOL.
    mutating func drawLinear(_ count: Int, future: Bool = true, excluding: [InstrumentID] = []) -> [InstrumentID] {
        var choices: [(InstrumentID, Double)] = zip(venue.perpetuals, [0.45, 0.28, 0.2]).map { ($0, $1) }
        if future { choices.append((venue.future, 0.07)) }
        choices.removeAll { excluding.contains($0.0) }
        var chosen: [InstrumentID] = []
        while chosen.count < count, !choices.isEmpty {
            let next = rng.pick(choices)
            chosen.append(next)
            choices.removeAll { $0.0 == next }
        }
        return chosen
    }

    // MARK: Trades

    /// Plans a position of about `notional` USD in a linear perpetual or future for member `member`: long or short,
    /// entered `spread` (relative standard deviation, capped at 2.5 %) around the mark, or at the mark when isolated.
    mutating func linear(_ draft: inout DemoDraft, member: Int = 0, _ instrument: InstrumentID, notional: Double, long: Bool,
                         leverage: Double?, spread: Double = 0.008, isolated: Bool = false) throws(DemoError) {
        let mark = venue.mark(instrument)
        let offset = isolated ? 0 : max(-0.025, min(0.025, rng.normal() * spread))
        let price = venue.price(instrument, near: mark * (1 + offset))
        let multiplier = venue.catalog[instrument: instrument].contractSize.doubleValue
        let size = venue.size(instrument, contracts: notional / (price.doubleValue * multiplier)) * (long ? 1 : -1)
        let other = counterparty()
        try trade(&draft, member: member, instrument, size: size, price: price, leverage: leverage, isolated: isolated, counterparty: other)
    }

    /// Plans a fill of `size` (signed) at `price` with the taker fee (and the maker fee for a market maker).
    mutating func trade(_ draft: inout DemoDraft, member: Int = 0, _ instrument: InstrumentID, size: Int64, price: FixedPoint,
                        leverage: Double? = nil, isolated: Bool = false, counterparty: String? = nil, fee: Int128? = nil) throws(DemoError) {
        let fill = DemoDraft.PlannedFill(
            account: draft.members[member].id, instrument: instrument, size: size, price: price,
            fee: fee ?? venue.fee(instrument, size: size, price: price, rate: Self.takerFee), leverage: leverage, isolated: isolated,
            counterparty: counterparty, counterpartyFee: venue.fee(instrument, size: size, price: price, rate: Self.makerFee))
        try draft.trade(fill, venue: venue)
    }

    // MARK: Finishing a unit

    /// Plans a market maker: 5,000,000–20,000,000 USDC, no position of its own until it fills others.
    mutating func marketMaker(_ id: String) {
        var draft = DemoDraft(account: id, venue: venue)
        draft.deposit(venue.usdc, units: venue.usdcCovering(rng.uniform(5, 20).rounded() * 1_000_000))
        drafts.append(draft)
        accounts.append(DemoAccount(id: id, kind: .marketMaker, model: .standard, band: .comfortable))
        makers.append(id)
    }

    /// The next group's id (`desk-001` …).
    mutating func nextGroupID() -> String {
        groups += 1
        let digits = String(groups)
        return "desk-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// Sets the unit's USDC collateral for `band` and records it. A comfortable pool is raised, if needed, to cover its
    /// initial margin and 2.2–3.5 times its maintenance (or set to `comfortable` times its maintenance when given);
    /// the other bands set uniMMR to a draw inside them, when the USDC deposited allows going that low. Then, so that
    /// applying the fills one by one passes through no state worse than the final one (a short option sold before its
    /// wing is bought, a hedge after its option), the deposit is raised until every intermediate pool is above the
    /// lower threshold of the band the pool is in; the band recorded is the one the pool ends in.
    mutating func finish(_ draft: DemoDraft, kind: DemoAccount.Kind, band: DemoAccount.Band, comfortable: ClosedRange<Double>? = nil) throws(DemoError) {
        var draft = draft
        let figures = try draft.figures(venue: venue)
        var reached = band
        if figures.maintenance > 0 {
            switch band {
            case .comfortable:
                if let range = comfortable {
                    let target = max(figures.initial * 1.02, figures.maintenance * rng.uniform(range.lowerBound, range.upperBound))
                    draft.setMarginBalance(target, current: figures.marginBalance, venue: venue)
                } else if figures.marginBalance < max(figures.initial, 2 * figures.maintenance) {
                    let target = max(figures.initial * 1.02, figures.maintenance * rng.uniform(2.2, 3.5))
                    draft.setMarginBalance(target, current: figures.marginBalance, venue: venue)
                }
            case .nearWarning, .warning, .reduceOnly:
                let range = band == .nearWarning ? 1.55...1.9 : band == .warning ? 1.28...1.48 : 1.08...1.18
                draft.setMarginBalance(figures.maintenance * rng.uniform(range.lowerBound, range.upperBound), current: figures.marginBalance,
                                       venue: venue)
            }
            try draft.coverIntermediateStates(venue: venue)
            reached = Self.band(of: try draft.figures(venue: venue))
        }
        drafts.append(draft)
        for member in draft.members {
            accounts.append(DemoAccount(id: member.id, kind: kind, model: member.model, group: draft.group?.id, band: reached))
        }
    }

    /// The uniMMR thresholds of the demo market's health bands (Binance PM Pro): warning, reduce-only and liquidation
    /// below.
    static let warningBelow = 1.5
    static let reduceOnlyBelow = 1.2
    static let liquidationBelow = 1.05

    /// The band a pool is in: comfortable from uniMMR 2 (and its initial margin covered), near the warning band from
    /// the warning threshold, in it from the reduce-only threshold, reduce-only below.
    static func band(of figures: PoolFigures) -> DemoAccount.Band {
        let marginBalance = figures.marginBalance
        if marginBalance >= 2 * figures.maintenance, marginBalance >= figures.initial { return .comfortable }
        if marginBalance >= warningBelow * figures.maintenance { return .nearWarning }
        return marginBalance >= reduceOnlyBelow * figures.maintenance ? .warning : .reduceOnly
    }

    /// The lowest uniMMR of a band: the threshold below which the pool is in a worse state.
    static func lowerThreshold(of band: DemoAccount.Band) -> Double {
        switch band {
        case .comfortable, .nearWarning: return warningBelow
        case .warning: return reduceOnlyBelow
        case .reduceOnly: return liquidationBelow
        }
    }
}
