import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A response carrying a JSON document already encoded.
struct JSONResponse: ResponseGenerator {
    /// The document.
    var body: Data
    /// The status (200 unless said).
    var status: HTTPResponse.Status = .ok

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// A response carrying text of a given media type (HTML pages, the metrics exposition, static files).
struct TextResponse: ResponseGenerator {
    /// The text.
    var body: String
    /// Its media type.
    var contentType: String
    /// The status (200 unless said).
    var status: HTTPResponse.Status = .ok

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

extension Request {
    /// The body, at most `limit` bytes.
    /// - Throws: ``APIError`` 413 when it is larger.
    func collectBody(upTo limit: Int) async throws -> Data {
        do {
            let buffer = try await body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, code: "too_large", message: "the request body exceeds \(limit) bytes")
        }
    }
}
