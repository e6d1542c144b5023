import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// A connection's channel that is closed when its HTTP parser fails on the first request, or when the first request's
/// head has not arrived within a deadline.
///
/// hummingbird-websocket's upgrade channel leaves a connection whose first request cannot be parsed (a raw non-ASCII
/// byte in the path, an unknown method, conflicting lengths, …) open with no answer: the parser's error is swallowed
/// while the upgrade is negotiated, and the socket is held until the client gives up. Here a handler at the end of the
/// pipeline closes the channel on a parser error that reaches it before the first request is through. The upgrade
/// channel's idle timeout only starts once the first request is known not to be an upgrade, so a connection that sends
/// nothing, or its first head a byte at a time, was held for ever: a second handler, right after the HTTP decoder,
/// closes the channel unless that head is complete within `firstRequestTimeout` (an upgrade request: the whole request).
struct ClosingChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value

    /// The channel setup and handling this wraps.
    let inner: Inner
    /// How long a new connection may take to send its first request's head (`nil`: no limit).
    let firstRequestTimeout: TimeAmount?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // After the inner setup, so the handlers come after the HTTP decoder, whose errors and parts travel toward the
        // tail.
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(CloseOnParserError())
            if let firstRequestTimeout {
                // Before the upgrade handler, which holds the first head until the upgrade is decided.
                let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
                try pipeline.addHandler(FirstRequestDeadline(timeout: firstRequestTimeout), position: .after(decoder))
            }
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Closes its channel on an HTTP parser error before the first request is through, and passes every error on. The
/// first request's parts reach it only once the upgrade is decided, when Hummingbird's own HTTP handling (which answers
/// a later malformed request with 400) or the WebSocket handling is in place after it: then it leaves the pipeline.
private final class CloseOnParserError: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError { context.close(promise: nil) }
        context.fireErrorCaught(error)
    }
}

/// Closes its channel unless the first request's head is decoded within `timeout` of the connection becoming active;
/// leaves the pipeline once that head has passed. For an upgrade request, whose connection gets no idle timeout of the
/// HTTP handling (the upgrade waits for the request's end, then hands the connection to WebSocket), the deadline holds
/// until the request's end: a head asking for an upgrade and declaring a body it never sends is closed too.
private final class FirstRequestDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart

    /// The time allowed.
    let timeout: TimeAmount
    /// The pending close, until the head arrives (for an upgrade request, until its end).
    private var deadline: Scheduled<Void>?
    /// Whether the first head asked for an upgrade, so the deadline waits for the request's end.
    private var awaitingUpgradeEnd = false

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { schedule(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        schedule(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head) where head.headers.contains(name: "upgrade"):
            awaitingUpgradeEnd = true
            context.fireChannelRead(data)
        case .head:
            finish(context, passing: data)
        case .end where awaitingUpgradeEnd:
            finish(context, passing: data)
        case .body, .end:
            context.fireChannelRead(data)
        }
    }

    /// The deadline is met: cancels it, passes `data` on and leaves the pipeline.
    private func finish(_ context: ChannelHandlerContext, passing data: NIOAny) {
        cancel()
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancel() }

    private func schedule(_ context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { context.close(promise: nil) }
    }

    private func cancel() {
        deadline?.cancel()
        deadline = nil
    }
}
