import Foundation
import Logging

/// The log handler of `ballast serve`: lines on standard error in the format of swift-log's `StreamLogHandler`
/// (`time level label: key=value … [source] message`), with the metadata formatted when a line is written rather than
/// each time it is set.
///
/// The HTTP server sets a request id on its logger for every request; `StreamLogHandler` formats its whole metadata
/// again at every such assignment, which cost about 5 % of the service's CPU under load while almost no request logs a
/// line.
public struct ServiceLogHandler: LogHandler {
    /// The logger's label.
    public let label: String
    /// The lowest level written.
    public var logLevel: Logger.Level = .info
    /// Metadata of every line of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Metadata added when a line is written.
    public var metadataProvider: Logger.MetadataProvider?

    /// A handler for the logger `label`.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    /// One metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line: the logger's metadata, then the provider's, then the event's, later keys replacing earlier
    /// ones, sorted by key.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        let pretty = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(Self.timestamp()) \(event.level)\(label.isEmpty ? "" : " ")\(label):\(pretty) [\(event.source)] \(event.message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Local time as `YYYY-MM-DDThh:mm:ss±hhmm`.
    private static func timestamp() -> String {
        var now = time(nil)
        var local = tm()
        guard localtime_r(&now, &local) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
