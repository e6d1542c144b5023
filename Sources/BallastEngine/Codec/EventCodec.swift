import BallastCore

/// The journal's binary form of an ``EngineEvent``: a format byte, id, sequence, time, a kind tag and the payload's
/// fields in order. Instruments and assets are catalog indices. A parameter change stores its document; decoding
/// rebuilds the parameters through a closure (the document is read over the parameters of the previous version).
public enum EventCodec {
    static let format: UInt8 = 1

    /// Appends the event's bytes to `writer`.
    public static func encode(_ event: EngineEvent, into writer: inout BinaryWriter) {
        encode(event, sequence: event.sequence, into: &writer)
    }

    /// Appends the bytes of `event` applied under `sequence` (an engine that assigns sequence numbers on arrival
    /// reports them beside the events, see ``Engine/apply(_:assigningSequences:_:)``).
    public static func encode(_ event: EngineEvent, sequence: UInt64, into writer: inout BinaryWriter) {
        writer.byte(format)
        writer.string(event.id)
        writer.unsigned(sequence)
        writer.timestamp(event.time)
        switch event.body {
        case .openAccount(let opening):
            writer.byte(1)
            writer.string(opening.account)
            writer.byte(opening.model == .portfolio ? 1 : 0)
        case .deposit(let movement):
            writer.byte(2)
            encode(movement, into: &writer)
        case .withdrawal(let movement):
            writer.byte(3)
            encode(movement, into: &writer)
        case .transfer(let transfer):
            writer.byte(4)
            writer.string(transfer.from)
            writer.string(transfer.to)
            writer.count(transfer.asset.index)
            writer.int128(transfer.amount)
        case .fill(let fill):
            writer.byte(5)
            writer.count(fill.instrument.index)
            writer.fixedPoint(fill.price)
            writer.signed(fill.size)
            encode(fill.buyer, into: &writer)
            encode(fill.seller, into: &writer)
        case .prices(let update):
            writer.byte(6)
            writer.indexedDoubles(update.index) { ($0.asset.index, $0.price) }
            writer.indexedDoubles(update.marks) { ($0.instrument.index, $0.price) }
        case .volatility(let update):
            writer.byte(7)
            writer.indexedDoubles(update.volatilities) { ($0.instrument.index, $0.volatility) }
        case .funding(let payment):
            writer.byte(8)
            writer.count(payment.instrument.index)
            writer.fixedPoint(payment.rate)
            writer.fixedPoint(payment.price)
        case .settlement(let settlement):
            writer.byte(9)
            writer.count(settlement.instrument.index)
            writer.fixedPoint(settlement.price)
        case .parameters(let change):
            writer.byte(10)
            writer.signed(Int64(change.version))
            writer.timestamp(change.effective)
            writer.string(change.document)
        case .group(let membership):
            writer.byte(11)
            writer.string(membership.account)
            writer.bool(membership.group != nil)
            writer.string(membership.group ?? "")
            writer.byte(membership.model == .portfolio ? 1 : 0)
        case .leverage(let change):
            writer.byte(12)
            writer.string(change.account)
            writer.count(change.instrument.index)
            writer.double(change.leverage)
        case .marginMode(let change):
            writer.byte(13)
            writer.string(change.account)
            writer.count(change.instrument.index)
            writer.bool(change.isolated)
        }
    }

    /// The event's bytes.
    public static func encode(_ event: EngineEvent) -> [UInt8] {
        var writer = BinaryWriter(capacity: 96)
        encode(event, into: &writer)
        return writer.bytes
    }

    /// Decodes an event of `catalog`; `parameters` rebuilds the parameters of a parameter change from its document.
    /// - Throws: ``CodecError`` for damaged bytes, an index outside the catalog, or a document `parameters` rejects.
    public static func decode(_ bytes: [UInt8], catalog: Catalog,
                              parameters: (String) throws -> RiskParameters) throws(CodecError) -> EngineEvent {
        var reader = BinaryReader(bytes)
        guard try reader.byte() == format else { throw CodecError("unknown event format", offset: 0) }
        let id = try reader.string()
        let sequence = try reader.unsigned()
        let time = try reader.timestamp()
        let assets = catalog.assets.count
        let instruments = catalog.instruments.count
        let body: EventBody
        switch try reader.byte() {
        case 1:
            body = .openAccount(AccountOpening(account: try reader.string(), model: try model(&reader)))
        case 2:
            body = .deposit(try movement(&reader, assets: assets))
        case 3:
            body = .withdrawal(try movement(&reader, assets: assets))
        case 4:
            body = .transfer(Transfer(from: try reader.string(), to: try reader.string(), asset: AssetID(try reader.index(below: assets)),
                                      amount: try reader.int128()))
        case 5:
            body = .fill(Fill(instrument: InstrumentID(try reader.index(below: instruments)), price: try reader.fixedPoint(), size: try reader.signed(),
                              buyer: try side(&reader), seller: try side(&reader)))
        case 6:
            let index = try reader.indexedDoubles(below: assets) { IndexQuote(asset: AssetID($0), price: $1) }
            let marks = try reader.indexedDoubles(below: instruments) { MarkQuote(instrument: InstrumentID($0), price: $1) }
            body = .prices(PriceUpdate(index: index, marks: marks))
        case 7:
            let entries = try reader.indexedDoubles(below: instruments) { ImpliedVolatility(instrument: InstrumentID($0), volatility: $1) }
            body = .volatility(VolatilityUpdate(volatilities: entries))
        case 8:
            body = .funding(FundingPayment(instrument: InstrumentID(try reader.index(below: instruments)), rate: try reader.fixedPoint(),
                                           price: try reader.fixedPoint()))
        case 9:
            body = .settlement(ExpirySettlement(instrument: InstrumentID(try reader.index(below: instruments)), price: try reader.fixedPoint()))
        case 10:
            let version = try reader.signed()
            let effective = try reader.timestamp()
            let document = try reader.string()
            guard let version = Int(exactly: version) else { throw CodecError("parameter version out of range", offset: reader.offset) }
            do {
                body = .parameters(ParameterChange(version: version, effective: effective, document: document, parameters: try parameters(document)))
            } catch {
                throw CodecError("parameter document of version \(version) cannot be read: \(error)", offset: reader.offset)
            }
        case 11:
            let account = try reader.string()
            let hasGroup = try reader.bool()
            let group = try reader.string()
            body = .group(GroupMembership(account: account, group: hasGroup ? group : nil, model: try model(&reader)))
        case 12:
            body = .leverage(LeverageChange(account: try reader.string(), instrument: InstrumentID(try reader.index(below: instruments)),
                                            leverage: try reader.double()))
        case 13:
            body = .marginMode(MarginModeChange(account: try reader.string(), instrument: InstrumentID(try reader.index(below: instruments)),
                                                isolated: try reader.bool()))
        case let tag:
            throw CodecError("unknown event kind \(tag)", offset: reader.offset - 1)
        }
        guard reader.isAtEnd else { throw CodecError("trailing bytes after the event", offset: reader.offset) }
        return EngineEvent(id: id, sequence: sequence, time: time, body: body)
    }

    private static func encode(_ movement: FundsMovement, into writer: inout BinaryWriter) {
        writer.string(movement.account)
        writer.count(movement.asset.index)
        writer.int128(movement.amount)
    }

    private static func movement(_ reader: inout BinaryReader, assets: Int) throws(CodecError) -> FundsMovement {
        FundsMovement(account: try reader.string(), asset: AssetID(try reader.index(below: assets)), amount: try reader.int128())
    }

    private static func encode(_ side: Fill.Side?, into writer: inout BinaryWriter) {
        guard let side else {
            writer.byte(0)
            return
        }
        writer.byte(1)
        writer.string(side.account)
        writer.int128(side.fee)
        writer.optionalDouble(side.leverage)
        writer.byte(PositionFlags.byte(named: side.isolated, side: side.positionSide))
    }

    private static func side(_ reader: inout BinaryReader) throws(CodecError) -> Fill.Side? {
        guard try reader.bool() else { return nil }
        let (account, fee, leverage) = (try reader.string(), try reader.int128(), try reader.optionalDouble())
        let (isolated, positionSide) = try PositionFlags.readNamed(&reader)
        return Fill.Side(account: account, fee: fee, leverage: leverage, isolated: isolated, positionSide: positionSide)
    }

    static func model(_ reader: inout BinaryReader) throws(CodecError) -> MarginModel {
        switch try reader.byte() {
        case 0: return .standard
        case 1: return .portfolio
        case let tag: throw CodecError("unknown margin model \(tag)", offset: reader.offset - 1)
        }
    }
}
