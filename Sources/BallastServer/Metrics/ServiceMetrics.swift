import BallastCore
import BallastEngine
import CoreMetrics
import Prometheus
import Synchronization

/// The service's metrics (swift-metrics' CoreMetrics, exported in Prometheus' text format at `/metrics`). Each service owns its
/// registry, so two services in one process (tests) never share counts and nothing global is bootstrapped.
///
/// | metric | kind | labels |
/// |---|---|---|
/// | `ballast_events_total` | counter | `outcome` (applied, duplicate, rejected) |
/// | `ballast_event_rejects_total` | counter | `reason` (the rejection code) |
/// | `ballast_signals_total` | counter | `kind` (margin_call, reduce_only, liquidation, bankrupt, recovered) |
/// | `ballast_event_apply_seconds` | histogram | submission received → every event of it durable |
/// | `ballast_tick_to_signal_seconds` | histogram | price update received → its signals published |
/// | `ballast_request_seconds` | histogram | `method`, `route`, `status` |
/// | `ballast_margin_units` | gauge | `state` (margin units by their worst pool's state, at scrape time) |
/// | `ballast_stream_clients` | gauge | connected WebSocket clients |
/// | `ballast_stream_dropped_total` | counter | stream clients dropped as too slow |
public final class ServiceMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let outcomes: [String: CoreMetrics.Counter]
    private let signals: [Signal.Kind: CoreMetrics.Counter]
    private let states: [HealthState: CoreMetrics.Gauge]
    private let rejects = Mutex<[String: CoreMetrics.Counter]>([:])
    private let requests = Mutex<[String: CoreMetrics.Timer]>([:])
    private let eventApply: CoreMetrics.Timer
    private let tickToSignal: CoreMetrics.Timer
    private let streamClients: CoreMetrics.Meter
    private let streamDropped: CoreMetrics.Counter

    /// Metrics on a new registry.
    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
        outcomes = Dictionary(uniqueKeysWithValues: ["applied", "duplicate", "rejected"].map {
            ($0, CoreMetrics.Counter(label: "ballast_events_total", dimensions: [("outcome", $0)], factory: factory))
        })
        signals = Dictionary(uniqueKeysWithValues: Signal.Kind.allCases.map {
            ($0, CoreMetrics.Counter(label: "ballast_signals_total", dimensions: [("kind", $0.rawValue)], factory: factory))
        })
        states = Dictionary(uniqueKeysWithValues: HealthState.allCases.map {
            ($0, CoreMetrics.Gauge(label: "ballast_margin_units", dimensions: [("state", $0.rawValue)], factory: factory))
        })
        eventApply = CoreMetrics.Timer(label: "ballast_event_apply_seconds", factory: factory)
        tickToSignal = CoreMetrics.Timer(label: "ballast_tick_to_signal_seconds", factory: factory)
        streamClients = CoreMetrics.Meter(label: "ballast_stream_clients", factory: factory)
        streamDropped = CoreMetrics.Counter(label: "ballast_stream_dropped_total", factory: factory)
    }

    /// Counts the outcome of one event.
    func record(_ outcome: EventOutcome) {
        switch outcome {
        case .applied: outcomes["applied"]?.increment()
        case .duplicate: outcomes["duplicate"]?.increment()
        case .rejected(let rejection):
            outcomes["rejected"]?.increment()
            let code = rejection.code.rawValue
            let counter = rejects.withLock { counters in
                if let counter = counters[code] { return counter }
                let counter = CoreMetrics.Counter(label: "ballast_event_rejects_total", dimensions: [("reason", code)], factory: factory)
                counters[code] = counter
                return counter
            }
            counter.increment()
        }
    }

    /// Records a submission's latency (received → durable); `tick` if it was a price update that caused signals.
    func recordSubmission(nanoseconds: Int64, tick: Bool) {
        eventApply.recordNanoseconds(nanoseconds)
        if tick { tickToSignal.recordNanoseconds(nanoseconds) }
    }

    /// A stream client connected.
    func streamConnected() { streamClients.increment() }

    /// A stream client left.
    func streamDisconnected() { streamClients.decrement() }

    /// A stream client was dropped as too slow.
    func streamClientDropped() { streamDropped.increment() }

    /// Sets the connected stream clients (at scrape time).
    func setStreamClients(_ count: Int) { streamClients.set(count) }

    /// Counts a published signal.
    func record(_ signal: Signal) {
        signals[signal.kind]?.increment()
    }

    /// Records a request's duration.
    func recordRequest(method: String, route: String, status: Int, nanoseconds: Int64) {
        let key = "\(method) \(route) \(status)"
        let timer = requests.withLock { timers in
            if let timer = timers[key] { return timer }
            let timer = CoreMetrics.Timer(label: "ballast_request_seconds", dimensions: [("method", method), ("route", route), ("status", "\(status)")],
                              factory: factory)
            timers[key] = timer
            return timer
        }
        timer.recordNanoseconds(nanoseconds)
    }

    /// Sets the units-by-state gauges.
    func recordUnits(_ counts: [String: Int]) {
        for (state, gauge) in states { gauge.record(counts[state.rawValue] ?? 0) }
    }

    /// The Prometheus text exposition.
    public func exposition() -> String {
        registry.emitToString()
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow ? .max : seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
