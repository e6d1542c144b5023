/// Runs `operation`, giving up after `timeout`.
///
/// The operation runs in a child task that is cancelled when the deadline passes, so it must react to cancellation
/// (postgres-nio's connect and pool leases do).
/// - Returns: The operation's result, or `nil` if the deadline passed first.
/// - Throws: Whatever the operation throws before the deadline.
func withDeadline<Value: Sendable>(
    _ timeout: Duration,
    _ operation: @escaping @Sendable () async throws -> Value
) async throws -> Value? {
    try await withThrowingTaskGroup(of: Value?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { return nil }
        return first
    }
}
