import Logging

/// The log handler of `ballast serve`: swift-log's `StreamLogHandler` on standard error (its line format, its
/// timestamp, its error metadata), except that the logger's own metadata is formatted when a line is written rather
/// than each time it is set.
///
/// The HTTP server sets a request id on its logger for every request; `StreamLogHandler` formats its whole metadata
/// again at every such assignment, which cost about 5 % of the service's CPU under load while almost no request logs a
/// line. Here the metadata is kept aside and handed to the stream handler with each line, in the order it would have
/// merged it: the logger's, then the provider's, then the line's own.
public struct ServiceLogHandler: LogHandler {
    /// Formats and writes the lines; its own metadata stays empty, so setting metadata formats nothing.
    private var stream: StreamLogHandler
    /// Metadata of every line of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Metadata added when a line is written.
    public var metadataProvider: Logger.MetadataProvider?

    /// A handler for the logger `label`.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        stream = StreamLogHandler.standardError(label: label, metadataProvider: nil)
        self.metadataProvider = metadataProvider
    }

    /// The lowest level written.
    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    /// One metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line through the stream handler, with this logger's metadata merged under the provider's and the
    /// line's.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        var event = event
        event.metadata = merged
        stream.log(event: event)
    }
}
