/// A set of small indices (assets, underlyings) kept as bits in caller-owned words, for the hot loops: marking,
/// testing and visiting in ascending order without allocating. Index `i` is bit `i mod 64` of word `i / 64`; the
/// caller sizes the words for every index it will mark.
struct TouchedBits {
    /// The words, pinned by the caller for the lifetime of this view.
    let words: UnsafeMutableBufferPointer<UInt64>

    /// Marks an index.
    @inline(__always)
    func insert(_ index: Int) {
        words[index &>> 6] |= 1 &<< UInt64(truncatingIfNeeded: index & 63)
    }

    /// Whether an index is marked.
    @inline(__always)
    func contains(_ index: Int) -> Bool {
        words[index &>> 6] & (1 &<< UInt64(truncatingIfNeeded: index & 63)) != 0
    }

    /// Calls `body` with each marked index in ascending order.
    @inline(__always)
    func forEach<E: Error>(_ body: (Int) throws(E) -> Void) throws(E) {
        for w in words.indices {
            var bits = words[w]
            while bits != 0 {
                try body(w &<< 6 | bits.trailingZeroBitCount)
                bits &= bits &- 1
            }
        }
    }

    /// Calls `body` with each marked index in ascending order and unmarks them all.
    @inline(__always)
    func drain(_ body: (Int) -> Void) {
        for w in words.indices where words[w] != 0 {
            var bits = words[w]
            words[w] = 0
            while bits != 0 {
                body(w &<< 6 | bits.trailingZeroBitCount)
                bits &= bits &- 1
            }
        }
    }
}
