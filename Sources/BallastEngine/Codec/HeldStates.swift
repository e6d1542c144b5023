import BallastCore

/// The health states the engine holds for its pools, as a snapshot keeps them. Under hysteresis
/// (``HealthBands/exitBuffer``) a pool's state depends on the one it held, so the held states are state, not derived:
/// a restore seeds them before re-evaluating, and restarts and replays from a snapshot reach the states the live engine
/// has. Only pools held in a state other than healthy are written (healthy is what a restore assumes).
struct HeldStates: Sendable, Hashable {
    /// An isolated pool's held state.
    struct Pool: Sendable, Hashable {
        var account: Int32
        var instrument: InstrumentID
        var side: PositionSide
        var state: HealthState
    }

    /// One unit's held states: its cross pool and its isolated pools that are not healthy.
    struct Unit: Sendable, Hashable {
        var unit: MarginUnit
        var cross: HealthState
        var isolated: [Pool]
    }

    var units: [Unit] = []

    /// The held states of `engine`'s active units (accounts on their own, and groups).
    init(_ engine: Engine) {
        func unit(_ unit: MarginUnit) {
            let status = engine.status(of: unit)
            let isolated = status.isolated.filter { $0.pool.state != .healthy }
            guard status.cross.state != .healthy || !isolated.isEmpty else { return }
            units.append(Unit(unit: unit, cross: status.cross.state,
                              isolated: isolated.map { Pool(account: $0.account, instrument: $0.instrument, side: $0.side, state: $0.pool.state) }))
        }
        for a in engine.accounts.indices where engine.accountGroup[a] < 0 { unit(.account(Int32(a))) }
        for g in engine.groups.indices { unit(.group(Int32(g))) }
    }

    init() {}

    func encode(into w: inout BinaryWriter) {
        w.count(units.count)
        for held in units {
            if let a = held.unit.account {
                w.byte(0)
                w.count(Int(a))
            } else {
                w.byte(1)
                w.count(Int(held.unit.group ?? 0))
            }
            w.byte(UInt8(held.cross.severity))
            w.count(held.isolated.count)
            for pool in held.isolated {
                w.count(Int(pool.account))
                w.count(pool.instrument.index)
                w.byte(PositionFlags.byte(isolated: true, side: pool.side))
                w.byte(UInt8(pool.state.severity))
            }
        }
    }

    /// Reads the held states of a snapshot whose accounts are in `accountGroup` (−1: on their own) and `groups`.
    /// - Throws: ``CodecError`` for bad bytes, and for states no engine writes: an account of a group written as a unit
    ///   of its own, a unit written twice, or an isolated pool of an account outside its unit.
    static func decode(_ r: inout BinaryReader, accountGroup: [Int32], groups: [MarginGroup], instruments: Int) throws(CodecError) -> HeldStates {
        let accounts = accountGroup.count
        var held = HeldStates()
        var seen = Set<MarginUnit>()
        for _ in 0..<(try r.count(limit: accounts + groups.count)) {
            let unit: MarginUnit
            switch try r.byte() {
            case 0:
                let a = try r.index(below: accounts)
                guard accountGroup[a] < 0 else { throw CodecError("held state of account \(a), which is in a group", offset: r.offset) }
                unit = .account(Int32(a))
            case 1: unit = .group(Int32(try r.index(below: groups.count)))
            case let tag: throw CodecError("unknown unit kind \(tag)", offset: r.offset - 1)
            }
            guard seen.insert(unit).inserted else { throw CodecError("held states of one unit written twice", offset: r.offset) }
            let cross = try state(&r)
            var isolated: [Pool] = []
            for _ in 0..<(try r.count(limit: 2 * instruments * max(1, accounts))) {
                let account = Int32(try r.index(below: accounts))
                guard unit.account.map({ $0 == account }) ?? groups[Int(unit.group ?? 0)].members.contains(account) else {
                    throw CodecError("held isolated state of account \(account) outside its pool's unit", offset: r.offset)
                }
                let instrument = InstrumentID(try r.index(below: instruments))
                let (_, side) = try PositionFlags.read(&r)
                isolated.append(Pool(account: account, instrument: instrument, side: side, state: try state(&r)))
            }
            held.units.append(Unit(unit: unit, cross: cross, isolated: isolated))
        }
        return held
    }

    private static func state(_ r: inout BinaryReader) throws(CodecError) -> HealthState {
        let severity = try r.byte()
        guard let state = HealthState.allCases.first(where: { $0.severity == Int(severity) }) else {
            throw CodecError("bad health state \(severity)", offset: r.offset - 1)
        }
        return state
    }
}
