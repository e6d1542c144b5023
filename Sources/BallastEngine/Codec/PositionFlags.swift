import BallastCore

/// One byte holding whether a position (or a fill's side) is isolated and which side it is on: bit 0 isolated, bits 1–2
/// the side (0 one-way, 1 long leg, 2 short leg). A one-way position's byte is 0 or 1, the Boolean that journals and
/// snapshots written before hedge mode hold, so they read unchanged and hash the same.
enum PositionFlags {
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

    /// Reads a byte written by ``byte(isolated:side:)``.
    /// - Throws: ``CodecError`` for a byte no position has.
    static func read(_ reader: inout BinaryReader) throws(CodecError) -> (isolated: Bool, side: PositionSide) {
        let flags = try reader.byte()
        let side: PositionSide
        switch flags >> 1 {
        case 0: side = .net
        case 1: side = .long
        case 2: side = .short
        default: throw CodecError("bad position flags \(flags)", offset: reader.offset - 1)
        }
        return (flags & 1 == 1, side)
    }
}
