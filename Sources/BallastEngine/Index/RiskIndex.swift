import BallastCore
import BallastPrefetch

/// Finds the pools a price move can push across a state boundary without scanning every pool.
///
/// After each evaluation a pool registers, per price group it depends on, the move ε it tolerates
/// (``StateTolerance``) together with the prices it was evaluated at. Pools evaluated at the same prices share an
/// **epoch**: its price vector and, per group, its tolerances bucketed by magnitude (``ToleranceBuckets``). On a tick
/// the index compares, per epoch and changed group, the largest relative move since the epoch (a handful of prices)
/// with the tolerances and takes out exactly the pools whose tolerance the move exceeds: O(epochs + taken + one
/// bucket), not O(pools).
///
/// Tolerance −1 marks a pool that must be re-evaluated on any change of the group, including a volatility update
/// (portfolio-margined pools, pools that failed to evaluate). Entries of a pool evaluated again are invalidated by
/// a per-pool stamp and dropped lazily. When there are more than ``maximumEpochs`` epochs, the one with the fewest
/// pools merges into its successor, each tolerance shrunk to stay conservative: a pool within ε of the old prices
/// is guaranteed within ε' = (ε − δ)/(1 + δ) of the new ones, δ being the group's move between the two.
struct RiskIndex: Sendable {
    /// A pool's tolerance in one group.
    struct Entry: Sendable {
        var move: Double
        var unit: MarginUnit
        var stamp: UInt32
    }

    /// Pools evaluated at the same prices.
    struct Epoch: Sendable {
        var serial: Int
        var prices: PriceVector
        var tolerances: [ToleranceBuckets]
        /// Pools whose current registration is in this epoch.
        var live: Int = 0
        /// Entries in the buckets, valid or stale.
        var entries: Int = 0
    }

    /// The most epochs kept before two merge.
    static let maximumEpochs = 24

    private(set) var epochs: [Epoch] = []
    private var nextSerial = 0
    /// The price slots of each price group (``PriceVector/groupSlots(_:)``), fixed by the catalog.
    let groupSlots: [[Int]]
    private let groupCount: Int
    /// A unit's current registration: its epoch serial (−1: none) and the stamp its valid entries carry. Both in one
    /// record, so that a registration touches one place of a million-account array, not two.
    struct Registration: Sendable {
        var epoch: Int = -1
        var stamp: UInt32 = 0
    }

    /// Per account and per group: the registration.
    private var accountRegistrations: [Registration] = []
    private var groupRegistrations: [Registration] = []
    /// Serials of merged epochs and the serial they merged into.
    private var merged: [Int: Int] = [:]

    /// An index for the price groups of `catalog`.
    init(catalog: Catalog) {
        groupSlots = PriceVector.groupSlots(catalog)
        groupCount = catalog.assets.count
    }

    /// Makes room for `accounts` accounts and `groups` groups.
    mutating func reserve(accounts: Int, groups: Int) {
        if accountRegistrations.count < accounts {
            accountRegistrations.append(contentsOf: repeatElement(Registration(), count: accounts - accountRegistrations.count))
        }
        if groupRegistrations.count < groups {
            groupRegistrations.append(contentsOf: repeatElement(Registration(), count: groups - groupRegistrations.count))
        }
    }

    /// Requests the registration of account `account` ahead of its use (see ``ballast_prefetch``).
    @inline(__always)
    func prefetchRegistration(account: Int32) {
        accountRegistrations.withUnsafeBufferPointer { registrations in
            if let base = registrations.baseAddress, Int(account) < registrations.count { ballast_prefetch(base + Int(account)) }
        }
    }

    /// Records `unit`'s tolerances at `prices`, replacing its previous registration.
    mutating func register(_ unit: MarginUnit, tolerances: some Collection<PriceTolerance>, prices: PriceVector) {
        let (stamp, previous) = bump(unit)
        leave(previous)
        guard !tolerances.isEmpty else {
            setEpoch(unit, -1)
            dropEmptyEpochs()
            return
        }
        let current = currentEpoch(prices)
        for tolerance in tolerances {
            epochs[current].tolerances[tolerance.group.index].insert(Entry(move: tolerance.move, unit: unit, stamp: stamp))
        }
        epochs[current].entries += tolerances.count
        epochs[current].live += 1
        setEpoch(unit, epochs[current].serial)
        if epochs[current].entries > 4 * epochs[current].live + 4096 { compact(current) }
        dropEmptyEpochs()
    }

    /// Forgets `unit` (an account that joined a group, a group that lost its last member).
    mutating func remove(_ unit: MarginUnit) {
        let (_, previous) = bump(unit)
        leave(previous)
        setEpoch(unit, -1)
        dropEmptyEpochs()
    }

    /// The pools to re-evaluate now that prices are `prices`: those whose tolerance in a group of `changed` is below
    /// the group's move since their epoch, and, for the groups of `volatilityChanged`, those registered with −1. Each
    /// pool appears once; its registration is consumed (it must be registered again after its evaluation).
    mutating func due(changed: [Int], volatilityChanged: [Int], prices: PriceVector) -> [MarginUnit] {
        var found: [MarginUnit] = []
        for e in epochs.indices {
            for group in changed {
                let move = prices.deviation(from: epochs[e].prices, slots: groupSlots[group])
                guard move > 0 else { continue }
                pop(epoch: e, group: group, below: move, into: &found)
            }
            for group in volatilityChanged {
                pop(epoch: e, group: group, below: 0, into: &found)
            }
        }
        dropEmptyEpochs()
        return found
    }

    private mutating func pop(epoch e: Int, group: Int, below move: Double, into found: inout [MarginUnit]) {
        var taken: [Entry] = []
        epochs[e].tolerances[group].removeAll(below: move) { taken.append($0) }
        epochs[e].entries -= taken.count
        let serial = epochs[e].serial
        // The taken units are scattered over the registrations (16 MB for a million accounts): each is requested
        // eight entries before its check.
        for j in taken.indices {
            if j &+ 8 < taken.count, let account = taken[j &+ 8].unit.account { prefetchRegistration(account: account) }
            let entry = taken[j]
            guard isValid(entry, epoch: serial) else { continue }
            let (_, _) = bump(entry.unit)
            setEpoch(entry.unit, -1)
            epochs[e].live -= 1
            found.append(entry.unit)
        }
    }

    /// The newest epoch if it holds `prices`, else a new one (merging two old ones if there are too many).
    private mutating func currentEpoch(_ prices: PriceVector) -> Int {
        if let last = epochs.indices.last, epochs[last].prices == prices { return last }
        epochs.append(Epoch(serial: nextSerial, prices: prices, tolerances: Array(repeating: ToleranceBuckets(), count: groupCount)))
        nextSerial += 1
        if epochs.count > Self.maximumEpochs { mergeSmallest() }
        return epochs.count - 1
    }

    /// Merges the epoch with the fewest pools (not the newest) into its successor.
    private mutating func mergeSmallest() {
        guard epochs.count > 2 else { return }
        var smallest = 0
        for e in 0..<(epochs.count - 1) where epochs[e].live < epochs[smallest].live { smallest = e }
        let (source, target) = (smallest, smallest + 1)
        let (sourceSerial, targetSerial) = (epochs[source].serial, epochs[target].serial)
        for group in 0..<groupCount {
            let delta = epochs[target].prices.deviation(from: epochs[source].prices, slots: groupSlots[group])
            var into = epochs[target].tolerances[group]
            let before = into.count
            epochs[target].tolerances[group] = ToleranceBuckets()
            epochs[source].tolerances[group].forEach { entry in
                guard isValid(entry, epoch: sourceSerial) else { return }
                var moved = entry
                if entry.move >= 0 { moved.move = delta.isFinite ? max(0, (entry.move - delta) / (1 + delta)) : 0 }
                into.insert(moved)
            }
            epochs[target].entries += into.count - before
            epochs[target].tolerances[group] = into
        }
        for (serial, into) in merged where into == sourceSerial { merged[serial] = targetSerial }
        merged[sourceSerial] = targetSerial
        epochs[target].live += epochs[source].live
        epochs.remove(at: source)
        if merged.count > 4096 { forgetMerges() }
    }

    /// Points every registration straight at its live epoch and forgets the merge chains: O(pools), every few
    /// thousand merges.
    private mutating func forgetMerges() {
        for i in accountRegistrations.indices where accountRegistrations[i].epoch >= 0 {
            accountRegistrations[i].epoch = resolve(accountRegistrations[i].epoch)
        }
        for i in groupRegistrations.indices where groupRegistrations[i].epoch >= 0 {
            groupRegistrations[i].epoch = resolve(groupRegistrations[i].epoch)
        }
        merged.removeAll()
    }

    /// Drops stale entries of an epoch.
    private mutating func compact(_ e: Int) {
        let serial = epochs[e].serial
        var entries = 0
        for group in 0..<groupCount where !epochs[e].tolerances[group].isEmpty {
            var kept = epochs[e].tolerances[group]
            epochs[e].tolerances[group] = ToleranceBuckets()
            kept.removeAll { !isValid($0, epoch: serial) }
            entries += kept.count
            epochs[e].tolerances[group] = kept
        }
        epochs[e].entries = entries
    }

    /// Removes epochs no pool is registered in (keeping the newest, which new registrations reuse).
    private mutating func dropEmptyEpochs() {
        guard epochs.count > 1 else { return }
        var e = 0
        while e < epochs.count - 1 {
            if epochs[e].live <= 0 { epochs.remove(at: e) } else { e += 1 }
        }
    }

    private func isValid(_ entry: Entry, epoch serial: Int) -> Bool {
        let registration = self[registration: entry.unit]
        return registration.stamp == entry.stamp && resolve(registration.epoch) == serial
    }

    /// The registration of `unit`, an account's or a group's.
    private subscript(registration unit: MarginUnit) -> Registration {
        get { unit.account.map { accountRegistrations[Int($0)] } ?? groupRegistrations[Int(unit.group ?? 0)] }
        set {
            if let account = unit.account { accountRegistrations[Int(account)] = newValue } else { groupRegistrations[Int(unit.group ?? 0)] = newValue }
        }
    }

    /// One pool fewer in the epoch of a previous registration (serial −1: none).
    private mutating func leave(_ previous: Int) {
        guard previous >= 0 else { return }
        let serial = resolve(previous)
        if let old = epochs.firstIndex(where: { $0.serial == serial }) { epochs[old].live -= 1 }
    }

    /// The live epoch a registration's serial now belongs to (following merges).
    private func resolve(_ serial: Int) -> Int {
        guard !merged.isEmpty else { return serial }
        var serial = serial
        while let next = merged[serial] { serial = next }
        return serial
    }

    /// Increments a unit's stamp; returns the new stamp and the unit's epoch serial before.
    private mutating func bump(_ unit: MarginUnit) -> (UInt32, Int) {
        var registration = self[registration: unit]
        registration.stamp &+= 1
        self[registration: unit] = registration
        return (registration.stamp, registration.epoch)
    }

    private mutating func setEpoch(_ unit: MarginUnit, _ serial: Int) {
        self[registration: unit].epoch = serial
    }
}
