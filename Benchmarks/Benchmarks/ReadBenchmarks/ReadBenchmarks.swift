import BallastCore
import BallastIO
import Benchmark

// Every benchmark goes over the 3,000 accounts of the demo book once per measured iteration:
// µs per account read = reported wall clock / 3,000 (see README.md).

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(8),
        maxIterations: 20
    )

    Benchmark("read baseline: margin summary of 3,000 demo pools", closure: { benchmark, book in
        var workspace = MarginWorkspace(assetCount: book.snapshots.first?.context.catalog.assets.count ?? 0)
        benchmark.startMeasurement()
        for snapshot in book.snapshots {
            blackHole(try? MarginSummary(snapshot.pool, context: snapshot.context, workspace: &workspace))
        }
        benchmark.stopMeasurement()
    }, setup: { sharedReadBook })

    /// A benchmark of `read` over every snapshot of the book.
    func readEach(_ name: String, _ read: @escaping @Sendable (PoolSnapshot) -> Void) {
        Benchmark(name, closure: { benchmark, book in
            benchmark.startMeasurement()
            for snapshot in book.snapshots { read(snapshot) }
            benchmark.stopMeasurement()
        }, setup: { sharedReadBook })
    }
    readEach("read: margin report of 3,000 demo pools") { blackHole(try? MarginReport(account: $0.pool, context: $0.context)) }
    readEach("read: margin report JSON of 3,000 demo accounts") { blackHole(try? AccountQueries.report($0)) }
    readEach("read: status JSON of 3,000 demo accounts") { blackHole(try? AccountQueries.status($0)) }
}
