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

    Benchmark("read: margin report of 3,000 demo pools", closure: { benchmark, book in
        benchmark.startMeasurement()
        for snapshot in book.snapshots {
            blackHole(try? MarginReport(account: snapshot.pool, context: snapshot.context))
        }
        benchmark.stopMeasurement()
    }, setup: { sharedReadBook })

    Benchmark("read: margin report JSON of 3,000 demo accounts", closure: { benchmark, book in
        benchmark.startMeasurement()
        for snapshot in book.snapshots {
            blackHole(try? AccountQueries.report(snapshot))
        }
        benchmark.stopMeasurement()
    }, setup: { sharedReadBook })

    Benchmark("read: status JSON of 3,000 demo accounts", closure: { benchmark, book in
        benchmark.startMeasurement()
        for snapshot in book.snapshots {
            blackHole(try? AccountQueries.status(snapshot))
        }
        benchmark.stopMeasurement()
    }, setup: { sharedReadBook })
}
