import BallastCore
import BallastEngine

/// The headline of one account's pool: its state and money figures, the positions in a line each
/// (`ballast.account-status/1`). What an account stream sends on every change and the dashboard lists.
struct AccountStatusDocument: Encodable {
    /// One position in a line.
    struct PositionLine: Encodable {
        var instrument: String
        /// The hedge-mode leg (`long` or `short`); absent for a one-way position.
        var positionSide: String?
        var mode: String
        var size: String
        var markPrice: Double
        var unrealisedPnl: String
        var maintenance: String
        /// The liquidation price, `null` when no price liquidates.
        var liquidationPrice: Double?
    }

    var type = "status"
    var format = "ballast.account-status/1"
    var account: String
    /// The group whose pool the account shares, if any.
    var group: String?
    var model: String
    var sequence: UInt64
    var time: String
    var state: String
    var equity: String
    var marginBalance: String
    var initialMargin: String
    var maintenanceMargin: String
    var available: String
    /// Maintenance / margin balance (`null` when the margin balance is not positive).
    var marginRatio: Double?
    var positions: [PositionLine]

    init(_ snapshot: PoolSnapshot, report: MarginReport) {
        // The figures as the report prints its total (one formatting of money for both documents).
        let total = ReportDocument.PoolDocument(report.total, state: report.cross.state)
        account = snapshot.account
        group = snapshot.group
        model = report.model.rawValue
        sequence = snapshot.sequence
        time = "\(snapshot.time)"
        state = report.positions.compactMap { $0.isolated?.state }.reduce(report.cross.state) { max($0, $1) }.rawValue
        equity = total.equity
        marginBalance = total.marginBalance
        initialMargin = total.initialMargin
        maintenanceMargin = total.maintenanceMargin
        available = total.available
        marginRatio = total.marginRatio
        positions = report.positions.map { line in
            PositionLine(instrument: line.instrument, positionSide: line.side.isLeg ? line.side.rawValue : nil, mode: line.mode, size: line.size.trimmedDescription, markPrice: line.markPrice,
                         unrealisedPnl: line.unrealisedPnL.description, maintenance: line.maintenance.description,
                         liquidationPrice: line.liquidationPrice.price)
        }
    }
}
