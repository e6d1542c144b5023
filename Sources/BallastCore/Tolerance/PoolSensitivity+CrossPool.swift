extension AccountMargin {
    // The engine observes every evaluation with a `PoolSensitivity`, from another module, where a call of the generic
    // kernel is not specialised: it ran the kernel's unspecialised form, with a witness call per position and the
    // figures passed through memory. These two overloads (preferred to the generic ones for a `PoolSensitivity`) are
    // specialised here, in the kernel's module.

    /// The generic `crossPool(_:at:context:workspace:observer:)` observed by a ``PoolSensitivity``.
    /// - Precondition: `index` is an index of `accounts`.
    /// - Throws: ``MarginError`` for a missing price or parameter of something the account holds.
    public static func crossPool(
        _ accounts: borrowing [Account], at index: Int, context: borrowing RiskContext, workspace: inout MarginWorkspace, observer: inout PoolSensitivity
    ) throws(MarginError) -> PoolFigures {
        try withAccount(accounts, at: index) { (account: UnsafePointer<Account>) throws(MarginError) in
            try standardPool(at: account, context: context, workspace: &workspace, observer: &observer).pool
        }
    }

    /// The generic `crossPool(_:context:workspace:observer:)` observed by a ``PoolSensitivity``.
    /// - Throws: ``MarginError`` for a missing price or parameter of something the account holds.
    public static func crossPool(
        _ account: borrowing Account, context: borrowing RiskContext, workspace: inout MarginWorkspace, observer: inout PoolSensitivity
    ) throws(MarginError) -> PoolFigures {
        try standardPool(account, context: context, workspace: &workspace, observer: &observer).pool
    }
}
