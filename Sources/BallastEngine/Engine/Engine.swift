import BallastCore

/// The real-time margin engine: a single writer that folds events into state and emits a signal whenever a pool's
/// health state changes.
///
/// **State = fold(events).** The state is the catalog, the market, the parameters, every account, group and ledger
/// total; everything else (the risk context, each unit's status, the risk index) is derived from it and rebuilt on
/// restore. ``apply(_:)`` is the only way in: it validates the event completely before changing anything, so a
/// rejected event changes nothing.
///
/// **Cost of an event.** A fill, deposit or withdrawal re-evaluates the one or two units it touches. A price tick
/// re-evaluates only the units the ``RiskIndex`` finds: those whose state the move could change. A parameter change
/// re-evaluates everything.
public struct Engine: Sendable {
    // MARK: State (what a snapshot stores)

    /// Assets and instruments.
    public let catalog: Catalog
    /// Engine rules.
    public let settings: EngineSettings
    /// The genesis document.
    public let genesisDocument: String
    /// The latest market data.
    public internal(set) var market: MarketSnapshot
    /// The parameters in force.
    public internal(set) var parameters: RiskParameters
    /// The version of the parameters in force (1 at genesis).
    public internal(set) var parameterVersion: Int
    /// Parameter changes applied so far, oldest first.
    public internal(set) var parameterHistory: [ParameterRecord]
    /// Accepted changes not yet effective, by version.
    public internal(set) var pendingParameters: [ParameterChange]
    /// Whether each instrument has been settled (no more fills).
    public internal(set) var settled: [Bool]
    /// Accounts by engine index.
    public internal(set) var accounts: [Account]
    /// Engine index of each account id.
    var accountIndex: AccountDirectory
    /// The group of each account (−1: none).
    public internal(set) var accountGroup: [Int32]
    /// Margin groups by engine index.
    public internal(set) var groups: [MarginGroup]
    /// Engine index of each group id.
    var groupIndex: [String: Int32]
    /// The counterparty of fills with the outside world: never margined, part of every conservation sum.
    public internal(set) var external: Account
    /// Books per asset.
    public internal(set) var ledger: [AssetLedger]
    /// The last accepted sequence number (0 before any event).
    public internal(set) var lastSequence: UInt64
    /// The time of the last accepted event.
    public internal(set) var lastTime: Timestamp
    /// Recently accepted event ids.
    var duplicates: DuplicateWindow

    // MARK: Derived

    /// The risk context of the current market and parameters.
    public internal(set) var context: RiskContext
    var slopes: MaintenanceSlopes
    var prices: PriceVector
    /// Status of each account that is its own unit (the status of a group member is its group's).
    public internal(set) var accountStatus: [UnitStatus]
    /// Status of each group.
    public internal(set) var groupStatus: [UnitStatus]
    var index: RiskIndex
    /// The evaluator's scratch; `nil` only while ``reevaluate(_:sequence:)`` holds it.
    var evaluator: UnitEvaluator?
    /// Signals of the event being applied.
    var pendingSignals: [Signal] = []
    /// Scratch for one unit's tolerances.
    var toleranceScratch: [PriceTolerance] = []
    /// How many unit evaluations the engine has run (a measure of the risk index's work).
    public internal(set) var evaluations = 0

    /// The id of the account that takes the outside world's side of fills.
    public static let externalAccountID = "@external"

    /// A new engine at genesis: no accounts, parameter version 1.
    public init(genesis: EngineGenesis) {
        catalog = genesis.catalog
        settings = genesis.settings
        genesisDocument = genesis.document
        market = genesis.snapshot
        parameters = genesis.parameters
        parameterVersion = 1
        parameterHistory = []
        pendingParameters = []
        settled = Array(repeating: false, count: genesis.catalog.instruments.count)
        accounts = []
        accountIndex = AccountDirectory()
        accountGroup = []
        groups = []
        groupIndex = [:]
        external = Account(id: Self.externalAccountID)
        ledger = Array(repeating: AssetLedger(), count: genesis.catalog.assets.count)
        lastSequence = 0
        lastTime = genesis.snapshot.time
        duplicates = DuplicateWindow(capacity: genesis.settings.duplicateWindow)
        context = RiskContext(catalog: genesis.catalog, snapshot: genesis.snapshot, parameters: genesis.parameters)
        slopes = MaintenanceSlopes(context: context)
        prices = PriceVector(context)
        accountStatus = []
        groupStatus = []
        index = RiskIndex(catalog: genesis.catalog)
        evaluator = UnitEvaluator(assetCount: genesis.catalog.assets.count)
    }

    // MARK: Applying events

    /// Applies one event: a duplicate id is acknowledged without effect, an out-of-order or invalid event is rejected
    /// and changes nothing, a valid one changes the state and returns the signals it caused.
    public mutating func apply(_ event: EngineEvent) -> EventOutcome {
        apply(event, sequence: event.sequence, key: nil)
    }

    /// ``apply(_:)`` with the duplicate-window key of the event's id when the caller has it already, and with the
    /// sequence number the event is applied under (its own, or one assigned on arrival, so the event is not copied to
    /// carry it).
    mutating func apply(_ event: EngineEvent, sequence: UInt64, key given: DuplicateWindow.Key?) -> EventOutcome {
        guard !event.id.isEmpty, event.id.utf8.count <= EngineEvent.maximumIDLength else {
            return .rejected(EventRejection(.invalidID, field: "id", value: String(event.id.prefix(40)),
                                            message: "event id must have 1 to \(EngineEvent.maximumIDLength) bytes"))
        }
        let key = given ?? duplicates.key(event.id)
        if duplicates.contains(key) { return .duplicate }
        guard sequence > lastSequence else {
            return .rejected(EventRejection(.outOfOrder, field: "sequence", value: "\(sequence)",
                                            message: "sequence \(sequence) is not above the last accepted sequence \(lastSequence)"))
        }
        guard sequence <= EngineEvent.maximumSequence else {
            return .rejected(EventRejection(.invalidField, field: "sequence", value: "\(sequence)",
                                            message: "sequence \(sequence) is above the largest a journal holds, \(EngineEvent.maximumSequence)"))
        }
        guard lastSequence == 0 ? sequence <= EngineEvent.maximumFirstSequence : sequence - lastSequence <= EngineEvent.maximumSequenceStep else {
            // Both limits are powers of two, written as such.
            let rule = lastSequence == 0 ? "is above 2^\(EngineEvent.maximumFirstSequence.trailingZeroBitCount), the largest first sequence"
                                         : "is more than 2^\(EngineEvent.maximumSequenceStep.trailingZeroBitCount) above the last accepted sequence \(lastSequence)"
            return .rejected(EventRejection(.invalidField, field: "sequence", value: "\(sequence)",
                                            message: "sequence \(sequence) \(rule): so far ahead it would leave little room for later events (a journal holds sequences up to \(EngineEvent.maximumSequence))"))
        }
        pendingSignals.removeAll(keepingCapacity: true)
        do throws(EventRejection) {
            try dispatch(event, sequence: sequence)
        } catch {
            return .rejected(error)
        }
        lastSequence = sequence
        lastTime = max(lastTime, event.time)
        duplicates.insert(key)
        activateDueParameters(sequence: sequence)
        return .applied(pendingSignals)
    }

    private mutating func dispatch(_ event: EngineEvent, sequence: UInt64) throws(EventRejection) {
        switch event.body {
        case .openAccount(let opening): try openAccount(opening, sequence: sequence)
        case .deposit(let movement): try deposit(movement, sequence: sequence)
        case .withdrawal(let movement): try withdraw(movement, sequence: sequence)
        case .transfer(let transfer): try self.transfer(transfer, sequence: sequence)
        case .fill(let fill): try self.fill(fill, time: event.time, sequence: sequence)
        case .prices(let update): try updatePrices(update, time: event.time, sequence: sequence)
        case .volatility(let update): try updateVolatility(update, time: event.time, sequence: sequence)
        case .funding(let payment): try fund(payment, sequence: sequence)
        case .settlement(let settlement): try settle(settlement, time: event.time, sequence: sequence)
        case .parameters(let change): try changeParameters(change, time: event.time, sequence: sequence)
        case .group(let membership): try changeGroup(membership, sequence: sequence)
        case .leverage(let change): try changeLeverage(change, time: event.time, sequence: sequence)
        case .marginMode(let change): try changeMarginMode(change, time: event.time)
        }
    }

    // MARK: Lookups

    /// The engine index of an account.
    public func accountIndex(of id: String) -> Int32? { accountIndex.find(id, in: accounts) }

    /// The engine index of a group.
    public func groupIndex(of id: String) -> Int32? { groupIndex[id] }

    // These two are inlined: called out of line from the mutating fill and evaluation paths, each call copied the
    // whole engine (about 2 KB).

    /// The unit an account is margined in: its group, or itself.
    @inline(__always)
    public func unit(ofAccount index: Int32) -> MarginUnit {
        let group = accountGroup[Int(index)]
        return group >= 0 ? .group(group) : .account(index)
    }

    /// The status of a unit.
    @inline(__always)
    public func status(of unit: MarginUnit) -> UnitStatus {
        if let account = unit.account { return accountStatus[Int(account)] }
        return groupStatus[Int(unit.group ?? 0)]
    }

    /// The account that holds a unit's cross pool: the account itself, or for a group one account holding every
    /// member's balances and cross positions (positions on the same side of the same instrument net).
    public func poolAccount(of unit: MarginUnit) -> Account {
        if let account = unit.account { return accounts[Int(account)] }
        let group = groups[Int(unit.group ?? 0)]
        return mergedAccount(group)
    }

    /// The account holding the pool account `a` is margined in, with `a` replaced by a hypothetical `after`: `after`
    /// itself, or merged with its group's other members (``sharedPool(ofAccount:)``).
    func poolAccount(ofAccount a: Int32, replacedBy after: Account) -> Account {
        sharedPool(ofAccount: a)?.pool(with: after) ?? after
    }

    /// A group's merged account.
    func mergedAccount(_ group: MarginGroup) -> Account {
        Self.mergedAccount(group, accounts: accounts)
    }

    /// One account holding every member's balances and cross positions (``Account/mergingCross(of:)``: positions on the
    /// same side of the same instrument net).
    static func mergedAccount(_ group: MarginGroup, accounts: [Account]) -> Account {
        group.members.reduce(Account(id: group.id, model: group.model)) { $0.mergingCross(of: accounts[Int($1)]) }
    }

    /// What account `a` is margined with besides its own holdings: its group's other members, merged; `nil` for an
    /// account on its own.
    public func sharedPool(ofAccount a: Int32) -> SharedPool? {
        let group = accountGroup[Int(a)]
        guard group >= 0 else { return nil }
        var others = Account(id: groups[Int(group)].id, model: groups[Int(group)].model)
        for member in groups[Int(group)].members where member != a {
            others = others.mergingCross(of: accounts[Int(member)])
        }
        return SharedPool(others: others)
    }

    /// The display subject of a unit.
    func subject(of unit: MarginUnit) -> MarginSubject {
        if let account = unit.account { return .account(accounts[Int(account)].id) }
        return .group(groups[Int(unit.group ?? 0)].id)
    }
}

/// A parameter change that took effect.
public struct ParameterRecord: Sendable, Hashable {
    /// Its version.
    public var version: Int
    /// When it was meant to take effect.
    public var effective: Timestamp
    /// The sequence number of the event after which it took effect.
    public var activatedAt: UInt64
    /// Its document.
    public var document: String
}

extension Engine {
    /// Puts decoded state in place and rebuilds what derives from it: the context, every unit's status from the state it
    /// held (no signals: they were emitted when the state was first reached) and the risk index.
    mutating func restore(market: MarketSnapshot, parameters: RiskParameters, parameterVersion: Int, history: [ParameterRecord],
                          pending: [ParameterChange], settled: [Bool], accounts: [Account], accountGroup: [Int32], groups: [MarginGroup],
                          external: Account, ledger: [AssetLedger], lastSequence: UInt64, lastTime: Timestamp, duplicates: DuplicateWindow,
                          held: HeldStates = HeldStates()) {
        self.market = market
        self.parameters = parameters
        self.parameterVersion = parameterVersion
        parameterHistory = history
        pendingParameters = pending
        self.settled = settled
        self.accounts = accounts
        accountIndex = AccountDirectory(accounts)
        self.accountGroup = accountGroup
        self.groups = groups
        groupIndex = Dictionary(groups.enumerated().map { ($1.id, Int32($0)) }, uniquingKeysWith: { first, _ in first })
        self.external = external
        self.ledger = ledger
        self.lastSequence = lastSequence
        self.lastTime = lastTime
        self.duplicates = duplicates
        rebuildContext()
        slopes = MaintenanceSlopes(context: context)
        prices = PriceVector(context)
        let initial = UnitStatus.initial(decimals: context.valuationDecimals)
        accountStatus = Array(repeating: initial, count: accounts.count)
        groupStatus = Array(repeating: initial, count: groups.count)
        // The states the pools held (hysteresis decides a state from the one held); their figures are re-evaluated.
        for unit in held.units {
            var status = initial
            status.cross.state = unit.cross
            status.isolated = unit.isolated.map { IsolatedStatus(account: $0.account, instrument: $0.instrument, side: $0.side,
                                                                 pool: PoolStatus(state: $0.state, figures: initial.cross.figures)) }
            setStatus(status, of: unit.unit)
        }
        index = RiskIndex(catalog: catalog)
        index.reserve(accounts: accounts.count, groups: groups.count)
        reevaluateAll(sequence: lastSequence)
        pendingSignals.removeAll()
    }
}
