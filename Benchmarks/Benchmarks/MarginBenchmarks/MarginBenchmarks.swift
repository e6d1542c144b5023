import BallastCore
import Benchmark

// Every benchmark evaluates all 100,000 accounts × 8 positions once per measured iteration:
// ns per position = reported wall clock / 800,000 (see README.md).

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 2,
        scalingFactor: .one,
        maxDuration: .seconds(8),
        maxIterations: 60
    )

    Benchmark("standard-margin 100k x 8", closure: { benchmark, book in
        var workspace = MarginWorkspace(assetCount: book.assetCount)
        benchmark.startMeasurement()
        do {
            try standardMargin(book, book.accounts.indices, workspace: &workspace)
        } catch {
            benchmark.error("MarginSummary failed: \(error)")
        }
        benchmark.stopMeasurement()
    }, setup: { sharedBook })

    Benchmark("floor a: notional x rate over Account 100k x 8", closure: { benchmark, book in
        var output = [Double](repeating: 0, count: book.accounts.count)
        benchmark.startMeasurement()
        floorOverAccounts(book, into: &output)
        benchmark.stopMeasurement()
        blackHole(output)
    }, setup: { sharedBook })

    Benchmark("floor b: notional x rate over SoA 100k x 8", closure: { benchmark, book in
        var output = [Double](repeating: 0, count: book.accounts.count)
        benchmark.startMeasurement()
        floorOverArrays(book, into: &output)
        benchmark.stopMeasurement()
        blackHole(output)
    }, setup: { sharedBook })

    Benchmark("standard-margin 100k x 8, 2 threads", closure: { benchmark, book in
        let lanes = (0..<2).map { _ in Lane(assetCount: book.assetCount) }
        benchmark.startMeasurement()
        standardMarginParallel(book, lanes: lanes)
        benchmark.stopMeasurement()
        if let failure = lanes.compactMap(\.failure).first { benchmark.error("MarginSummary failed: \(failure)") }
    }, setup: { sharedBook })

    Benchmark("margin report, 1 account x 2,000 positions", configuration: .init(maxIterations: 20), closure: { benchmark, wide in
        measureReport(benchmark, account: wide.account, context: wide.context)
    }, setup: { sharedWideAccount })

    Benchmark("portfolio margin report, 1 account x 2,003 positions", configuration: .init(maxIterations: 20), closure: { benchmark, wide in
        measureReport(benchmark, account: wide.account, context: wide.context)
    }, setup: { () throws -> (account: Account, context: RiskContext) in (try sharedPortfolioBook.wideAccount(), sharedPortfolioBook.context) })

    Benchmark("portfolio-margin 100k x 8 x 33", closure: { benchmark, book in
        var workspace = PortfolioWorkspace(assetCount: book.context.catalog.assets.count, stride: book.arrays.stride)
        var equity = MarginWorkspace(assetCount: book.context.catalog.assets.count)
        benchmark.startMeasurement()
        do {
            try portfolioMargin(book, workspace: &workspace, equity: &equity)
        } catch {
            benchmark.error("PortfolioMargin failed: \(error)")
        }
        benchmark.stopMeasurement()
    }, setup: { sharedPortfolioBook })

    Benchmark("portfolio floor: multiply-adds 100k x 8 x 33", closure: { benchmark, book in
        var vectors = [Double](repeating: 0, count: 4 * book.arrays.stride)
        benchmark.startMeasurement()
        portfolioFloor(book, into: &vectors)
        benchmark.stopMeasurement()
    }, setup: { sharedPortfolioBook })

    Benchmark("risk arrays 2,000 options x 33", configuration: .init(maxIterations: 30), closure: { benchmark, book in
        benchmark.startMeasurement()
        blackHole(RiskArrays(context: book.context, portfolio: book.parameters))
        benchmark.stopMeasurement()
    }, setup: { sharedPortfolioBook })
}

/// Measures one margin report of `account` (every position's liquidation and bankruptcy searches included).
func measureReport(_ benchmark: Benchmark, account: Account, context: RiskContext) {
    benchmark.startMeasurement()
    do {
        blackHole(try MarginReport(account: account, context: context))
    } catch {
        benchmark.error("MarginReport failed: \(error)")
    }
    benchmark.stopMeasurement()
}
