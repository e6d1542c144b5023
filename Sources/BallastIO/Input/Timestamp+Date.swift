import BallastCore
import Foundation

extension Timestamp {
    /// A wall-clock date as an engine timestamp (whole milliseconds, rounded down): the time of API events that give
    /// none, and of the demo.
    public init(_ date: Date) {
        self.init(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
