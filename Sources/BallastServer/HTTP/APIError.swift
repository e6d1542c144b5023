import BallastEngine
import BallastIO
import Foundation
import HTTPTypes
import Hummingbird

/// An error answer of the API: an HTTP status and a JSON body
/// `{"error": {"code": "...", "message": "...", "field": "..."}}`. Nothing is applied when a request ends in one.
public struct APIError: HTTPResponseError, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A stable machine-readable code (`unauthorized`, `not_found`, `invalid_request`, …).
    public var code: String
    /// A sentence naming the field and the value.
    public var message: String
    /// The field at fault, if any.
    public var field: String?

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    /// 401: no key, or not a valid one.
    static let unauthorized = APIError(.unauthorized, code: "unauthorized",
                                       message: "a valid API key is required (Authorization: Bearer <key>)")
    /// 403: a valid key that may not do this (an account key on an admin route).
    static let forbidden = APIError(.forbidden, code: "forbidden", message: "this route needs an admin key")

    /// 404 for an account the caller may not see, or that does not exist: the same answer, so existence never leaks.
    static func accountNotFound(_ id: String) -> APIError {
        APIError(.notFound, code: "not_found", message: "no account \"\(id)\"", field: "account")
    }

    /// 426 for a stream route asked by a plain GET: it answers only a WebSocket upgrade (`Connection: Upgrade`,
    /// `Upgrade: websocket`); `connection` and `upgrade` are the request's headers, if any.
    static func upgradeRequired(path: String, connection: String?, upgrade: String?) -> APIError {
        let sent = [("Connection", connection), ("Upgrade", upgrade)].map { name, value in
            value.map { "\(name): \($0)" } ?? "no \(name) header"
        }.joined(separator: ", ")
        return APIError(.upgradeRequired, code: "upgrade_required",
                        message: "\(path) is a WebSocket stream: send a GET with Connection: Upgrade and Upgrade: websocket (this one has \(sent))",
                        field: "Upgrade")
    }

    /// The error of a failed query.
    init(_ error: QueryError) {
        switch error.kind {
        case .notFound: self.init(.notFound, code: error.kind.rawValue, message: error.message, field: error.field)
        case .invalid: self.init(.badRequest, code: error.kind.rawValue, message: error.description, field: error.field)
        case .unprocessable: self.init(.unprocessableContent, code: error.kind.rawValue, message: error.description, field: error.field)
        }
    }

    /// 400 for an unreadable request document.
    init(_ error: InputError) {
        self.init(.badRequest, code: "invalid_request", message: error.description, field: error.path)
    }

    /// 422 for an event the engine refused.
    init(_ rejection: EventRejection) {
        self.init(.unprocessableContent, code: rejection.code.rawValue, message: rejection.message, field: rejection.field)
    }

    /// The JSON response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = ContentResponse.json(body, status: status).response
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"ballast\"" }
        if status == .upgradeRequired {
            // RFC 9110 §15.5.22 and §7.8: the protocol to upgrade to, and Connection naming the Upgrade header.
            response.headers[.upgrade] = "websocket"
            response.headers[.connection] = "Upgrade"
        }
        return response
    }

    /// The JSON body.
    var body: Data {
        struct Body: Encodable {
            struct Detail: Encodable {
                var code: String
                var message: String
                var field: String?
            }
            var error: Detail
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(Body(error: .init(code: code, message: message, field: field)))) ?? Data("{}".utf8)
    }
}
