import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A response with a body already encoded: JSON documents, HTML pages, the metrics exposition, static files.
struct ContentResponse: ResponseGenerator {
    /// The body.
    var body: ByteBuffer
    /// Its media type.
    var contentType: String
    /// The status.
    var status: HTTPResponse.Status
    /// A `Cache-Control` value, if any.
    var cacheControl: String?

    /// A JSON document.
    static func json(_ body: Data, status: HTTPResponse.Status = .ok) -> ContentResponse {
        ContentResponse(body: ByteBuffer(bytes: body), contentType: "application/json", status: status)
    }

    /// Text of a media type.
    static func text(_ body: String, type: String, status: HTTPResponse.Status = .ok, cacheControl: String? = nil) -> ContentResponse {
        ContentResponse(body: ByteBuffer(string: body), contentType: type, status: status, cacheControl: cacheControl)
    }

    /// An HTML page.
    static func html(_ page: String, status: HTTPResponse.Status = .ok) -> ContentResponse {
        text(page, type: "text/html; charset=utf-8", status: status)
    }

    /// The response.
    var response: Response {
        var headers: HTTPFields = [.contentType: contentType]
        if let cacheControl { headers[.cacheControl] = cacheControl }
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { response }
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
