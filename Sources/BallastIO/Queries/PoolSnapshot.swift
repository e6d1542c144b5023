import BallastCore
import BallastEngine

/// What the report of one account's pool needs, taken from the engine's state in one short read: the pool's account
/// (the account, or its group's merged account) and the risk context, both copy-on-write, so the report itself can be
/// computed away from the engine's single writer, by as many readers as there are cores.
public struct PoolSnapshot: Sendable {
    /// The account asked about.
    public var account: String
    /// Its margin group, if any.
    public var group: String?
    /// The pool: the account, or its group's merged account.
    public var pool: Account
    /// The account itself (for a group member, its own holdings, to which a hypothetical trade goes).
    public var member: Account
    /// The other members of its group, merged (`nil` for an account on its own).
    public var sharing: SharedPool?
    /// The market and parameters.
    public var context: RiskContext
    /// The engine's last sequence number when the snapshot was taken (a report of it is valid until the next event).
    public var sequence: UInt64
    /// The engine's time then.
    public var time: Timestamp

    /// The snapshot of `account`'s pool.
    /// - Throws: ``QueryError`` not found.
    public init(_ engine: Engine, account: String) throws(QueryError) {
        guard let index = engine.accountIndex(of: account) else {
            throw QueryError(.notFound, field: "account", message: "no account \"\(account)\"")
        }
        let groupIndex = engine.accountGroup[Int(index)]
        self.account = account
        group = groupIndex >= 0 ? engine.groups[Int(groupIndex)].id : nil
        pool = engine.poolAccount(of: engine.unit(ofAccount: index))
        member = engine.accounts[Int(index)]
        sharing = engine.sharedPool(ofAccount: index)
        context = engine.context
        sequence = engine.lastSequence
        time = engine.lastTime
    }

    /// The pool's margin report.
    /// - Throws: ``QueryError`` when the pool cannot be margined (a missing price, an instrument awaiting settlement).
    func marginReport() throws(QueryError) -> MarginReport {
        do {
            return try MarginReport(account: pool, context: context)
        } catch {
            throw QueryError(.unprocessable, field: "account", message: "\(account) cannot be margined: \(error.description)")
        }
    }
}
