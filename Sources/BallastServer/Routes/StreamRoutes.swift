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

    func add(to router: Router<ServerContext>) {
        router.ws("v1/stream") { request, context in
            _ = try context.requireAdmin()
            try Self.requireUpgrade(request)
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, _ in
            let subscription = service.hub.subscribe(.all)
            try await run(subscription, inbound: inbound, outbound: outbound) {
                String(decoding: await service.systemDocument(), as: UTF8.self)
            }
        }
        router.ws("v1/accounts/{id}/stream") { request, context in
            let id = context.parameters.decoded("id")
            guard await service.canSee(context.identity, account: id) else { throw APIError.accountNotFound(id) }
            try Self.requireUpgrade(request)
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

    /// Throws 426 unless `request` asks for a WebSocket upgrade (`Connection` has the token `upgrade` and `Upgrade`
    /// the token `websocket`). The upgrade itself goes through the WebSocket library, which calls the same route; a
    /// plain GET reaches the route through the HTTP router, where returning "upgrade" would answer an empty 200.
    static func requireUpgrade(_ request: Request) throws(APIError) {
        func has(_ value: String?, token: String) -> Bool {
            value?.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == token } ?? false
        }
        let (connection, upgrade) = (request.headers[.connection], request.headers[.upgrade])
        guard has(connection, token: "upgrade") && has(upgrade, token: "websocket") else {
            throw .upgradeRequired(path: request.uri.path, connection: connection, upgrade: upgrade)
        }
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
