/// What the engine margins as one: an account on its own, or a margin group (whose members share one pool).
/// Packed in an `Int32`: accounts are 0, 1, 2, …; groups are −1, −2, … .
public struct MarginUnit: Sendable, Hashable, Comparable {
    /// The packed value.
    public let raw: Int32

    /// The unit of the account at engine index `index`.
    public static func account(_ index: Int32) -> MarginUnit { MarginUnit(raw: index) }
    /// The unit of the group at engine index `index`.
    public static func group(_ index: Int32) -> MarginUnit { MarginUnit(raw: -index - 1) }

    /// The account index, if the unit is an account.
    public var account: Int32? { raw >= 0 ? raw : nil }
    /// The group index, if the unit is a group.
    public var group: Int32? { raw < 0 ? -raw - 1 : nil }

    /// Orders accounts before groups, each by index.
    public static func < (lhs: MarginUnit, rhs: MarginUnit) -> Bool {
        switch (lhs.account, rhs.account) {
        case let (l?, r?): return l < r
        case (.some, nil): return true
        case (nil, .some): return false
        default: return (lhs.group ?? 0) < (rhs.group ?? 0)
        }
    }
}
