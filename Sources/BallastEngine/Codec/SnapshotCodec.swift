import BallastCore

/// The binary form of an engine's state (what ``Engine`` calls state: catalog and settings through the genesis
/// document, market, parameter history, accounts, groups, ledger, sequencing, duplicate window, and the health states
/// held by pools that are not healthy, which hysteresis makes state). The derived parts (context, figures, risk index)
/// are rebuilt on restore by evaluating every unit from its held state. Format 2 added the held states; a format 1
/// snapshot reads with every pool held healthy. Format 3 added each account's leverage settings, format 4 made them
/// instrument settings with a margin mode (``Account/instrumentSettings``): an older snapshot reads with none (format
/// 1, 2) or with leverages only (format 3).
public enum SnapshotCodec {
    static let magic: [UInt8] = Array("BALLAST-STATE".utf8)
    static let format: UInt8 = 4

    /// The state's bytes.
    public static func encode(_ engine: Engine) -> [UInt8] { encode(engine, format: format) }

    /// The state's bytes in an earlier `format` (for tests of reading it), which leaves out what that format lacks.
    static func encode(_ engine: Engine, format: UInt8) -> [UInt8] {
        var w = BinaryWriter(capacity: 64 + engine.accounts.count * 96)
        for byte in magic { w.byte(byte) }
        w.byte(format)
        w.string(engine.genesisDocument)
        encode(engine.market, into: &w)
        w.signed(Int64(engine.parameterVersion))
        w.count(engine.parameterHistory.count)
        for record in engine.parameterHistory {
            w.signed(Int64(record.version))
            w.timestamp(record.effective)
            w.unsigned(record.activatedAt)
            w.string(record.document)
        }
        w.count(engine.pendingParameters.count)
        for change in engine.pendingParameters {
            w.signed(Int64(change.version))
            w.timestamp(change.effective)
            w.string(change.document)
        }
        for flag in engine.settled { w.bool(flag) }
        w.count(engine.accounts.count)
        for (i, account) in engine.accounts.enumerated() {
            encode(account, into: &w, format: format)
            w.signed(Int64(engine.accountGroup[i]))
        }
        w.count(engine.groups.count)
        for group in engine.groups {
            w.string(group.id)
            w.byte(group.model == .portfolio ? 1 : 0)
            w.count(group.members.count)
            for member in group.members { w.count(Int(member)) }
        }
        encode(engine.external, into: &w, format: format)
        for books in engine.ledger {
            w.int128(books.deposits)
            w.int128(books.withdrawals)
            w.int128(books.fees)
            w.int128(books.insuranceFund)
            w.int128(books.residue)
        }
        w.unsigned(engine.lastSequence)
        w.timestamp(engine.lastTime)
        let ids = engine.duplicates.oldestFirst
        w.count(ids.count)
        for id in ids { w.string(id) }
        if format >= 2 { HeldStates(engine).encode(into: &w) }
        return w.bytes
    }

    /// Restores an engine from its state's bytes, reading its documents with `documents`.
    /// - Throws: ``CodecError`` for damaged bytes or unreadable documents.
    public static func decode(_ bytes: [UInt8], documents: some EngineDocumentReader) throws(CodecError) -> Engine {
        var r = BinaryReader(bytes)
        for byte in magic where try r.byte() != byte { throw CodecError("not a Ballast state snapshot", offset: 0) }
        let snapshotFormat = try r.byte()
        guard (1...format).contains(snapshotFormat) else {
            throw CodecError("unknown snapshot format \(snapshotFormat)", offset: r.offset - 1)
        }
        let genesisDocument = try r.string()
        let genesis: EngineGenesis
        do {
            genesis = try documents.genesis(genesisDocument)
        } catch {
            throw CodecError("genesis document cannot be read: \(error)", offset: r.offset)
        }
        let catalog = genesis.catalog
        let market = try decodeMarket(&r, catalog: catalog)
        let version = try r.signed()
        var parameters = genesis.parameters
        var history: [ParameterRecord] = []
        for _ in 0..<(try r.count(limit: bytes.count)) {
            let record = ParameterRecord(version: Int(try r.signed()), effective: try r.timestamp(), activatedAt: try r.unsigned(),
                                         document: try r.string())
            parameters = try readParameters(record.document, over: parameters, catalog: catalog, documents: documents, offset: r.offset)
            // As when it took effect: the record's version and effective time name the set, not its document's.
            parameters.info.version = "\(record.version)"
            parameters.info.effective = record.effective
            history.append(record)
        }
        var pending: [ParameterChange] = []
        var latest = parameters
        for _ in 0..<(try r.count(limit: bytes.count)) {
            let pendingVersion = Int(try r.signed())
            let effective = try r.timestamp()
            let document = try r.string()
            latest = try readParameters(document, over: latest, catalog: catalog, documents: documents, offset: r.offset)
            pending.append(ParameterChange(version: pendingVersion, effective: effective, document: document, parameters: latest))
        }
        var settled: [Bool] = []
        for _ in catalog.instruments { settled.append(try r.bool()) }
        var accounts: [Account] = []
        var accountGroup: [Int32] = []
        for _ in 0..<(try r.count(limit: bytes.count)) {
            accounts.append(try decodeAccount(&r, catalog: catalog, settled: settled, format: snapshotFormat))
            let group = try r.signed()
            guard let packed = Int32(exactly: group), packed >= -1 else { throw CodecError("bad group index \(group)", offset: r.offset) }
            accountGroup.append(packed)
        }
        var groups: [MarginGroup] = []
        for _ in 0..<(try r.count(limit: bytes.count)) {
            var group = MarginGroup(id: try r.string(), model: try EventCodec.model(&r))
            for _ in 0..<(try r.count(limit: accounts.count)) { group.members.append(Int32(try r.index(below: accounts.count))) }
            groups.append(group)
        }
        for group in accountGroup where group >= groups.count { throw CodecError("group index \(group) out of range", offset: r.offset) }
        let external = try decodeAccount(&r, catalog: catalog, settled: settled, format: snapshotFormat)
        var ledger: [AssetLedger] = []
        for asset in catalog.assets {
            var books = AssetLedger()
            // The insurance fund also takes roundings that are not range-checked (a spot fill's, the residue's whole
            // units; isolated shortfalls are), so only the totals every event checks are checked here: a state the
            // engine accepted restores.
            books.deposits = try amount(&r, of: asset)
            books.withdrawals = try amount(&r, of: asset)
            books.fees = try amount(&r, of: asset)
            books.insuranceFund = try r.int128()
            books.residue = try r.int128()
            ledger.append(books)
        }
        let lastSequence = try r.unsigned()
        let lastTime = try r.timestamp()
        var duplicates = DuplicateWindow(capacity: genesis.settings.duplicateWindow)
        for _ in 0..<(try r.count(limit: bytes.count)) { duplicates.insert(try r.string()) }
        let held = snapshotFormat == 1 ? HeldStates()
            : try HeldStates.decode(&r, accountGroup: accountGroup, groups: groups, instruments: catalog.instruments.count)
        guard r.isAtEnd else { throw CodecError("trailing bytes after the state", offset: r.offset) }
        guard let parameterVersion = Int(exactly: version) else { throw CodecError("parameter version out of range", offset: r.offset) }

        var engine = Engine(genesis: genesis)
        engine.restore(market: market, parameters: parameters, parameterVersion: parameterVersion, history: history, pending: pending,
                       settled: settled, accounts: accounts, accountGroup: accountGroup, groups: groups, external: external, ledger: ledger,
                       lastSequence: lastSequence, lastTime: lastTime, duplicates: duplicates, held: held)
        return engine
    }

    private static func readParameters(_ document: String, over base: RiskParameters, catalog: Catalog,
                                       documents: some EngineDocumentReader, offset: Int) throws(CodecError) -> RiskParameters {
        do {
            return try documents.parameters(document, over: base, catalog: catalog)
        } catch {
            throw CodecError("parameter document cannot be read: \(error)", offset: offset)
        }
    }

    static func encode(_ account: Account, into w: inout BinaryWriter, format: UInt8) {
        w.string(account.id)
        w.byte(account.model == .portfolio ? 1 : 0)
        w.count(account.balances.count)
        for balance in account.balances {
            w.count(balance.asset.index)
            w.int128(balance.units)
        }
        w.count(account.positions.count)
        for position in account.positions {
            w.count(position.instrument.index)
            w.signed(position.size)
            w.int128(position.cost)
            w.optionalDouble(position.leverage)
            w.byte(PositionFlags.byte(isolated: position.mode.isIsolated, side: position.side))
            if case .isolated(let margin) = position.mode { w.int128(margin) }
        }
        guard format >= 4 else {
            guard format == 3 else { return }
            let leverages = account.instrumentSettings.compactMap { kept in kept.leverage.map { (kept.instrument, $0) } }
            w.count(leverages.count)
            for (instrument, leverage) in leverages {
                w.count(instrument.index)
                w.double(leverage)
            }
            return
        }
        w.count(account.instrumentSettings.count)
        for kept in account.instrumentSettings {
            w.count(kept.instrument.index)
            w.optionalDouble(kept.leverage)
            w.bool(kept.isolated)
        }
    }

    static func decodeAccount(_ r: inout BinaryReader, catalog: Catalog, settled: [Bool], format: UInt8) throws(CodecError) -> Account {
        var account = Account(id: try r.string(), model: try EventCodec.model(&r))
        for _ in 0..<(try r.count(limit: catalog.assets.count)) {
            let asset = try r.index(below: catalog.assets.count)
            account.setBalance(AssetID(asset), units: try amount(&r, of: catalog.assets[asset]))
        }
        // Up to two positions per instrument: its hedge-mode legs.
        for _ in 0..<(try r.count(limit: 2 * catalog.instruments.count)) {
            let instrument = InstrumentID(try r.index(below: catalog.instruments.count))
            let size = try r.signed()
            let cost = try r.int128()
            let leverage = try r.optionalDouble()
            let (isolated, side) = try PositionFlags.read(&r)
            // Each position non-zero, on a side of its own, a leg only of a future or perpetual and with its sign, an
            // instrument held one way or in legs, a leverage of at least 1: what trades can make.
            guard size != 0, account.position(instrument, side: side) == nil, account.admits(side, of: instrument), side.allows(size: size),
                  !side.isLeg || catalog.instruments[instrument.index].hasHedgeMode, leverage.map({ $0.isFinite && $0 >= 1 }) ?? true else {
                throw CodecError("position \(side.label(catalog.instruments[instrument.index].symbol)) of size \(size) cannot be held", offset: r.offset - 1)
            }
            let mode: MarginMode = isolated ? .isolated(margin: try amount(&r, of: catalog.assets[catalog.instruments[instrument.index].settle.index])) : .cross
            account.setPosition(Position(instrument: instrument, size: size, cost: cost, leverage: leverage, mode: mode, side: side))
        }
        guard format >= 3 else { return account }
        var previous: InstrumentID?
        for _ in 0..<(try r.count(limit: catalog.instruments.count)) {
            let start = r.offset
            let instrument = InstrumentID(try r.index(below: catalog.instruments.count))
            let leverage = format >= 4 ? try r.optionalDouble() : try r.double()
            let isolated = format >= 4 ? try r.bool() : false
            let setting = InstrumentSetting(instrument: instrument, leverage: leverage, isolated: isolated)
            // One entry per instrument, in order, for a future or perpetual not held and not settled, at a leverage a
            // trade can set, choosing something.
            guard catalog.instruments[instrument.index].hasHedgeMode, !settled[instrument.index], !account.holds(instrument),
                  previous.map({ $0 < instrument }) ?? true, !setting.isDefault, leverage.map({ $0 >= 1 && $0.isFinite }) ?? true else {
                let symbol = catalog.instruments[instrument.index].symbol
                throw CodecError("setting of \(symbol) (leverage \(leverage.map { "\($0)" } ?? "none"), \(MarginMode.name(isolated: isolated))) cannot be held",
                                 offset: start)
            }
            previous = instrument
            _ = account.keep(setting)
        }
        return account
    }

    static func encode(_ market: MarketSnapshot, into w: inout BinaryWriter) {
        w.timestamp(market.time)
        for price in market.indexPrices { w.optionalDouble(price) }
        for column in [market.markPrices, market.impliedVolatilities, market.forwards, market.openInterest] {
            for value in column { w.optionalDouble(value) }
        }
        let supplied = market.suppliedRiskArrays.sorted { $0.key < $1.key }
        w.count(supplied.count)
        for (instrument, array) in supplied {
            w.count(instrument.index)
            w.count(array.losses.count)
            for loss in array.losses { w.double(loss) }
            w.double(array.delta)
        }
    }

    /// An optional price (or volatility), which the engine keeps within ``PriceRange``.
    private static func price(_ r: inout BinaryReader) throws(CodecError) -> Double? {
        let start = r.offset
        guard let price = try r.optionalDouble() else { return nil }
        if let problem = PriceRange.problem(price) { throw CodecError("price \(price) \(problem)", offset: start) }
        return price
    }

    /// An amount of `asset`, which the engine keeps within ``LedgerRange``.
    private static func amount(_ r: inout BinaryReader, of asset: Asset) throws(CodecError) -> Int128 {
        let start = r.offset
        let units = try r.int128()
        guard LedgerRange.contains(units, decimals: asset.decimals) else {
            throw CodecError("amount \(units) is beyond \(LedgerRange.written(asset.symbol))", offset: start)
        }
        return units
    }

    static func decodeMarket(_ r: inout BinaryReader, catalog: Catalog) throws(CodecError) -> MarketSnapshot {
        var market = MarketSnapshot(catalog: catalog, time: try r.timestamp())
        for i in catalog.assets.indices { market.indexPrices[i] = try price(&r) }
        for i in catalog.instruments.indices { market.markPrices[i] = try price(&r) }
        for i in catalog.instruments.indices { market.impliedVolatilities[i] = try price(&r) }
        for i in catalog.instruments.indices { market.forwards[i] = try price(&r) }
        for i in catalog.instruments.indices { market.openInterest[i] = try r.optionalDouble() }
        for _ in 0..<(try r.count(limit: catalog.instruments.count)) {
            let instrument = InstrumentID(try r.index(below: catalog.instruments.count))
            var losses: [Double] = []
            for _ in 0..<(try r.count(limit: 100_000)) { losses.append(try r.double()) }
            market.suppliedRiskArrays[instrument] = SuppliedRiskArray(losses: losses, delta: try r.double())
        }
        return market
    }
}
