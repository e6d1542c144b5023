@testable import BallastServer
import Testing

@Suite("Authorization header")
struct BearerKeyTests {
    @Test("the bearer key: scheme in any case, spaces and tabs around the key dropped; other schemes and empty keys refused")
    func bearerKey() {
        #expect(AuthenticationMiddleware.bearerKey("Bearer bk_0123456789abcdef_secret") == "bk_0123456789abcdef_secret")
        #expect(AuthenticationMiddleware.bearerKey("bearer  \tkey \t ") == "key")
        #expect(AuthenticationMiddleware.bearerKey("BEARER key\u{00A0}") == "key", "a no-break space is a space, as in CharacterSet.whitespaces")
        #expect(AuthenticationMiddleware.bearerKey("Basic dXNlcjpwYXNz") == nil)
        #expect(AuthenticationMiddleware.bearerKey("Bearer") == nil)
        #expect(AuthenticationMiddleware.bearerKey("Bearer    ") == nil)
        #expect(AuthenticationMiddleware.bearerKey("Bearer key\nmore") == "key\nmore", "a newline inside is kept, and the key then fails to verify")
    }
}
