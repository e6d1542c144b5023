import Hummingbird
import HummingbirdWebSocket

/// The request context of the service: Hummingbird's core storage, the WebSocket upgrade slot, and who the request
/// acts as once ``AuthenticationMiddleware`` has verified its key.
public struct ServerContext: RequestContext, WebSocketRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// Where a WebSocket route leaves its handler for the upgrade.
    public let webSocket: WebSocketHandlerReference<ServerContext>
    /// The verified caller (`nil` on public routes).
    public var identity: Identity?

    /// A context for a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        identity = nil
    }
}
