extension StoreError {
    /// `error` as a ``StoreError``: itself if it already is one, otherwise ``StoreError/database(_:)`` saying what
    /// was being done and what failed.
    static func wrapping(_ error: any Error, while action: String, describe: (any Error) -> String) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if error is CancellationError { return .database("\(action): cancelled") }
        return .database("\(action): \(describe(error))")
    }
}
