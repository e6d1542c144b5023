import BallastIO

/// How `ballast serve` runs: where it listens, where its state lives, its limits.
public struct ServerConfiguration: Sendable {
    /// The address to bind (loopback by default: put a TLS proxy in front to expose it).
    public var host: String
    /// The port (0: any free port, reported once listening).
    public var port: Int
    /// Where the journal and snapshots live.
    public var store: StoreLocation
    /// The directory holding the key file (`keys.json`).
    public var dataDirectory: String
    /// The genesis document for a new store (`nil`: the store must exist).
    public var genesis: String?
    /// Take a snapshot after this many applied events (`nil`: never).
    public var snapshotInterval: Int?
    /// The largest request body accepted, in bytes (larger: 413, nothing applied).
    public var maxBodyBytes: Int
    /// The most events in one submission.
    public var maxBatchEvents: Int
    /// Messages a stream client may have waiting before it is dropped as too slow.
    public var streamBuffer: Int
    /// The time limits of an HTTP connection (`nil`: none): a new connection must send its first request's head
    /// within this time (an upgrade request: the whole request), and a connection silent this long between requests
    /// or within a request's body is closed (a WebSocket stream, once upgraded, is not limited). So a client that
    /// opens connections and sends nothing, or sends a head slowly, or declares a body it never sends, cannot hold
    /// them for ever.
    public var idleTimeout: Duration?

    /// A configuration with the defaults of `ballast serve`.
    public init(host: String = "127.0.0.1", port: Int = 8080, store: StoreLocation = .data("ballast-data"), dataDirectory: String = "ballast-data",
                genesis: String? = nil, snapshotInterval: Int? = 100_000, maxBodyBytes: Int = 4 << 20, maxBatchEvents: Int = 10_000,
                streamBuffer: Int = 1_024, idleTimeout: Duration? = .seconds(60)) {
        self.host = host
        self.port = port
        self.store = store
        self.dataDirectory = dataDirectory
        self.genesis = genesis
        self.snapshotInterval = snapshotInterval
        self.maxBodyBytes = maxBodyBytes
        self.maxBatchEvents = maxBatchEvents
        self.streamBuffer = streamBuffer
        self.idleTimeout = idleTimeout
    }
}
