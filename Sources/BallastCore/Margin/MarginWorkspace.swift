/// Scratch accumulators for evaluating accounts one after another without allocating: per-asset sums, reset
/// after each account in O(assets touched).
public struct MarginWorkspace: Sendable {
    /// Exact part of each asset's equity: balance and cost bases at 10^-18.
    var exact: [Int128]
    /// Mark-dependent part of each asset's equity.
    var markValue: [Double]
    var initial: [Double]
    var maintenance: [Double]
    var touched: [Int]
    var isTouched: [Bool]

    /// A workspace for a catalog of `assetCount` assets.
    public init(assetCount: Int) {
        exact = Array(repeating: 0, count: assetCount)
        markValue = Array(repeating: 0, count: assetCount)
        initial = Array(repeating: 0, count: assetCount)
        maintenance = Array(repeating: 0, count: assetCount)
        touched = []
        touched.reserveCapacity(16)
        isTouched = Array(repeating: false, count: assetCount)
    }

    @inline(__always)
    mutating func touch(_ asset: Int) {
        if !isTouched[asset] {
            isTouched[asset] = true
            touched.append(asset)
        }
    }

    @inline(__always)
    mutating func reset() {
        for asset in touched {
            exact[asset] = 0
            markValue[asset] = 0
            initial[asset] = 0
            maintenance[asset] = 0
            isTouched[asset] = false
        }
        touched.removeAll(keepingCapacity: true)
    }
}
