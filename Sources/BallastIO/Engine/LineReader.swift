import Foundation

/// Reads a file (or stdin) line by line in 1 MiB chunks, so a journal-sized events file is never held whole in
/// memory. Lines end with `\n` (a trailing `\r` is dropped); blank lines are skipped but counted.
public struct LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    /// Where the unread part of `buffer` starts.
    private var start = 0
    private var finished = false
    /// The 1-based number of the last line returned.
    public private(set) var lineNumber = 0

    /// Reads from `handle`.
    public init(handle: FileHandle) {
        self.handle = handle
    }

    /// The next non-blank line, or `nil` at the end.
    /// - Throws: an error from the file.
    public mutating func next() throws -> Data? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[start..<newline]
                start = newline + 1
                lineNumber += 1
                if let text = Self.content(line) { return text }
                continue
            }
            if finished {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                lineNumber += 1
                return Self.content(line)
            }
            buffer.removeSubrange(0..<start)
            start = 0
            if let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                buffer.append(contentsOf: chunk)
            } else {
                finished = true
            }
        }
    }

    /// The line without a trailing `\r`, or `nil` when it is blank.
    private static func content(_ line: ArraySlice<UInt8>) -> Data? {
        var line = line
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
        return Data(line)
    }
}
