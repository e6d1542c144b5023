import BallastIO
import BallastStore
import Foundation
import HTTPTypes
import Hummingbird

/// The dashboard: `/` (an admin's overview; an account key goes to its account), `/dashboard/accounts/{id}`, the
/// login and logout pages, and `/static/{file}`.
struct DashboardRoutes {
    let service: RiskService
    let pages: DashboardPages

    func add(to router: Router<ServerContext>) {
        router.get("/") { _, context in
            guard let identity = context.identity else { throw APIError.unauthorized }
            if case .account(_, let account) = identity {
                return Response(status: .seeOther, headers: [.location: "/dashboard/accounts/\(Self.pathEscape(account))"])
            }
            let system = await service.systemDocument()
            let atRisk = await service.engine.read { SystemQueries.atRisk($0, limit: 20) }
            return ContentResponse.html(pages.overview(system: system, atRisk: atRisk)).response
        }
        router.get("dashboard/accounts/{id}") { _, context in
            let id = context.parameters.decoded("id")
            let snapshot = try await service.visibleSnapshot(context.identity, account: id)
            let documents: (Data, Data)
            do throws(QueryError) {
                documents = (try AccountQueries.status(snapshot), try AccountQueries.report(snapshot))
            } catch {
                throw APIError(error)
            }
            return ContentResponse.html(pages.account(id: id, status: documents.0, report: documents.1)).response
        }
        router.get("login") { request, _ in
            let parameters = request.uri.queryParameters
            let next = Self.safeNext(parameters["next"].map(String.init))
            // A key in the address (as `ballast serve --demo` prints it) signs in at once, like a notebook token.
            if let key = parameters["key"].map(String.init) { return signIn(key: key, next: next) }
            return DashboardPages.loginResponse(status: .ok, next: next, message: nil)
        }
        router.post("login") { request, _ in
            let body = try await request.collectBody(upTo: 16_384)
            let form = URLComponents(string: "/?" + String(decoding: body, as: UTF8.self).replacingOccurrences(of: "+", with: " "))
            let items = form?.queryItems ?? []
            let key = items.first { $0.name == "key" }?.value ?? ""
            return signIn(key: key, next: Self.safeNext(items.first { $0.name == "next" }?.value))
        }
        router.get("logout") { _, _ in
            var response = Response(status: .seeOther, headers: [.location: "/login"])
            response.setCookie(Cookie(name: AuthenticationMiddleware.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        router.get("static/{file}") { _, context in
            let file = context.parameters.get("file") ?? ""
            guard let text = ServerResources.text("static/\(file)") else {
                throw APIError(.notFound, code: "not_found", message: "no static file \"\(file)\"")
            }
            let type = file.hasSuffix(".css") ? "text/css; charset=utf-8" : file.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "text/plain"
            return ContentResponse.text(text, type: type, cacheControl: "max-age=300").response
        }
    }

    /// Sets the session cookie for a valid key and goes to `next`; shows the form again otherwise.
    private func signIn(key: String, next: String) -> Response {
        guard service.keys.verify(key) != nil else {
            return DashboardPages.loginResponse(status: .unauthorized, next: next, message: "That key is not valid.")
        }
        var response = Response(status: .seeOther, headers: [.location: next])
        response.setCookie(Cookie(name: AuthenticationMiddleware.cookieName, value: key, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    /// A local path to go to after signing in (anything else, such as another site, becomes `/`).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }

    /// An account id as a path segment.
    static func pathEscape(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? id
    }
}
