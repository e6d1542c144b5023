/// Accumulations kept to be started from again: what a set of positions (and balances) put into a scratch, saved once
/// and restored before each evaluation that adds the rest (``SplitPortfolioPool``). Only the accumulating buffers are
/// saved; the legs and risks are written before they are read.
extension PortfolioWorkspace.Scratch {
    /// The contents of the accumulating buffers.
    struct Saved {
        let pnl: [Double]
        let sums: [PortfolioWorkspace.Sums]
        let words: [UInt64]
        let tenorDeltas: [Double]
        let tenorHeld: [Int]
        let tenorLists: [Int]
    }

    /// A copy of what the scratch has accumulated.
    func saved() -> Saved {
        Saved(pnl: Array(pnl), sums: Array(sums), words: Array(words), tenorDeltas: Array(tenorDeltas), tenorHeld: Array(tenorHeld),
              tenorLists: Array(tenorLists))
    }

    /// Puts back what was saved, into a cleared scratch of the same workspace layout (a scratch that grew more tenor
    /// slots since keeps zeros in them, as a cleared one has).
    /// - Precondition: every saved buffer fits its buffer here.
    func restore(_ saved: Saved) {
        Self.copy(saved.pnl, into: pnl)
        Self.copy(saved.sums, into: sums)
        Self.copy(saved.words, into: words)
        Self.copy(saved.tenorDeltas, into: tenorDeltas)
        Self.copy(saved.tenorHeld, into: tenorHeld)
        Self.copy(saved.tenorLists, into: tenorLists)
    }

    private static func copy<T>(_ values: [T], into buffer: UnsafeMutableBufferPointer<T>) {
        precondition(values.count <= buffer.count, "a saved scratch is larger than the scratch it is restored into")
        _ = buffer.update(fromContentsOf: values)
    }
}

extension MarginWorkspace.Scratch {
    /// The contents of the per-asset sums and the touched set.
    struct Saved {
        let sums: [MarginWorkspace.Accumulator]
        let words: [UInt64]
    }

    /// A copy of what the scratch has accumulated.
    func saved() -> Saved { Saved(sums: Array(sums), words: Array(words)) }

    /// Puts back what was saved, into a cleared scratch of a workspace with the same assets.
    /// - Precondition: the saved sums and set fit the buffers here.
    func restore(_ saved: Saved) {
        precondition(saved.sums.count <= sums.count && saved.words.count <= words.count, "a saved scratch is larger than the scratch it is restored into")
        _ = sums.update(fromContentsOf: saved.sums)
        _ = words.update(fromContentsOf: saved.words)
    }
}
