import BallastCore
import BallastEngine

/// One margin unit of the demo book being planned (an account, or the members of a group): its openings, deposits,
/// group joins and fills, and a scratch account holding the unit's whole pool, to which every planned deposit and
/// trade is applied exactly as the engine will apply it, so the collateral can be calibrated against the pool's
/// real margin figures before any event is written.
struct DemoDraft {
    /// A planned account.
    struct Member {
        var id: String
        var model: MarginModel
        /// Deposits in ledger units, by asset index.
        var deposits: [Int: Int128] = [:]
    }

    /// A planned fill of one member, against a market maker or the outside world (`counterparty` nil).
    struct PlannedFill {
        var account: String
        var instrument: InstrumentID
        /// Signed size in size units: positive buys.
        var size: Int64
        var price: FixedPoint
        var fee: Int128
        var leverage: Double?
        var isolated: Bool
        var counterparty: String?
        var counterpartyFee: Int128

        /// The margin mode the fill names: isolated, or none (a cross fill follows the position it adds to).
        var mode: Bool? { isolated ? true : nil }
    }

    private(set) var members: [Member]
    /// The group the members join, if they form one.
    let group: (id: String, model: MarginModel)?
    private(set) var fills: [PlannedFill] = []
    /// The unit's pool: every member's balances and positions in one account.
    private(set) var pool: Account
    /// The pool's margin balance and maintenance margin (USD) after each planned fill, with the USDC deposited then:
    /// the states the engine passes through while it applies the fills one by one.
    private(set) var prefixes: [(marginBalance: Double, maintenance: Double, usdc: Int128)] = []
    /// Every member's planned USDC deposits, in ledger units.
    private(set) var usdcDeposited: Int128 = 0
    private let usdc: AssetID

    /// A draft of one account.
    init(account id: String, model: MarginModel = .standard, venue: DemoVenue) {
        members = [Member(id: id, model: model)]
        group = nil
        pool = Account(id: id, model: model)
        usdc = venue.usdc
    }

    /// A draft of a group's members (standard accounts sharing one pool of the group's model).
    init(group: String, model: MarginModel, members ids: [String], venue: DemoVenue) {
        members = ids.map { Member(id: $0, model: .standard) }
        self.group = (group, model)
        pool = Account(id: group, model: model)
        usdc = venue.usdc
    }

    /// Plans a deposit of `units` of `asset` by member `member` (negative: takes back part of a planned deposit).
    mutating func deposit(_ asset: AssetID, units: Int128, member: Int = 0) {
        guard units != 0 else { return }
        members[member].deposits[asset.index, default: 0] += units
        pool.credit(asset, units: units)
        if asset == usdc { usdcDeposited += units }
    }

    /// The member's planned deposit of `asset`, in ledger units.
    func deposited(_ asset: AssetID, member: Int = 0) -> Int128 { members[member].deposits[asset.index] ?? 0 }

    /// Plans a fill and applies it to the pool.
    mutating func trade(_ fill: PlannedFill, venue: DemoVenue) throws(DemoError) {
        let trade = Trade(instrument: fill.instrument, size: fill.size, price: fill.price, fee: fill.fee, leverage: fill.leverage,
                          isolated: fill.mode)
        do throws(TradeError) {
            _ = try TradeExecution.execute(trade, on: &pool, context: venue.context)
        } catch {
            throw .unusable(account: fill.account, reason: error.description)
        }
        fills.append(fill)
        let figures = try self.figures(venue: venue)
        prefixes.append((figures.marginBalance, figures.maintenance, usdcDeposited))
    }

    /// The pool's cross figures at the genesis market.
    func figures(venue: DemoVenue) throws(DemoError) -> PoolFigures {
        var workspace = MarginWorkspace(assetCount: venue.catalog.assets.count)
        do throws(MarginError) {
            return try AccountMargin.pool(pool, context: venue.context, workspace: &workspace)
        } catch {
            throw .unusable(account: pool.id, reason: error.description)
        }
    }

    /// Moves the first member's USDC deposit so the pool's margin balance becomes `target` (USD), keeping at least one
    /// whole USDC deposited: up by whole USDC rounded up, down by whole USDC rounded down. Returns whether the target
    /// was reached.
    @discardableResult
    mutating func setMarginBalance(_ target: Double, current: Double, venue: DemoVenue) -> Bool {
        let change = target - current
        if change > 0 {
            deposit(venue.usdc, units: venue.usdcCovering(change))
            return true
        }
        let one = venue.usdcCovering(1)
        let whole = FixedPoint(-change / venue.index(venue.usdc), scale: 0, rounding: .down)?.units ?? 0
        let cut = whole * one
        guard cut > 0 else { return true }
        let reachable = cut <= deposited(venue.usdc) - one
        let taken = min(cut, deposited(venue.usdc) - one)
        if taken > 0 { deposit(venue.usdc, units: -taken) }
        return reachable
    }

    /// Raises the first member's USDC deposit until every intermediate pool (after each fill) is at or above the lower
    /// threshold of the band the final pool is in, with a 1 % cushion, so applying the fills one by one signals no
    /// state worse than the final one. Raising the deposit can lift the final pool into a better band, whose threshold
    /// is higher: this repeats until it is stable.
    mutating func coverIntermediateStates(venue: DemoVenue) throws(DemoError) {
        let unit = FixedPoint(units: 1, scale: venue.catalog[asset: venue.usdc].decimals).doubleValue * venue.index(venue.usdc)
        for _ in 0..<4 {
            let final = DemoBookBuilder.band(of: try figures(venue: venue))
            let floor = DemoBookBuilder.lowerThreshold(of: final) * 1.01
            var shortfall = 0.0
            for prefix in prefixes {
                let marginBalance = prefix.marginBalance + Double(usdcDeposited - prefix.usdc) * unit
                shortfall = max(shortfall, floor * prefix.maintenance - marginBalance)
            }
            guard shortfall > 0 else { return }
            deposit(venue.usdc, units: venue.usdcCovering(shortfall))
        }
    }

    /// The draft's events from sequence `sequence` on, all at `time`: openings, deposits (by asset), group joins, fills.
    func events(sequence: inout UInt64, time: Timestamp) -> [EngineEvent] {
        var events: [EngineEvent] = []
        func add(_ id: String, _ body: EventBody) {
            events.append(EngineEvent(id: id, sequence: sequence, time: time, body: body))
            sequence += 1
        }
        for member in members {
            add("demo-open-\(member.id)", .openAccount(AccountOpening(account: member.id, model: member.model)))
        }
        for member in members {
            for (asset, units) in member.deposits.sorted(by: { $0.key < $1.key }) where units > 0 {
                add("demo-deposit-\(member.id)-\(asset)", .deposit(FundsMovement(account: member.id, asset: AssetID(asset), amount: units)))
            }
        }
        if let group {
            for member in members {
                add("demo-join-\(member.id)", .group(GroupMembership(account: member.id, group: group.id, model: group.model)))
            }
        }
        for (n, fill) in fills.enumerated() {
            let side = Fill.Side(account: fill.account, fee: fill.fee, leverage: fill.leverage, isolated: fill.mode)
            let other = fill.counterparty.map { Fill.Side(account: $0, fee: fill.counterpartyFee) }
            let body = Fill(instrument: fill.instrument, price: fill.price, size: Int64(fill.size.magnitude),
                            buyer: fill.size > 0 ? side : other, seller: fill.size > 0 ? other : side)
            add("demo-fill-\(fill.account)-\(n + 1)", .fill(body))
        }
        return events
    }
}
