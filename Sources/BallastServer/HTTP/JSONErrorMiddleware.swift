import HTTPTypes
import Hummingbird

/// Answers the framework's own errors (a path no route matches, a body over the size limit, …) with the API's JSON
/// error body, as every other error: `{"error": {"code": "not_found", "message": "no route GET /v1/nope"}}`. Without
/// it they came with an empty body.
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let message = error.body ?? (error.status == .notFound ? "no route \(request.method.rawValue) \(request.uri.path)" : error.status.reasonPhrase)
            var answer = try APIError(error.status, code: Self.code(error.status), message: message).response(from: request, context: context)
            for field in error.headers where answer.headers[field.name] == nil { answer.headers.append(field) }
            return answer
        }
    }

    /// The API's code for a status: the documented ones (`not_found`, `invalid_request`, `too_large`, `unprocessable`,
    /// `unauthorized`, `forbidden`), else the reason phrase in snake case.
    static func code(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: return "not_found"
        case .badRequest: return "invalid_request"
        case .contentTooLarge: return "too_large"
        case .unprocessableContent: return "unprocessable"
        default: return status.reasonPhrase.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "_")
        }
    }
}
