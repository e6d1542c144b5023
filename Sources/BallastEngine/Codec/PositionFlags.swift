import BallastCore

/// One byte holding whether a position (or a fill's side) is isolated and which side it is on: bit 0 isolated, bits 1–2
/// the side (0 one-way, 1 long leg, 2 short leg). A one-way position's byte is 0 or 1, the Boolean that journals and
/// snapshots written before hedge mode hold, so they read unchanged and hash the same.
///
/// A fill's side may also name cross explicitly: bit 3 (with bit 0 clear). Without bit 3 and bit 0, the fill names no
/// mode and takes the account's for the instrument. Journals written before margin mode settings hold a clear bit 0 for
/// "cross unless a position is held on that side": read under these rules, such a fill can open a position isolated
/// where the older version opened it cross (after an isolated close, or beside an isolated hedge leg). The README's
/// store compatibility says to re-create such a store.
enum PositionFlags {
    /// Bit 3: a fill's side names cross margin.
    private static let namedCross: UInt8 = 1 << 3

    /// The byte of `isolated` and `side`.
    static func byte(isolated: Bool, side: PositionSide) -> UInt8 {
        let code: UInt8
        switch side {
        case .net: code = 0
        case .long: code = 1
        case .short: code = 2
        }
        return (isolated ? 1 : 0) | code << 1
    }

    /// The byte of a fill's side: the mode it names, if any, and its position side.
    static func byte(named isolated: Bool?, side: PositionSide) -> UInt8 {
        byte(isolated: isolated ?? false, side: side) | (isolated == false ? namedCross : 0)
    }

    /// Reads a byte written by ``byte(isolated:side:)``.
    /// - Throws: ``CodecError`` for a byte no position has.
    static func read(_ reader: inout BinaryReader) throws(CodecError) -> (isolated: Bool, side: PositionSide) {
        try decode(try reader.byte(), offset: reader.offset - 1)
    }

    /// Reads a byte written by ``byte(named:side:)``.
    /// - Throws: ``CodecError`` for a byte no fill has (bit 3 with bit 0, or a bit above).
    static func readNamed(_ reader: inout BinaryReader) throws(CodecError) -> (isolated: Bool?, side: PositionSide) {
        let flags = try reader.byte()
        let named = flags & namedCross != 0
        guard !named || flags & 1 == 0 else { throw CodecError("bad fill flags \(flags)", offset: reader.offset - 1) }
        let (isolated, side) = try decode(flags & ~namedCross, offset: reader.offset - 1)
        return (named ? false : isolated ? true : nil, side)
    }

    /// The mode and side of a position's byte.
    private static func decode(_ flags: UInt8, offset: Int) throws(CodecError) -> (isolated: Bool, side: PositionSide) {
        let side: PositionSide
        switch flags >> 1 {
        case 0: side = .net
        case 1: side = .long
        case 2: side = .short
        default: throw CodecError("bad position flags \(flags)", offset: offset)
        }
        return (flags & 1 == 1, side)
    }
}
