/// A balance of one asset: an exact integer of `10^-decimals` of the asset. Negative means borrowed.
public struct Balance: Sendable, Hashable {
    /// The asset.
    public var asset: AssetID
    /// Integer units at the asset's ledger scale.
    public var units: Int128

    /// Creates a balance.
    public init(asset: AssetID, units: Int128) {
        self.asset = asset
        self.units = units
    }
}

/// An account: balances of assets (the collateral pool) and positions in instruments.
///
/// Balances are kept sorted by asset and positions by instrument and side, at most one of each, so that every sum
/// over them runs in the same order on every run (floating-point sums depend on order).
public struct Account: Sendable, Hashable {
    /// The account identifier.
    public var id: String
    /// The margin model of the cross pool.
    public var model: MarginModel
    /// Balances sorted by asset, one per asset.
    public private(set) var balances: [Balance]
    /// Positions sorted by instrument and side: one per instrument in one-way mode, up to two legs in hedge mode.
    public private(set) var positions: [Position]
    /// The leverage and margin mode chosen for instruments the account holds no position in, sorted by instrument: set
    /// by ``setLeverage(_:of:)`` and ``setMarginMode(isolated:of:)`` or left by the position last closed there. A
    /// position that opens without a leverage or mode of its own opens at them, as venues keep both per symbol, not per
    /// position (Binance's position risk lists every symbol's leverage and margin type at size 0).
    public private(set) var instrumentSettings: [InstrumentSetting]

    /// An account with no balances or positions.
    public init(id: String, model: MarginModel = .standard) {
        self.id = id
        self.model = model
        balances = []
        positions = []
        instrumentSettings = []
    }

    /// The balance of an asset in ledger units (0 if none).
    public func balance(_ asset: AssetID) -> Int128 {
        guard let slot = balanceSlot(asset) else { return 0 }
        return balances[slot].units
    }

    /// Sets the balance of an asset (a zero balance is kept, so that a report still lists the asset).
    public mutating func setBalance(_ asset: AssetID, units: Int128) {
        if let slot = balanceSlot(asset) {
            balances[slot].units = units
        } else {
            let at = balances.firstIndex { $0.asset > asset } ?? balances.endIndex
            balances.insert(Balance(asset: asset, units: units), at: at)
        }
    }

    /// Adds `units` to the balance of an asset.
    public mutating func credit(_ asset: AssetID, units: Int128) {
        setBalance(asset, units: balance(asset) + units)
    }

    /// The position on one side of an instrument (the one-way position by default), if any.
    public func position(_ instrument: InstrumentID, side: PositionSide = .net) -> Position? {
        positionSlot(instrument, side: side).map { positions[$0] }
    }

    /// Whether the account holds a position in the instrument, one way or in either leg.
    public func holds(_ instrument: InstrumentID) -> Bool {
        positions.contains { $0.instrument == instrument }
    }

    /// The positions held in the instrument: its one-way position, or its legs (long before short).
    public func positions(of instrument: InstrumentID) -> [Position] {
        positions.filter { $0.instrument == instrument }
    }

    /// Whether the account holds the instrument in hedge-mode legs.
    public func holdsLegs(of instrument: InstrumentID) -> Bool {
        positions.contains { $0.instrument == instrument && $0.side.isLeg }
    }

    /// Whether a position on `side` of `instrument` keeps the instrument in one mode: a leg where it is not held one
    /// way, a one-way position where it holds no legs.
    public func admits(_ side: PositionSide, of instrument: InstrumentID) -> Bool {
        side.isLeg ? position(instrument) == nil : !holdsLegs(of: instrument)
    }

    /// The instruments held, in catalog order, once each (hedge-mode legs share theirs).
    public var heldInstruments: [InstrumentID] {
        positions.reduce(into: []) { if $0.last != $1.instrument { $0.append($1.instrument) } }
    }

    /// Replaces (or adds) the position on its side of its instrument; a zero size with zero cost removes it.
    ///
    /// A zero position's leverage and margin mode go to ``instrumentSettings`` when nothing else is held in the
    /// instrument (while a leg is held, it carries them), and a position that opens in the instrument clears its setting
    /// (``TradeExecution`` opens it at ``leverageToOpen(_:)`` and ``isolatedToOpen(_:)``).
    public mutating func setPosition(_ position: Position) {
        let slot = positionSlot(position.instrument, side: position.side)
        if position.size == 0 && position.cost == 0 {
            if let slot { positions.remove(at: slot) }
            if !holds(position.instrument) {
                replaceSetting(InstrumentSetting(instrument: position.instrument, leverage: position.leverage, isolated: position.mode.isIsolated))
            }
        } else if let slot {
            positions[slot] = position
        } else {
            let at = positions.firstIndex { ($0.instrument, $0.side) > (position.instrument, position.side) } ?? positions.endIndex
            positions.insert(position, at: at)
            replaceSetting(InstrumentSetting(instrument: position.instrument))
        }
    }

    /// The leverage a position opening in `instrument` without one of its own takes: the leverage of the instrument's
    /// other hedge-mode leg if one is held (venues keep one leverage per symbol, or per side in cross mode equal on
    /// both), else the instrument's setting, else `nil` (the margin schedule's cap).
    public func leverageToOpen(_ instrument: InstrumentID) -> Double? {
        if let held = positions.first(where: { $0.instrument == instrument }) { return held.leverage }
        return leverageSetting(of: instrument)
    }

    /// Whether a position opening in `instrument` without a mode of its own is isolated: as the instrument's other
    /// hedge-mode leg if one is held (venues keep one margin type per symbol), else as its setting, else cross.
    public func isolatedToOpen(_ instrument: InstrumentID) -> Bool {
        if let held = positions.first(where: { $0.instrument == instrument }) { return held.mode.isIsolated }
        return isolatedSetting(of: instrument)
    }

    /// Whether a trade naming no margin mode on `side` of `instrument` goes to an isolated position: the position held
    /// there, else the one ``isolatedToOpen(_:)`` opens.
    public func isolatedMode(of instrument: InstrumentID, side: PositionSide) -> Bool {
        position(instrument, side: side)?.mode.isIsolated ?? isolatedToOpen(instrument)
    }

    /// What is kept for `instrument` while no position is held in it (``instrumentSettings``), if anything.
    public func setting(of instrument: InstrumentID) -> InstrumentSetting? {
        instrumentSettings.first { $0.instrument == instrument }
    }

    /// The leverage kept for `instrument` while no position is held in it, if any.
    public func leverageSetting(of instrument: InstrumentID) -> Double? { setting(of: instrument)?.leverage }

    /// Whether the margin mode kept for `instrument` while no position is held in it is isolated.
    public func isolatedSetting(of instrument: InstrumentID) -> Bool { setting(of: instrument)?.isolated ?? false }

    /// Forgets the leverage and margin mode kept for `instrument` (one that settled takes no more positions).
    public mutating func forgetSetting(of instrument: InstrumentID) {
        replaceSetting(InstrumentSetting(instrument: instrument))
    }

    /// Chooses the leverage of `instrument`, as a venue's leverage setting does: every position held in it (each
    /// hedge-mode leg) takes it, or, with none held, the account keeps it for the next one (`nil` clears the choice).
    public mutating func setLeverage(_ leverage: Double?, of instrument: InstrumentID) {
        var held = false
        for slot in positions.indices where positions[slot].instrument == instrument {
            positions[slot].leverage = leverage
            held = true
        }
        if !held {
            replaceSetting(InstrumentSetting(instrument: instrument, leverage: leverage, isolated: isolatedSetting(of: instrument)))
        }
    }

    /// Chooses the margin mode of `instrument` for the next position opened there, as a venue's margin type setting does
    /// (Binance's change of margin type). A held position keeps the mode it opened in: with one held, nothing changes
    /// and the result is `false`.
    public mutating func setMarginMode(isolated: Bool, of instrument: InstrumentID) -> Bool {
        keep(InstrumentSetting(instrument: instrument, leverage: leverageSetting(of: instrument), isolated: isolated))
    }

    /// Keeps `setting` (its leverage and mode together) for its instrument, replacing what was kept there, as an account
    /// file or a snapshot states it. A held instrument keeps its positions' terms: with one held, nothing changes and the
    /// result is `false`.
    public mutating func keep(_ setting: InstrumentSetting) -> Bool {
        guard !holds(setting.instrument) else { return false }
        replaceSetting(setting)
        return true
    }

    /// Puts `setting` in place of the instrument's (a default one removes it), keeping the settings sorted.
    private mutating func replaceSetting(_ setting: InstrumentSetting) {
        let slot = instrumentSettings.firstIndex { $0.instrument >= setting.instrument } ?? instrumentSettings.endIndex
        let found = slot < instrumentSettings.endIndex && instrumentSettings[slot].instrument == setting.instrument
        if !found {
            if !setting.isDefault { instrumentSettings.insert(setting, at: slot) }
        } else if setting.isDefault {
            instrumentSettings.remove(at: slot)
        } else {
            instrumentSettings[slot] = setting
        }
    }

    private func balanceSlot(_ asset: AssetID) -> Int? { balances.firstIndex { $0.asset == asset } }
    /// The index in ``positions`` of the position on `side` of `instrument`, if any.
    func positionSlot(_ instrument: InstrumentID, side: PositionSide) -> Int? {
        positions.firstIndex { $0.instrument == instrument && $0.side == side }
    }
}
