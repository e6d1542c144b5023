import BallastIO
import BallastStore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOWebSocket

/// The WebSocket streams. `/v1/stream` (admin): every signal, and a `system` message every second while the engine
/// moves. `/v1/accounts/{id}/stream` (the account's key, or an admin): the account's `status` at once and whenever the
/// engine moved (at most once a second), and the signals of its pool. Messages are JSON texts with a `type`
/// (signal, status, system). A client that cannot keep up (its queue of ``ServerConfiguration/streamBuffer``
/// messages is full) is closed with code 1008 and the reason "too slow"; the engine never waits for a client.
struct StreamRoutes {
    let service: RiskService
    /// How often a stream checks whether the engine moved.
    let updateInterval: Duration

    /// The upgrades, on the router the WebSocket library consults for a request that asks for one (a refused upgrade
    /// is answered by the library with an empty 400).
    func addUpgrades(to router: Router<ServerContext>) {
        router.ws("v1/stream") { _, context in
            _ = try context.requireAdmin()
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, _ in
            let subscription = service.hub.subscribe(.all)
            try await run(subscription, inbound: inbound, outbound: outbound) {
                String(decoding: await service.systemDocument(), as: UTF8.self)
            }
        }
        router.ws("v1/accounts/{id}/stream") { _, context in
            _ = try await Self.requireVisibleAccount(context, service: service)
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let id = context.requestContext.parameters.decoded("id")
            let subscription = service.hub.subscribe(await service.filter(account: id))
            try await run(subscription, inbound: inbound, outbound: outbound) {
                guard let snapshot = await service.engine.read({ try? PoolSnapshot($0, account: id) }),
                      let status = try? service.reports.answer(.status, for: snapshot) else { return nil }
                return String(decoding: status, as: UTF8.self)
            }
        }
    }

    /// The same paths on the HTTP router, which a GET reaches when the library does not take it as an upgrade: the
    /// key's checks, then 426 with the JSON error (a stream route there would answer an empty 200).
    static func addPlainAnswers(to router: Router<ServerContext>, service: RiskService) {
        router.get("v1/stream") { request, context -> Response in
            _ = try context.requireAdmin()
            throw upgradeRequired(request)
        }
        router.get("v1/accounts/{id}/stream") { request, context -> Response in
            _ = try await requireVisibleAccount(context, service: service)
            throw upgradeRequired(request)
        }
    }

    /// The `{id}` of an account stream's path, if the caller's key may see that account (404 otherwise, as for one
    /// that does not exist): the one check of both the upgrade and the plain GET.
    private static func requireVisibleAccount(_ context: ServerContext, service: RiskService) async throws(APIError) -> String {
        let id = context.parameters.decoded("id")
        guard await service.canSee(context.identity, account: id) else { throw .accountNotFound(id) }
        return id
    }

    /// The 426 of a plain GET of a stream, naming what the request sent.
    private static func upgradeRequired(_ request: Request) -> APIError {
        .upgradeRequired(path: request.uri.path, connection: request.headers[.connection], upgrade: request.headers[.upgrade])
    }

    /// Serves one client until it leaves, it is dropped, or the service stops: writes its queued messages, and
    /// `update()` (if not nil) at once and then whenever the engine's sequence moved.
    private func run(_ subscription: StreamSubscription, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
                     update: @escaping @Sendable () async -> String?) async throws {
        service.metrics.streamConnected()
        defer {
            service.metrics.streamDisconnected()
            subscription.end()
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            // The client's own messages are read and ignored; the loop ends when it closes.
            group.addTask { for try await _ in inbound {} }
            group.addTask {
                var seen: UInt64?
                while !Task.isCancelled {
                    let sequence = await service.engine.durableSequence
                    if sequence != seen, let message = await update() {
                        seen = sequence
                        // A client dropped as too slow has its queue finished: the writer below ends and sends the
                        // close reason, then this task is cancelled.
                        subscription.send(message)
                    }
                    try await Task.sleep(for: updateInterval)
                }
            }
            group.addTask {
                for await message in subscription.messages {
                    if subscription.isDropped { break }
                    try await outbound.write(.text(message))
                }
                if subscription.ending == .tooSlow {
                    service.metrics.streamClientDropped()
                    try await outbound.close(.policyViolation, reason: "too slow: more than \(service.hub.capacity) messages waiting")
                }
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }
}
