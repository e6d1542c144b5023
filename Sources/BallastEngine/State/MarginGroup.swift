import BallastCore

/// Accounts that share one collateral pool: the group is margined as one account holding every member's balances and
/// cross positions (positions on the same side of the same instrument net, ``Account/mergingCross(of:)``), while each
/// isolated position keeps its own pool.
public struct MarginGroup: Sendable, Hashable {
    /// The group's identifier.
    public var id: String
    /// The margin model of the shared pool.
    public var model: MarginModel
    /// Member accounts by engine index, ascending.
    public var members: [Int32]

    /// Creates a group.
    public init(id: String, model: MarginModel, members: [Int32] = []) {
        self.id = id
        self.model = model
        self.members = members
    }
}
