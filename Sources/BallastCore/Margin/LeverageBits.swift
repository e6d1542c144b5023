/// A position's optional leverage read as it is stored, for the margin kernel's branch-free leverage rate.
///
/// An `Optional<Double>` is a single-payload enum whose payload has no spare bit patterns, so Swift's layout (the
/// ABI's "TypeLayout", single-payload enums) adds a tag byte after the 8 payload bytes: 0 with a value, 1 for `nil`,
/// whose payload bytes are 0 (the empty case's index). Reading the tag as a plain byte hides from the optimiser that it
/// is a flag, so it cannot turn the arithmetic on it back into a select, which it compiles to a branch.
/// `LeverageBitsTests` checks the layout.
enum LeverageBits {
    /// (the payload as a `Double`, the tag as a `Double`): (leverage, 0) with a leverage, (0, 1) without.
    @inline(__always)
    static func read(_ leverage: Double?) -> (payload: Double, noLeverage: Double) {
        withUnsafeBytes(of: leverage) { bytes in
            (bytes.load(as: Double.self), Double(bytes.load(fromByteOffset: MemoryLayout<Double>.size, as: UInt8.self)))
        }
    }
}
