import BallastEngine
import BallastIO
import BallastStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/v1/accounts/{id}/…`: the margin report, the status headline, what-if and max-size, for an admin or for a key of
/// the account (or of another member of its margin group). Any other account answers 404, as an unknown one does.
struct AccountRoutes {
    let service: RiskService

    func add(to router: Router<ServerContext>) {
        let accounts = router.group("v1/accounts")
        accounts.get("{id}/margin") { request, context in
            let id = try await visibleAccount(context)
            return JSONResponse(body: try await query { try AccountQueries.report($0, account: id) })
        }
        accounts.get("{id}/status") { request, context in
            let id = try await visibleAccount(context)
            return JSONResponse(body: try await query { try AccountQueries.status($0, account: id) })
        }
        accounts.post("{id}/what-if") { request, context in
            let id = try await visibleAccount(context)
            let body = try await request.collectBody(upTo: service.configuration.maxBodyBytes)
            return JSONResponse(body: try await query { try AccountQueries.whatIf($0, account: id, body: body) })
        }
        accounts.get("{id}/max-size") { request, context in
            let id = try await visibleAccount(context)
            let parameters = request.uri.queryParameters
            let instrument = parameters["instrument"].map(String.init)
            let side = parameters["side"].map(String.init)
            let price = parameters["price"].map(String.init)
            let leverage = parameters["leverage"].map(String.init)
            let isolatedText = parameters["isolated"].map(String.init) ?? "false"
            guard let isolated = Bool(isolatedText) else {
                throw APIError(.badRequest, code: "invalid_request", message: "isolated: \"\(isolatedText)\" is not true or false", field: "isolated")
            }
            return JSONResponse(body: try await query {
                try AccountQueries.maxSize($0, account: id, instrument: instrument, side: side, price: price, leverage: leverage, isolated: isolated)
            })
        }
    }

    /// The `{id}` of the path, if the caller may see it.
    /// - Throws: ``APIError`` 404 otherwise.
    private func visibleAccount(_ context: ServerContext) async throws -> String {
        let id = context.parameters.get("id") ?? ""
        guard await service.canSee(context.identity, account: id) else { throw APIError.accountNotFound(id) }
        return id
    }

    /// Runs a query on the engine's state, mapping its error to the API's.
    private func query(_ body: @escaping @Sendable (Engine) throws -> Data) async throws -> Data {
        do {
            return try await service.engine.read { engine in try body(engine) }
        } catch let error as QueryError {
            throw APIError(error)
        }
    }
}
