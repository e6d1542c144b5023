import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// A connection's channel that is closed when its HTTP parser fails on the first request.
///
/// hummingbird-websocket's upgrade channel leaves a connection whose first request cannot be parsed (a raw non-ASCII
/// byte in the path, an unknown method, conflicting lengths, …) open with no answer: the parser's error is swallowed
/// while the upgrade is negotiated, and the socket is held until the client gives up. Here a handler at the end of the
/// pipeline closes the channel on a parser error that reaches it before the first request is through.
struct ClosingChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value

    /// The channel setup and handling this wraps.
    let inner: Inner

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // After the inner setup, so the handler comes after the HTTP decoder, whose errors travel toward the tail.
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            try channel.pipeline.syncOperations.addHandler(CloseOnParserError())
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
