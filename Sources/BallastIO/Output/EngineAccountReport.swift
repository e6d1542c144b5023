import BallastCore
import BallastEngine

/// The margin report of one account in an engine's state, as `ballast margin` prints it for a file: the account's
/// own pool, or for a member of a margin group the group's merged pool (every member's balances and cross positions)
/// with the member's own isolated positions beside it.
public enum EngineAccountReport {
    /// The report of `id` at the engine's current market and parameters, as text or JSON.
    /// - Throws: ``InputError`` naming `--account` for an unknown account or one that cannot be margined.
    public static func render(_ engine: Engine, account id: String, json asJSON: Bool) throws(InputError) -> String {
        guard let index = engine.accountIndex(of: id) else {
            throw InputError(path: "--account", message: "no account \"\(id)\" in the store")
        }
        let unit = engine.unit(ofAccount: index)
        // The pool's report with its states decided from the ones the engine holds, as the API reports them.
        let report: MarginReport
        do throws(QueryError) {
            report = try PoolSnapshot(engine, account: id).marginReport()
        } catch {
            throw InputError(path: "--account", message: error.message)
        }
        if asJSON { return try json(ReportDocument(report, catalog: engine.catalog)) }
        let heading = unit.group.map { "account \(id) is margined in group \(engine.groups[Int($0)].id): the group's pool and \(id)'s isolated positions\n\n" } ?? ""
        return heading + ReportText.render(report, catalog: engine.catalog)
    }
}
