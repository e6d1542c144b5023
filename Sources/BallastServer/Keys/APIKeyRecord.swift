import Foundation

/// What a key may do.
public enum APIRole: String, Codable, Sendable, Hashable {
    /// Submits events and parameter changes, reads every account and the system.
    case admin
    /// Reads and simulates only its own account (and the other members of its margin group).
    case account
}

/// A stored API key: everything but the secret, which is kept only as its SHA-256 digest.
///
/// A key reads `bk_<id>_<secret>`: `id` (16 hex digits) finds the record, the digest of the whole key proves it. Keys
/// are 128-bit random secrets, so a fast digest suffices (a password hash guards low-entropy secrets; these are not).
public struct APIKeyRecord: Codable, Sendable, Hashable {
    /// The public identifier (16 hex digits), printed by `ballast keys list`.
    public var id: String
    /// What the key may do.
    public var role: APIRole
    /// The account of an account key.
    public var account: String?
    /// A note for people (who holds the key).
    public var label: String?
    /// When it was created (ISO 8601).
    public var created: String
    /// The SHA-256 digest of the whole key, lowercase hex.
    public var sha256: String
}

/// Who a request acts as, once its key is verified.
public enum Identity: Sendable, Hashable {
    /// An admin key.
    case admin(keyID: String)
    /// An account key.
    case account(keyID: String, account: String)

    /// The key's id.
    public var keyID: String {
        switch self {
        case .admin(let id), .account(let id, _): return id
        }
    }

    /// Whether this is an admin.
    public var isAdmin: Bool {
        if case .admin = self { return true }
        return false
    }
}
