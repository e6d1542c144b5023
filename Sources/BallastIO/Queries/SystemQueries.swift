import BallastCore
import BallastEngine
import Foundation

/// Read-only questions about the whole engine, answered as JSON documents: the riskiest pools, system totals (ledger
/// and insurance fund of every asset, pools by state), and the risk parameters in force and pending.
public enum SystemQueries {
    /// The pools closest to (or past) liquidation (`ballast.at-risk/1`): margin units ordered by worst state, then
    /// by margin ratio (maintenance / margin balance, highest first), at most `limit`, with figures evaluated afresh.
    ///
    /// The engine re-evaluates a pool when a move can change its state, so a stored state is current but the ratio
    /// it last stored can lag within the state: ordering on it listed a pool behind safer ones, or left it out. So
    /// pools are taken state by state from the worst: every pool of a state the list reaches is evaluated afresh and
    /// ordered on its fresh ratio; for the healthy state, the most numerous, only the 4·`limit` + 16 with the highest
    /// stored ratio are, so a healthy pool is left out only if a move since its last evaluation lifted it past that
    /// many others.
    public static func atRisk(_ engine: Engine, limit: Int) -> Data {
        let count = max(0, limit)
        var units = 0
        var byState: [HealthState: [MarginUnit]] = [:]
        // The riskiest healthy pools by stored ratio, kept in order in one pass: most cost one comparison.
        typealias Candidate = (ratio: Double, unit: MarginUnit)
        func riskier(_ a: Candidate, _ b: Candidate) -> Bool { (a.ratio, b.unit) > (b.ratio, a.unit) }
        let candidates = count == 0 ? 0 : 4 * count + 16
        var riskiestHealthy: [Candidate] = []
        riskiestHealthy.reserveCapacity(candidates + 1)
        func consider(_ unit: MarginUnit, _ status: UnitStatus) {
            units += 1
            guard status.worstState == .healthy else {
                byState[status.worstState, default: []].append(unit)
                return
            }
            let candidate = (status.cross.figures.riskOrder, unit)
            if riskiestHealthy.count == candidates, let last = riskiestHealthy.last, !riskier(candidate, last) { return }
            let position = riskiestHealthy.firstIndex { riskier(candidate, $0) } ?? riskiestHealthy.endIndex
            riskiestHealthy.insert(candidate, at: position)
            if riskiestHealthy.count > candidates { riskiestHealthy.removeLast() }
        }
        for index in engine.accounts.indices where engine.accountGroup[index] < 0 {
            consider(.account(Int32(index)), engine.accountStatus[index])
        }
        for (index, group) in engine.groups.enumerated() where !group.members.isEmpty {
            consider(.group(Int32(index)), engine.groupStatus[index])
        }
        var entries: [AtRiskDocument.Entry] = []
        for state in HealthState.allCases.reversed() where entries.count < count {
            let taken = state == .healthy ? riskiestHealthy.map(\.unit) : byState[state] ?? []
            guard !taken.isEmpty else { continue }
            let fresh = zip(taken, engine.freshStatuses(of: taken)).map { (unit: $0, status: $1) }
            let ordered = fresh.sorted { a, b in
                ((a.status.worstState, a.status.cross.figures.riskOrder, b.unit) > (b.status.worstState, b.status.cross.figures.riskOrder, a.unit))
            }
            entries += ordered.prefix(count - entries.count).map { AtRiskDocument.Entry(engine, unit: $0.unit, status: $0.status) }
        }
        return APIJSON.encode(AtRiskDocument(sequence: engine.lastSequence, time: "\(engine.lastTime)", units: units, entries: entries))
    }

    /// Totals of the engine (`ballast.system/1`): the ``EngineStateSummary`` (ledger and insurance fund per asset,
    /// pools by state, state hash).
    public static func system(_ engine: Engine) -> EngineStateSummary {
        EngineStateSummary(engine)
    }

    /// The risk parameters (`ballast.parameters-state/1`): the version in force with its effective time and document,
    /// the versions applied before it, and accepted versions not yet effective.
    public static func parameters(_ engine: Engine) -> Data {
        let current = engine.parameterHistory.last
        let document: JSONValue
        if let current {
            document = (try? JSONDecoder().decode(JSONValue.self, from: Data(current.document.utf8))) ?? .null
        } else {
            document = genesisParameters(engine.genesisDocument)
        }
        let state = ParametersDocument(
            version: engine.parameterVersion, name: engine.parameters.info.name,
            effective: "\(current?.effective ?? engine.parameters.info.effective)",
            document: document,
            history: engine.parameterHistory.map { .init(version: $0.version, effective: "\($0.effective)", activatedAt: $0.activatedAt) },
            pending: engine.pendingParameters.map { .init(version: $0.version, effective: "\($0.effective)", activatedAt: nil) })
        return APIJSON.encode(state)
    }

    /// The `parameters` member of a genesis document, as a parameter document (`ballast.parameters/1`), the shape a
    /// parameter change carries.
    private static func genesisParameters(_ genesis: String) -> JSONValue {
        guard case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(genesis.utf8)) else { return .null }
        return .object(["format": .string("ballast.parameters/1"), "parameters": members["parameters"] ?? .null])
    }
}

extension MoneyFigures {
    /// The margin ratio as an ordering key: higher is riskier; a pool without a positive margin balance but with a
    /// requirement is the riskiest, one without either the safest.
    var riskOrder: Double {
        if let ratio = marginRatio { return ratio }
        return maintenance > 0 ? .infinity : -1
    }
}

/// The riskiest pools.
struct AtRiskDocument: Encodable {
    struct Entry: Encodable {
        /// `account` or `group`.
        var subject: String
        var id: String
        /// Member accounts (a group's; the account itself otherwise).
        var accounts: [String]
        /// The account whose page shows the pool (the account, or a group's first member).
        var account: String
        var model: String
        var state: String
        var marginRatio: Double?
        var equity: String
        var marginBalance: String
        var maintenanceMargin: String
        var initialMargin: String
        /// Why the pool could not be evaluated, if it could not.
        var problem: String?

        /// The entry of `unit` with its `status` (evaluated afresh by the caller).
        init(_ engine: Engine, unit: MarginUnit, status: UnitStatus) {
            let figures = status.cross.figures
            if let account = unit.account {
                subject = "account"
                id = engine.accounts[Int(account)].id
                accounts = [id]
                model = engine.accounts[Int(account)].model.rawValue
            } else {
                let group = engine.groups[Int(unit.group ?? 0)]
                subject = "group"
                id = group.id
                accounts = group.members.map { engine.accounts[Int($0)].id }
                model = group.model.rawValue
            }
            account = accounts.first ?? id
            state = status.worstState.rawValue
            marginRatio = figures.marginRatio
            equity = figures.fixed(figures.equity).description
            marginBalance = figures.fixed(figures.marginBalance).description
            maintenanceMargin = figures.fixed(figures.maintenance).description
            initialMargin = figures.fixed(figures.initial).description
            problem = status.problem.map(\.description)
        }
    }

    var format = "ballast.at-risk/1"
    var sequence: UInt64
    var time: String
    /// Margin units in the engine.
    var units: Int
    var entries: [Entry]
}

/// The parameters in force and pending.
struct ParametersDocument: Encodable {
    struct Version: Encodable {
        var version: Int
        var effective: String
        /// The sequence number of the event after which it took effect (`null`: pending).
        var activatedAt: UInt64?
    }

    var format = "ballast.parameters-state/1"
    var version: Int
    var name: String
    var effective: String
    var document: JSONValue
    var history: [Version]
    var pending: [Version]
}
