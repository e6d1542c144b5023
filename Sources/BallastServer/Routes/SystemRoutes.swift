import BallastEngine
import BallastIO
import BallastStore
import Foundation
import HTTPTypes
import Hummingbird

/// Events in, and the system-wide reads: `POST /v1/events`, `GET|POST /v1/parameters`, `GET /v1/at-risk`,
/// `GET /v1/system`, `GET /metrics`, and the public `GET /health`, `GET /ready`, `GET /openapi.json`.
struct SystemRoutes {
    let service: RiskService

    func add(to router: Router<ServerContext>) {
        router.get("health") { _, _ in ContentResponse.json(Data(#"{"status":"ok"}"#.utf8)) }
        router.get("ready") { _, _ in
            if await service.engine.hasFailed {
                return ContentResponse.json(Data(#"{"status":"journal failed: restart the service"}"#.utf8), status: .serviceUnavailable)
            }
            let sequence = await service.engine.durableSequence
            return ContentResponse.json(Data(#"{"status":"ready","durable_sequence":\#(sequence)}"#.utf8))
        }
        router.get("openapi.json") { _, _ in
            guard let document = ServerResources.text("openapi.json") else {
                throw APIError(.internalServerError, code: "missing_resource", message: "the OpenAPI document is not bundled")
            }
            return ContentResponse.text(document, type: "application/json")
        }
        router.post("v1/events") { request, context in
            _ = try context.requireAdmin()
            let body = try await request.collectBody(upTo: service.configuration.maxBodyBytes)
            let answer = try await service.submit(body)
            return ContentResponse.json(answer.document, status: answer.single && answer.rejected ? .unprocessableContent : .ok)
        }
        router.get("v1/parameters") { _, _ in
            ContentResponse.json(await service.engine.read { SystemQueries.parameters($0) })
        }
        router.post("v1/parameters") { request, context in
            _ = try context.requireAdmin()
            let body = try await request.collectBody(upTo: service.configuration.maxBodyBytes)
            let now = Date()
            let event: Data
            do throws(InputError) {
                event = try ParameterSubmission.eventJSON(from: body, now: ISO8601DateFormatter().string(from: now))
            } catch {
                throw APIError(error)
            }
            let answer = try await service.submit(event, now: now)
            return ContentResponse.json(answer.document, status: answer.rejected ? .unprocessableContent : .ok)
        }
        router.get("v1/at-risk") { request, context in
            _ = try context.requireAdmin()
            let text = request.uri.queryParameters["limit"].map(String.init) ?? "50"
            guard let limit = Int(text), (1...1_000).contains(limit) else {
                throw APIError(.badRequest, code: "invalid_request", message: "limit: \"\(text)\" is not a number in 1...1000", field: "limit")
            }
            return ContentResponse.json(await service.engine.read { SystemQueries.atRisk($0, limit: limit) })
        }
        router.get("v1/system") { _, context in
            _ = try context.requireAdmin()
            return ContentResponse.json(await service.systemDocument())
        }
        router.get("metrics") { _, context in
            _ = try context.requireAdmin()
            service.metrics.recordUnits(await service.summary().units)
            service.metrics.setStreamClients(service.hub.clientCount)
            return ContentResponse.text(service.metrics.exposition(), type: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}

extension RiskService {
    /// The system document (`ballast.system/1`): the engine summary, the durable sequence and the stream clients.
    func systemDocument() async -> Data {
        struct Document: Encodable {
            var type = "system"
            var format = "ballast.system/1"
            var summary: EngineStateSummary
            var durableSequence: UInt64
            var streamClients: Int
        }
        let document = Document(summary: await summary(), durableSequence: await engine.durableSequence, streamClients: hub.clientCount)
        return APIJSON.encode(document)
    }
}
