/// What one member of a margin group is margined with: the other members' cross holdings, merged. A group margins its
/// members' cross holdings as one account (cross-account margin): balances add up, and cross positions on the same
/// side of the same instrument net (one-way positions with each other, a hedge-mode leg with the same leg); isolated
/// positions stay in their own pools. A trade still goes to the member's own account, under its own rules (its legs,
/// its sizes); only the margin check sees the pool.
public struct SharedPool: Sendable, Hashable {
    /// The other members' cross holdings, merged into one account (the group's id and model).
    public var others: Account

    /// The pool of a group whose other members' holdings are `others`.
    public init(others: Account) {
        self.others = others
    }

    /// The account `member` is margined in: its cross holdings merged into the others'.
    public func pool(with member: Account) -> Account {
        others.mergingCross(of: member)
    }

    /// `member`'s resting orders on the member's terms, as the pool margins them: the pool keeps neither the member's
    /// settings nor its isolated positions. An order naming no margin mode takes the member's for its instrument
    /// (``Account/isolatedMode(of:side:)``); an isolated one naming no leverage takes the
    /// member's (``Account/leverageToOpen(_:)``), since an isolated position keeps its own leverage in a group while
    /// the pool's cross positions take none.
    public func ordersOnMemberTerms(_ orders: [OpenOrder], of member: Account) -> [OpenOrder] {
        orders.map { order in
            var named = order
            let instrument = order.instrument
            let isolated = order.fill.isolated ?? member.isolatedMode(of: instrument, side: order.fill.side)
            named.fill.isolated = isolated
            if isolated && named.fill.leverage == nil { named.fill.leverage = member.leverageToOpen(instrument) }
            return named
        }
    }
}

extension Account {
    /// This account with `member`'s balances and cross positions added: sizes and costs of positions on the same side
    /// of the same instrument add up, and the merged position takes no chosen leverage (the schedule's maximum applies to
    /// the pooled size). Isolated positions are left out. A sum beyond its type (a size beyond Int64, a cost or balance
    /// beyond Int128, about 1.7·10^20 of the settlement asset at 10^-18) saturates at the type's bound instead of trapping:
    /// no real book reaches it, and where such a pool's exact sums leave Int128 the margin sums report it out of range
    /// (``MarginError/outOfRange(figure:)``).
    public func mergingCross(of member: Account) -> Account {
        var merged = self
        for balance in member.balances {
            merged.setBalance(balance.asset, units: saturatingSum(merged.balance(balance.asset), balance.units))
        }
        for position in member.positions where !position.mode.isIsolated {
            var combined = merged.position(position.instrument, side: position.side)
                ?? Position(instrument: position.instrument, size: 0, cost: 0, side: position.side)
            combined.size = saturatingSum(combined.size, position.size)
            combined.cost = saturatingSum(combined.cost, position.cost)
            combined.leverage = nil
            merged.setPosition(combined)
        }
        return merged
    }
}

/// a + b, or the bound of the type on b's side when the sum does not fit.
private func saturatingSum<T: FixedWidthInteger & SignedInteger>(_ a: T, _ b: T) -> T {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? (b > 0 ? .max : .min) : sum
}
