/// Scratch accumulators for portfolio margin: each underlying's scenario PnL vector, net delta per tenor, short
/// option units and gross dated-future notional; reset after each account in O(underlyings touched).
public struct PortfolioWorkspace: Sendable {
    /// Scenario PnL per underlying, asset-major with the risk arrays' stride.
    var pnl: [Double]
    let stride: Int
    var touched: [Int] = []
    var isTouched: [Bool]
    var shortCallUnits: [Double]
    var shortPutUnits: [Double]
    var datedFutureNotional: [Double]
    /// Units of each underlying held as collateral that moves with its scenarios.
    var collateralUnits: [Double]
    /// Net delta per (underlying, tenor): tenor key = expiry in ms, `Int64.min` for a perpetual or spot.
    var tenorUnderlying: [Int] = []
    var tenorKey: [Int64] = []
    var tenorDelta: [Double] = []
    /// Reused buffers: the risks of the touched underlyings and one underlying's tenors.
    var risks: [UnderlyingRisk] = []
    var tenors: [(key: Int64, delta: Double)] = []

    /// A workspace for `assetCount` assets and arrays of row length `stride`.
    public init(assetCount: Int, stride: Int) {
        self.stride = stride
        pnl = Array(repeating: 0, count: assetCount * stride)
        isTouched = Array(repeating: false, count: assetCount)
        shortCallUnits = Array(repeating: 0, count: assetCount)
        shortPutUnits = Array(repeating: 0, count: assetCount)
        datedFutureNotional = Array(repeating: 0, count: assetCount)
        collateralUnits = Array(repeating: 0, count: assetCount)
        touched.reserveCapacity(8)
        risks.reserveCapacity(8)
        tenors.reserveCapacity(16)
    }

    /// Sorts the touched underlyings in place (insertion sort: an account touches a handful).
    mutating func sortTouched() {
        for i in touched.indices.dropFirst() {
            var j = i
            while j > 0 && touched[j - 1] > touched[j] {
                touched.swapAt(j - 1, j)
                j -= 1
            }
        }
    }

    @inline(__always)
    mutating func touch(_ underlying: Int) {
        if !isTouched[underlying] {
            isTouched[underlying] = true
            touched.append(underlying)
        }
    }

    /// Adds `delta` to the net delta of a tenor.
    mutating func addDelta(_ delta: Double, underlying: Int, tenor: Int64) {
        for i in tenorKey.indices where tenorUnderlying[i] == underlying && tenorKey[i] == tenor {
            tenorDelta[i] += delta
            return
        }
        tenorUnderlying.append(underlying)
        tenorKey.append(tenor)
        tenorDelta.append(delta)
    }

    mutating func reset() {
        let stride = self.stride
        pnl.withUnsafeMutableBufferPointer { vectors in
            for u in touched {
                let base = u &* stride
                for s in 0..<stride { vectors[base &+ s] = 0 }
            }
        }
        for u in touched {
            isTouched[u] = false
            shortCallUnits[u] = 0
            shortPutUnits[u] = 0
            datedFutureNotional[u] = 0
            collateralUnits[u] = 0
        }
        touched.removeAll(keepingCapacity: true)
        tenorUnderlying.removeAll(keepingCapacity: true)
        tenorKey.removeAll(keepingCapacity: true)
        tenorDelta.removeAll(keepingCapacity: true)
        risks.removeAll(keepingCapacity: true)
    }
}
