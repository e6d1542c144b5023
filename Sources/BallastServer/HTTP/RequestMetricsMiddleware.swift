import Hummingbird

/// Times every request into `ballast_request_seconds{method, route, status}`. The route label is the path with
/// account ids and file names replaced by a placeholder (`/v1/accounts/{id}/margin`), so the label set stays small
/// (middleware runs before the router matches, so the matched template is not known here).
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context: context, status: Int(response.status.code), since: started)
            return response
        } catch let error as any HTTPResponseError {
            record(request, context: context, status: Int(error.status.code), since: started)
            throw error
        } catch {
            record(request, context: context, status: 500, since: started)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: Int, since started: ContinuousClock.Instant) {
        let route = Self.routeLabel(request.uri.path)
        metrics.recordRequest(method: request.method.rawValue, route: route, status: status, nanoseconds: (ContinuousClock.now - started).nanoseconds)
    }

    /// `/v1/accounts/alice/margin` → `/v1/accounts/{id}/margin`, `/static/app.js` → `/static/{file}`; a path of no
    /// route → `other`.
    static func routeLabel(_ path: String) -> String {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if segments.count >= 4, segments[2] == "accounts", segments[1] == "v1" || segments[1] == "dashboard" { segments[3] = "{id}" }
        if segments.count >= 3, segments[1] == "static" { segments = ["", "static", "{file}"] }
        let label = segments.joined(separator: "/")
        return Self.known.contains(label) ? label : "other"
    }

    /// Every route's label.
    static let known: Set<String> = [
        "/", "/health", "/ready", "/metrics", "/openapi.json", "/login", "/static/{file}", "/dashboard/accounts/{id}",
        "/v1/events", "/v1/parameters", "/v1/at-risk", "/v1/system", "/v1/stream", "/v1/accounts/{id}/margin",
        "/v1/accounts/{id}/status", "/v1/accounts/{id}/what-if", "/v1/accounts/{id}/max-size", "/v1/accounts/{id}/stream",
    ]
}
