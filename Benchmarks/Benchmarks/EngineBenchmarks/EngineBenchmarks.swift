import BallastCore
import BallastEngine
import BallastIO
import BallastStore
import Benchmark
import Foundation

// The engine benchmarks run on one book of 1,000,000 accounts (see EngineBook.swift and README.md). Figures per
// event = wall clock of an iteration / the events in it.

let fillsPerIteration = 100_000

let benchmarks: @Sendable () -> Void = {
    // The SQLite stores of the durable benchmarks go when the process ends.
    Benchmark.teardown = { DurableBook.removeStores() }
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(10),
        maxIterations: 20
    )
    let evaluations = BenchmarkMetric.custom("units evaluated", polarity: .prefersSmaller, useScalingFactor: false)
    let signals = BenchmarkMetric.custom("signals", polarity: .prefersSmaller, useScalingFactor: false)
    let eventsPerSecond = BenchmarkMetric.custom("events/s (thousands)", polarity: .prefersLarger, useScalingFactor: false)

    Benchmark("engine: 100k fills, 1M accounts", closure: { benchmark, book in
        let events = book.fills(fillsPerIteration, first: book.engine.lastSequence + 1)
        var accepted = 0
        benchmark.startMeasurement()
        for event in events where book.engine.apply(event).isAccepted { accepted += 1 }
        benchmark.stopMeasurement()
        if accepted != events.count { benchmark.error("\(events.count - accepted) fills rejected") }
    }, setup: { sharedEngineBook })

    Benchmark("engine: 100k fills in batches of 4,096, 1M accounts", closure: { benchmark, book in
        let events = book.fills(fillsPerIteration, first: book.engine.lastSequence + 1)
        let batches = stride(from: 0, to: events.count, by: 4_096).map { Array(events[$0..<min($0 + 4_096, events.count)]) }
        var accepted = 0
        benchmark.startMeasurement()
        for batch in batches {
            book.engine.apply(batch) { _, _, outcome in if outcome.isAccepted { accepted += 1 } }
        }
        benchmark.stopMeasurement()
        if accepted != events.count { benchmark.error("\(events.count - accepted) fills rejected") }
    }, setup: { sharedEngineBook })

    Benchmark("engine floor: 2 margin evaluations per fill, 100k fills", closure: { benchmark, book in
        let events = book.fills(fillsPerIteration, first: book.engine.lastSequence + 1)
        let pairs: [(Int, Int)] = events.compactMap { event in
            guard case .fill(let fill) = event.body, let buyer = fill.buyer, let seller = fill.seller,
                  let a = book.engine.accountIndex(of: buyer.account), let b = book.engine.accountIndex(of: seller.account) else { return nil }
            return (Int(a), Int(b))
        }
        let context = book.engine.context
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        benchmark.startMeasurement()
        do {
            for (a, b) in pairs {
                blackHole(try MarginSummary(book.engine.accounts, at: a, context: context, workspace: &workspace))
                blackHole(try MarginSummary(book.engine.accounts, at: b, context: context, workspace: &workspace))
            }
        } catch {
            benchmark.error("\(error)")
        }
        benchmark.stopMeasurement()
    }, setup: { sharedEngineBook })

    for (name, move) in [("engine: BTC tick 0.5 %, 300k BTC holders of 1M", 0.005), ("engine: BTC jump 5 %, 300k BTC holders of 1M", 0.05)] {
        Benchmark(name, configuration: .init(metrics: [.wallClock, .mallocCountTotal, evaluations, signals], timeUnits: .milliseconds,
                                             warmupIterations: 2, scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 40),
                  closure: { benchmark, book in
            let tick = book.btcTick(move: move)
            let before = book.engine.evaluations
            benchmark.startMeasurement()
            let outcome = book.engine.apply(tick)
            benchmark.stopMeasurement()
            guard case .applied(let emitted) = outcome else { return benchmark.error("tick rejected: \(outcome)") }
            benchmark.measurement(evaluations, book.engine.evaluations - before)
            benchmark.measurement(signals, emitted.count)
        }, setup: { sharedEngineBook })
    }

    Benchmark("engine floor: margin of the 300k BTC holders (full scan)", closure: { benchmark, book in
        let context = book.engine.context
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        benchmark.startMeasurement()
        do {
            for index in 0..<EngineBook.btcHolders {
                blackHole(try MarginSummary(book.engine.accounts, at: index, context: context, workspace: &workspace))
            }
        } catch {
            benchmark.error("\(error)")
        }
        benchmark.stopMeasurement()
    }, setup: { sharedEngineBook })

    Benchmark("durable: restart 1M accounts from a SQLite snapshot", configuration: .init(metrics: [.wallClock], timeUnits: .milliseconds,
                                                                                        warmupIterations: 0, maxDuration: .seconds(30), maxIterations: 3),
              closure: { (benchmark: Benchmark, setup: (any EventStore, URL)) in
        let (store, _) = setup
        benchmark.startMeasurement()
        do {
            let engine = try await DurableEngine.open(store: store, documents: EngineDocuments())
            benchmark.stopMeasurement()
            blackHole(await engine.read { $0.accounts.count })
        } catch {
            benchmark.error("\(error)")
        }
    }, setup: { try await DurableBook.sqlite(sharedEngineBook) })

    // PostgreSQL only when BALLAST_POSTGRES_URL names a server (see README.md).
    let stores = ProcessInfo.processInfo.environment["BALLAST_POSTGRES_URL"] == nil ? ["SQLite"] : ["SQLite", "PostgreSQL"]
    for (store, inFlight) in stores.map({ ($0, 1) }) + [("SQLite", 2)] {
        let name = inFlight == 1 ? "durable: ingest 100k fills in batches of 4,096, \(store)"
            : "durable: ingest 100k fills, \(inFlight) batches of 4,096 in flight, \(store)"
        Benchmark(name,
                  configuration: .init(metrics: [.wallClock, eventsPerSecond], timeUnits: .milliseconds, warmupIterations: 1,
                                       maxDuration: .seconds(20), maxIterations: 10),
                  closure: { (benchmark: Benchmark, engine: DurableEngine?) in
            guard let engine else { return }
            do {
                let batches = await DurableBook.batches(for: engine, sharedEngineBook, count: fillsPerIteration, batch: 4_096,
                                                        unsequenced: inFlight > 1)
                let clock = ContinuousClock()
                let start = clock.now
                benchmark.startMeasurement()
                let applied = try await DurableBook.ingest(engine, batches, inFlight: inFlight)
                benchmark.stopMeasurement()
                let seconds = (clock.now - start) / .seconds(1)
                benchmark.measurement(eventsPerSecond, Int(Double(applied) / seconds / 1_000))
            } catch {
                benchmark.error("\(error)")
            }
        }, setup: { () async throws -> DurableEngine? in
            let opened: (any EventStore)? = store == "SQLite" ? try await DurableBook.sqlite(sharedEngineBook).0 : try await DurableBook.postgres(sharedEngineBook)
            guard let opened else { return nil }
            return try await DurableEngine.open(store: opened, documents: EngineDocuments())
        })
    }

    Benchmark("durable: replay 100k journal records (SQLite)", configuration: .init(metrics: [.wallClock, eventsPerSecond], timeUnits: .milliseconds,
                                                                                    warmupIterations: 0, maxDuration: .seconds(30), maxIterations: 3),
              closure: { (benchmark: Benchmark, setup: (any EventStore, [UInt8], Int)) in
        let (store, snapshot, records) = setup
        do {
            var engine = try SnapshotCodec.decode(snapshot, documents: EngineDocuments())
            let first = engine.lastSequence
            let clock = ContinuousClock()
            let start = clock.now
            benchmark.startMeasurement()
            try await DurableEngine.replay(into: &engine, store: store, documents: EngineDocuments())
            benchmark.stopMeasurement()
            let seconds = (clock.now - start) / .seconds(1)
            benchmark.measurement(eventsPerSecond, Int(Double(records) / seconds / 1_000))
            if engine.lastSequence != first + UInt64(records) { benchmark.error("replay stopped at \(engine.lastSequence)") }
        } catch {
            benchmark.error("\(error)")
        }
    }, setup: { () async throws -> (any EventStore, [UInt8], Int) in
        let book = sharedEngineBook
        let (store, _) = try await DurableBook.sqlite(book)
        let snapshot = SnapshotCodec.encode(book.engine)
        var copy = book.engine
        let events = book.fills(fillsPerIteration, first: copy.lastSequence + 1)
        var writer = BinaryWriter(capacity: 128)
        for chunk in stride(from: 0, to: events.count, by: 4_096) {
            var records: [JournalRecord] = []
            for event in events[chunk..<min(chunk + 4_096, events.count)] {
                _ = copy.apply(event)
                writer.reset()
                EventCodec.encode(event, into: &writer)
                records.append(JournalRecord(sequence: event.sequence, payload: writer.bytes))
            }
            try await store.append(records)
        }
        return (store, snapshot, events.count)
    })
}
