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
        accounts.get("{id}/margin") { _, context in ContentResponse.json(try await cachedRead(.report, context)) }
        accounts.get("{id}/status") { _, context in ContentResponse.json(try await cachedRead(.status, context)) }
        accounts.post("{id}/what-if") { request, context in
            let snapshot = try await snapshot(context)
            let body = try await request.collectBody(upTo: service.configuration.maxBodyBytes)
            return ContentResponse.json(try answer { () throws(QueryError) in try AccountQueries.whatIf(snapshot, body: body) })
        }
        accounts.get("{id}/max-size") { request, context in
            let snapshot = try await snapshot(context)
            let parameters = request.uri.queryParameters
            let instrument = parameters["instrument"].map(String.init)
            let side = parameters["side"].map(String.init)
            let price = parameters["price"].map(String.init)
            let leverage = parameters["leverage"].map(String.init)
            let positionSide = parameters["position_side"].map(String.init)
            // Omitted: the account's margin mode for the instrument.
            var isolated: Bool?
            if let isolatedText = parameters["isolated"].map(String.init) {
                guard let given = Bool(isolatedText) else {
                    throw APIError(.badRequest, code: "invalid_request", message: "isolated: \"\(isolatedText)\" is not true or false", field: "isolated")
                }
                isolated = given
            }
            return ContentResponse.json(try answer { () throws(QueryError) in
                try AccountQueries.maxSize(snapshot, instrument: instrument, side: side, price: price, leverage: leverage, isolated: isolated,
                                           positionSide: positionSide)
            })
        }
    }

    /// The snapshot of the `{id}` of the path, if the caller may see it: one read of the engine; every answer is then
    /// computed on the request's own task, so reads run on every core and never hold up the engine's writer.
    /// - Throws: ``APIError`` 404 otherwise.
    private func snapshot(_ context: ServerContext) async throws(APIError) -> PoolSnapshot {
        try await service.visibleSnapshot(context.identity, account: context.parameters.decoded("id"))
    }

    /// A cached read of the `{id}` of the path: the answer cached at the settled sequence at once (an admin or the
    /// account's own key), otherwise from a snapshot, cached for the next read.
    /// - Throws: ``APIError`` 404 for an account the caller may not see, 422 when the pool cannot be margined.
    private func cachedRead(_ kind: ReportCache.Kind, _ context: ServerContext) async throws(APIError) -> Data {
        if let body = service.settledAnswer(kind, context.identity, account: context.parameters.decoded("id")) { return body }
        let snapshot = try await snapshot(context)
        return try answer { () throws(QueryError) in try service.reports.answer(kind, for: snapshot) }
    }

    /// Runs a query, mapping its error to the API's.
    private func answer(_ body: () throws(QueryError) -> Data) throws(APIError) -> Data {
        do {
            return try body()
        } catch {
            throw APIError(error)
        }
    }
}
