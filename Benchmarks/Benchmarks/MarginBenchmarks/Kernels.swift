import BallastCore
import Benchmark
import Dispatch

// The measured loops. Each is `@inline(never)` and writes or consumes one result per account, as a margin
// evaluation must, so no part of it can be optimised away.

/// Standard margin of every account in `accounts[range]` with one reused workspace, each read in place while the
/// holdings of the account three ahead are requested (as the engine's loops over accounts do); every summary goes to
/// `blackHole`.
@inline(never)
func standardMargin(_ book: MarginBook, _ range: Range<Int>, workspace: inout MarginWorkspace) throws(MarginError) {
    let accounts = book.accounts
    let context = book.context
    for a in range {
        accounts.prefetchHoldings(at: a &+ 3, positions: book.positionsPerAccount, balances: 2)
        blackHole(try MarginSummary(accounts, at: a, context: context, workspace: &workspace))
    }
}

/// Floor (a): Σ |size|·sizeUnit·multiplier·mark·rate per account, reading the same `Account` values.
@inline(never)
func floorOverAccounts(_ book: MarginBook, into output: inout [Double]) {
    let table = book.floorTable
    let accounts = book.accounts
    for a in accounts.indices {
        var maintenance = 0.0
        for position in accounts[a].positions {
            let f = table[position.instrument.index]
            maintenance += abs(Double(position.size)) * f.sizeUnit * f.multiplier * f.mark * f.rate
        }
        output[a] = maintenance
    }
}

/// Floor (b): the same sum over the struct-of-arrays copy (Int32 instrument, Double size).
@inline(never)
func floorOverArrays(_ book: MarginBook, into output: inout [Double]) {
    let table = book.floorTable
    let instruments = book.soaInstrument
    let sizes = book.soaSize
    let n = book.positionsPerAccount
    for a in output.indices {
        var maintenance = 0.0
        let base = a &* n
        for p in base..<(base &+ n) {
            let f = table[Int(instruments[p])]
            maintenance += abs(sizes[p]) * f.sizeUnit * f.multiplier * f.mark * f.rate
        }
        output[a] = maintenance
    }
}

/// One thread's workspace and outcome; each thread touches only its own lane.
final class Lane: @unchecked Sendable {
    var workspace: MarginWorkspace
    var failure: MarginError?

    init(assetCount: Int) { workspace = MarginWorkspace(assetCount: assetCount) }
}

/// Standard margin on `lanes.count` threads: the accounts split in contiguous parts, one workspace per thread.
@inline(never)
func standardMarginParallel(_ book: MarginBook, lanes: [Lane]) {
    let count = book.accounts.count
    let threads = lanes.count
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        let lane = lanes[t]
        do throws(MarginError) {
            try standardMargin(book, (count * t / threads)..<(count * (t + 1) / threads), workspace: &lane.workspace)
        } catch {
            lane.failure = error
        }
    }
}

/// Portfolio margin of every account with one reused pair of workspaces.
@inline(never)
func portfolioMargin(_ book: PortfolioBook, workspace: inout PortfolioWorkspace, equity: inout MarginWorkspace) throws(MarginError) {
    let accounts = book.accounts
    for a in accounts.indices {
        blackHole(try PortfolioMargin.evaluate(accounts[a], context: book.context, arrays: book.arrays, parameters: book.parameters,
                                               workspace: &workspace, equityWorkspace: &equity))
    }
}

/// Floor: per account, the bare multiply-adds of the scenario vectors, lossᵤ[s] += quantity × array[s] over the same
/// positions and arrays, and nothing else (no maximum, no add-on, no aggregation, no equity).
@inline(never)
func portfolioFloor(_ book: PortfolioBook, into vectors: inout [Double]) {
    let stride = book.arrays.stride
    let accounts = book.accounts
    let instruments = book.context.instruments
    book.arrays.pnl.withUnsafeBufferPointer { rows in
        vectors.withUnsafeMutableBufferPointer { out in
            for a in accounts.indices {
                for u in 0..<(4 * stride) { out[u] = 0 }
                for position in accounts[a].positions {
                    let index = position.instrument.index
                    let quantity = Double(position.size) * instruments[index].sizeUnit
                    let base = instruments[index].underlying.index &* stride
                    let row = index &* stride
                    for s in 0..<stride { out[base &+ s] += quantity * rows[row &+ s] }
                }
                blackHole(out[stride])
            }
        }
    }
}
