/// The position of an asset in its ``Catalog``: a dense index, so that per-asset tables are plain arrays.
public struct AssetID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The index into ``Catalog/assets``.
    public let index: Int

    /// Wraps a catalog index.
    public init(_ index: Int) { self.index = index }

    /// Orders by catalog index.
    public static func < (lhs: AssetID, rhs: AssetID) -> Bool { lhs.index < rhs.index }

    /// `asset#index`.
    public var description: String { "asset#\(index)" }
}

/// The position of an instrument in its ``Catalog``: a dense index, so that per-instrument tables are plain arrays.
public struct InstrumentID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The index into ``Catalog/instruments``.
    public let index: Int

    /// Wraps a catalog index.
    public init(_ index: Int) { self.index = index }

    /// Orders by catalog index.
    public static func < (lhs: InstrumentID, rhs: InstrumentID) -> Bool { lhs.index < rhs.index }

    /// `instrument#index`.
    public var description: String { "instrument#\(index)" }
}
