import BallastStore
import Testing

/// The conformance checks against the SQLite store, each on a fresh file.
@Suite("EventStore conformance: SQLite")
struct SQLiteConformanceTests {
    @Test(arguments: ConformanceCheck.allCases)
    func conformance(_ check: ConformanceCheck) async throws {
        try await check.run(on: SQLiteHarness())
    }
}

/// The conformance checks against the PostgreSQL store, each in a fresh schema of the database named by
/// `BALLAST_POSTGRES_URL` (skipped when it is not set).
@Suite(
    "EventStore conformance: PostgreSQL",
    .enabled(if: PostgresHarness.url != nil, "BALLAST_POSTGRES_URL is not set"))
struct PostgresConformanceTests {
    @Test(arguments: ConformanceCheck.allCases)
    func conformance(_ check: ConformanceCheck) async throws {
        try await check.run(on: PostgresHarness())
    }
}
