import Foundation
import HTTPTypes
import Hummingbird

/// Verifies the API key of every request except the public routes (health, readiness, the OpenAPI document, the
/// login page and static files), and puts the caller's ``Identity`` in the context.
///
/// The key comes from `Authorization: Bearer <key>`, or, for GET requests only (dashboard pages and its WebSocket,
/// which a browser cannot give a header), from the `ballast_key` cookie that the login page sets (HttpOnly,
/// SameSite=Strict, so another site can neither read it nor make the browser send it). A missing or invalid key gets
/// 401 before any route runs; for a browser asking for a page, the 401 carries the login form.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    /// The cookie the login page sets.
    static let cookieName = "ballast_key"

    let keys: APIKeyStore

    /// Paths anyone may read.
    static func isPublic(_ path: String) -> Bool {
        path == "/health" || path == "/ready" || path == "/openapi.json" || path == "/login" || path.hasPrefix("/static/")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.isPublic(request.uri.path) { return try await next(request, context) }
        var context = context
        guard let key = Self.presentedKey(request), let identity = keys.verify(key) else {
            if request.method == .get, request.headers[.accept]?.contains("text/html") == true {
                return DashboardPages.loginResponse(status: .unauthorized, next: request.uri.path, message: nil)
            }
            throw APIError.unauthorized
        }
        context.identity = identity
        return try await next(request, context)
    }

    /// The key a request presents.
    static func presentedKey(_ request: Request) -> String? {
        if let authorization = request.headers[.authorization] { return bearerKey(authorization) }
        guard request.method == .get else { return nil }
        return request.cookies[cookieName]?.value
    }

    /// The key of an `Authorization: Bearer KEY` value (scheme in any case), without the spaces and tabs around it;
    /// `nil` for another scheme or no key. Trimmed in Swift: Foundation's trimming went through NSString, 3 % of the
    /// service's CPU under load.
    static func bearerKey(_ authorization: String) -> String? {
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        func isSpace(_ character: Character) -> Bool { character.isWhitespace && !character.isNewline }
        var key = parts[1].drop(while: isSpace)
        while let last = key.last, isSpace(last) { key = key.dropLast() }
        return key.isEmpty ? nil : String(key)
    }
}

extension ServerContext {
    /// The caller, who must be an admin.
    /// - Throws: ``APIError`` 401 without a key, 403 for an account key.
    func requireAdmin() throws -> Identity {
        guard let identity else { throw APIError.unauthorized }
        guard identity.isAdmin else { throw APIError.forbidden }
        return identity
    }
}
