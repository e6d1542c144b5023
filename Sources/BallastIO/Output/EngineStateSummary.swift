import BallastCore
import BallastEngine
import Foundation

/// What `ballast replay` prints about an engine's state: position in the stream, accounts by health state, the
/// ledger of every asset, and the state hash.
public struct EngineStateSummary: Sendable, Encodable {
    /// One asset's ledger (amounts as exact decimals).
    public struct AssetLine: Sendable, Encodable {
        /// The asset symbol.
        public var asset: String
        /// Σ account balances.
        public var balances: String
        /// Σ deposits.
        public var deposits: String
        /// Σ withdrawals.
        public var withdrawals: String
        /// Σ trading fees collected.
        public var fees: String
        /// The insurance fund.
        public var insuranceFund: String
    }

    /// The last applied sequence number.
    public var lastSequence: UInt64
    /// The time of the last applied event.
    public var lastTime: String
    /// The version of the risk parameters in force.
    public var parameterVersion: Int
    /// Accounts opened.
    public var accounts: Int
    /// Margin groups created.
    public var groups: Int
    /// Margin units (accounts outside groups, and groups) by their worst pool's state.
    public var units: [String: Int]
    /// The ledger of every asset.
    public var assets: [AssetLine]
    /// The state hash (equal for equal states).
    public var stateHash: String

    /// Summarises `engine`.
    public init(_ engine: Engine) {
        lastSequence = engine.lastSequence
        lastTime = "\(engine.lastTime)"
        parameterVersion = engine.parameterVersion
        accounts = engine.accounts.count
        groups = engine.groups.count
        var counts: [String: Int] = [:]
        for state in HealthState.allCases { counts[state.rawValue] = 0 }
        for index in engine.accounts.indices where engine.accountGroup[index] < 0 {
            counts[engine.accountStatus[index].worstState.rawValue, default: 0] += 1
        }
        for (index, group) in engine.groups.enumerated() where !group.members.isEmpty {
            counts[engine.groupStatus[index].worstState.rawValue, default: 0] += 1
        }
        units = counts
        var held = [Int128](repeating: 0, count: engine.catalog.assets.count)
        for account in engine.accounts {
            for balance in account.balances { held[balance.asset.index] += balance.units }
        }
        assets = engine.catalog.assets.enumerated().map { index, asset in
            func text(_ units: Int128) -> String { FixedPoint(units: units, scale: asset.decimals).description }
            let ledger = engine.ledger[index]
            return AssetLine(asset: asset.symbol, balances: text(held[index]), deposits: text(ledger.deposits), withdrawals: text(ledger.withdrawals),
                             fees: text(ledger.fees), insuranceFund: text(ledger.insuranceFund))
        }
        stateHash = engine.stateHash.description
    }

    /// The summary as text.
    public var text: String {
        var lines = [
            "last sequence \(lastSequence) at \(lastTime); risk parameters version \(parameterVersion)",
            "\(accounts) accounts, \(groups) groups",
            "margin units by state: " + HealthState.allCases.map { "\($0.rawValue) \(units[$0.rawValue] ?? 0)" }.joined(separator: ", "),
            "",
        ]
        var table = TextTable([("asset", .left), ("balances", .right), ("deposits", .right), ("withdrawals", .right), ("fees", .right),
                               ("insurance fund", .right)])
        for line in assets { table.add([line.asset, line.balances, line.deposits, line.withdrawals, line.fees, line.insuranceFund]) }
        lines.append(table.render())
        lines.append("")
        lines.append("state hash \(stateHash)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary as one JSON document.
    public var json: String { EngineLines.encode(self) }
}
