import PostgresNIO

/// Readable text for postgres-nio's errors.
///
/// `PSQLError.description` is a fixed sentence on purpose (it must not leak data into logs); this picks the parts
/// that say what went wrong — the server's message, detail and SQLSTATE, or the client-side code and underlying
/// network error — and never the query's bound values.
enum PostgresErrorText {
    /// A sentence describing `error`.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as PSQLError:
            return describe(error)
        case let error as PostgresTransactionError:
            let cause = error.closureError ?? error.beginError ?? error.commitError
            var text = cause.map { describe($0) } ?? "transaction failed"
            if let rollback = error.rollbackError { text += " (and the rollback failed: \(describe(rollback)))" }
            return text
        default:
            return String(describing: error)
        }
    }

    /// A sentence describing a postgres-nio error.
    private static func describe(_ error: PSQLError) -> String {
        if let info = error.serverInfo {
            var text = info[.message] ?? "server error"
            if let detail = info[.detail] { text += " — \(detail)" }
            if let state = info[.sqlState] { text += " (SQLSTATE \(state))" }
            return text
        }
        var text = "\(error.code)"
        if let underlying = error.underlying { text += ": \(underlying)" }
        return text
    }
}
