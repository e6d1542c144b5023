import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP and WebSocket server of a ``RiskService``: the routes, the authentication and metrics middleware, the
/// signal pump and (with `--demo`) the demo driver, as one Hummingbird application.
public enum RiskServer {
    /// The application serving `service` on its configured address. `onListening` receives the bound port (useful
    /// with port 0).
    /// - Throws: ``APIError`` if a bundled template is missing.
    public static func application(service: RiskService, demo: DemoDriver.Options? = nil, logger: Logger,
                                   streamUpdateInterval: Duration = .seconds(1),
                                   onListening: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let router = try router(service: service)
        var services: [any Service] = [SignalPump(service: service)]
        if let demo { services.append(DemoDriver(service: service, options: demo, logger: logger)) }
        let configuration = service.configuration
        // `.http1WebSocketUpgrade(webSocketRouter:)`, with a connection whose first request cannot be parsed or does
        // not arrive in time closed (see ``ClosingChildChannel``), and kept-alive connections closed once idle.
        let webSocketResponder = webSocketRouter(service: service, streamUpdateInterval: streamUpdateInterval).buildResponder()
        let idleTimeout = configuration.idleTimeout.map { TimeAmount($0) }
        let server = HTTPServerBuilder { responder in
            ClosingChildChannel(inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder,
                                                                    configuration: .init(http1: .init(idleTimeout: idleTimeout))),
                                firstRequestTimeout: idleTimeout)
        }
        return Application(
            router: router,
            server: server,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "ballast"),
            services: services,
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    /// Every HTTP route of the service, behind the metrics, JSON-error and authentication middleware. The stream paths
    /// answer a plain GET with 426; their upgrades are on ``webSocketRouter(service:streamUpdateInterval:)``.
    /// - Throws: ``APIError`` if a bundled template is missing.
    public static func router(service: RiskService) throws -> Router<ServerContext> {
        let router = routerWithMiddleware(service: service)
        SystemRoutes(service: service).add(to: router)
        AccountRoutes(service: service).add(to: router)
        StreamRoutes.addPlainAnswers(to: router, service: service)
        DashboardRoutes(service: service, pages: try DashboardPages()).add(to: router)
        return router
    }

    /// The WebSocket streams, behind the same middleware: the router the WebSocket library consults for a request that
    /// asks for an upgrade (and only then, so the upgrade keeps the library's rules). A stream checks every
    /// `streamUpdateInterval` whether the engine moved.
    public static func webSocketRouter(service: RiskService, streamUpdateInterval: Duration = .seconds(1)) -> Router<ServerContext> {
        let router = routerWithMiddleware(service: service)
        StreamRoutes(service: service, updateInterval: streamUpdateInterval).addUpgrades(to: router)
        return router
    }

    /// An empty router behind the metrics, JSON-error and authentication middleware.
    private static func routerWithMiddleware(service: RiskService) -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.middlewares.add(RequestMetricsMiddleware(metrics: service.metrics))
        router.middlewares.add(JSONErrorMiddleware())
        router.middlewares.add(AuthenticationMiddleware(keys: service.keys))
        return router
    }

    /// Runs `service` until SIGINT or SIGTERM, then shuts down gracefully: the listener closes, requests in flight
    /// finish (each answered only once its events are durable), and the journal is flushed and closed. Nothing
    /// acknowledged is lost.
    /// - Throws: when the server cannot start, or the store cannot be closed.
    public static func run(service: RiskService, demo: DemoDriver.Options? = nil, logger: Logger,
                           onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = try application(service: service, demo: demo, logger: logger, onListening: onListening)
        do {
            try await app.runService()
        } catch {
            try? await service.close()
            throw error
        }
        try await service.close()
    }
}

/// Publishes the engine's durable signals to the streams until graceful shutdown.
struct SignalPump: Service {
    let service: RiskService

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await service.pumpSignals()
        }
    }
}
