import Crypto
import Foundation
import Synchronization

/// The API keys of a service, in `DATA/keys.json` (digests only; see ``APIKeyRecord``). Created and revoked by
/// `ballast keys`; a running service sees a new or revoked key at its next request (the file is re-read when its
/// modification time, size or inode changed: one `stat` per request).
public final class APIKeyStore: Sendable {
    /// The key file.
    public let path: String
    private struct State {
        var records: [String: APIKeyRecord] = [:]
        var version: FileVersion?
    }

    /// A version of the key file: its modification time, size and inode (an atomic replacement has a new inode even
    /// within one tick of the file system's clock).
    private struct FileVersion: Equatable {
        var seconds: Int
        var nanoseconds: Int
        var size: Int
        var inode: UInt64
    }
    private let state = Mutex(State())

    /// The store of `DATA/keys.json` in `directory` (the file need not exist yet).
    public init(directory: String) {
        path = (directory as NSString).appendingPathComponent("keys.json")
    }

    /// Every key, by id.
    /// - Throws: ``KeyStoreError`` if the file exists but cannot be read.
    public func records() throws(KeyStoreError) -> [APIKeyRecord] {
        try reloadIfChanged()
        return state.withLock { Array($0.records.values) }.sorted { $0.created == $1.created ? $0.id < $1.id : $0.created < $1.created }
    }

    /// Creates a key and stores its digest. Returns the key, which is shown once and never stored.
    /// - Throws: ``KeyStoreError`` if the file cannot be read or written, or an account key names no account.
    public func create(role: APIRole, account: String?, label: String?, now: Date = Date()) throws(KeyStoreError) -> (key: String, record: APIKeyRecord) {
        if role == .account, account?.isEmpty ?? true { throw .invalid("an account key needs --account") }
        if role == .admin, account != nil { throw .invalid("an admin key is not tied to an account (drop --account)") }
        var generator = SystemRandomNumberGenerator()
        let id = Self.hex((0..<8).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let secret = Self.hex((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let key = "bk_\(id)_\(secret)"
        let record = APIKeyRecord(id: id, role: role, account: account, label: label,
                                  created: ISO8601DateFormatter().string(from: now), sha256: Self.digest(key))
        var all = try records()
        all.append(record)
        try write(all)
        return (key, record)
    }

    /// Removes a key. Returns whether it existed.
    /// - Throws: ``KeyStoreError`` if the file cannot be read or written.
    public func revoke(id: String) throws(KeyStoreError) -> Bool {
        var all = try records()
        guard all.contains(where: { $0.id == id }) else { return false }
        all.removeAll { $0.id == id }
        try write(all)
        return true
    }

    /// Who `key` belongs to, or `nil` if it is not a valid key. The digest comparison takes the same time whatever
    /// the digests' common prefix.
    public func verify(_ key: String) -> Identity? {
        let parts = key.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "bk", parts[1].utf8.count == 16 else { return nil }
        let id = String(parts[1])
        // A key created or revoked since the last request: the file is re-read when its version changed.
        try? reloadIfChanged()
        guard let record = state.withLock({ $0.records[id] }), Self.constantTimeEqual(Self.digest(key), record.sha256) else { return nil }
        switch record.role {
        case .admin: return .admin(keyID: id)
        case .account: return record.account.map { .account(keyID: id, account: $0) }
        }
    }

    // MARK: File

    /// The key file's version, or `nil` if it does not exist: one `stat(2)` (FileManager's attributes cost a tenth of
    /// the service's time under load, measured).
    private func fileVersion() -> FileVersion? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return FileVersion(seconds: Int(modified.tv_sec), nanoseconds: Int(modified.tv_nsec), size: Int(info.st_size), inode: UInt64(info.st_ino))
    }

    private func reloadIfChanged() throws(KeyStoreError) {
        let version = fileVersion()
        if state.withLock({ $0.version == version && version != nil }) { return }
        guard let version else {
            state.withLock { $0 = State() }
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable("\(path): cannot read (size \(version.size))") }
        let file: KeyFile
        do {
            file = try JSONDecoder().decode(KeyFile.self, from: data)
        } catch {
            throw .unreadable("\(path): \(error)")
        }
        guard file.format == KeyFile.currentFormat else { throw .unreadable("\(path): format \"\(file.format)\" is not \(KeyFile.currentFormat)") }
        state.withLock {
            $0.records = Dictionary(file.keys.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            $0.version = version
        }
    }

    /// Writes the file atomically (a temporary file renamed over it), readable by its owner only.
    private func write(_ records: [APIKeyRecord]) throws(KeyStoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            let directory = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory, withIntermediateDirectories: true)
            let data = try encoder.encode(KeyFile(format: KeyFile.currentFormat, keys: records))
            let temporary = path + ".tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw KeyStoreError.unwritable("\(temporary): cannot create")
            }
            // rename(2) replaces the file atomically: a reader sees the old file or the new one, never a part.
            guard rename(temporary, path) == 0 else { throw KeyStoreError.unwritable("\(path): rename failed (errno \(errno))") }
        } catch let error as KeyStoreError {
            throw error
        } catch {
            throw .unwritable("\(path): \(error)")
        }
        state.withLock { $0.version = nil }
        try reloadIfChanged()
    }

    private struct KeyFile: Codable {
        static let currentFormat = "ballast.keys/1"
        var format: String
        var keys: [APIKeyRecord]
    }

    // MARK: Digests

    static func digest(_ key: String) -> String { hex(Array(SHA256.hash(data: Data(key.utf8)))) }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

/// Why the key file could not be used.
public enum KeyStoreError: Error, Sendable, CustomStringConvertible {
    /// The file exists but is not a key file.
    case unreadable(String)
    /// The file cannot be written.
    case unwritable(String)
    /// The request is not valid.
    case invalid(String)

    /// A sentence.
    public var description: String {
        switch self {
        case .unreadable(let reason): return "key file unreadable: \(reason)"
        case .unwritable(let reason): return "key file not written: \(reason)"
        case .invalid(let reason): return reason
        }
    }
}
