@testable import BallastServer
import Foundation
import Testing

/// The dashboard's server-rendered pages.
@Suite("Dashboard pages")
struct DashboardPagesTests {
    @Test("an account link in the overview carries the id as one percent-encoded path segment")
    func overviewLinkEncoded() throws {
        let atRisk = #"{"entries": [{"subject": "account", "id": "a b/c?d", "account": "a b/c?d", "model": "standard", "state": "warning", "margin_balance": "10", "maintenance_margin": "9"}]}"#
        let html = try DashboardPages().overview(system: Data("{}".utf8), atRisk: Data(atRisk.utf8))
        #expect(html.contains(#"href="/dashboard/accounts/a%20b%2Fc%3Fd""#), "\(html)")
    }

    @Test("a path segment keeps the unreserved characters and decodes back to the id",
          arguments: ["alice", "a b", "josé", "x/y?z#w&v=1", "100%", "a.b-c_d~e"])
    func pathSegmentRoundTrip(id: String) {
        let segment = id.pathSegmentEncoded
        #expect(segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._~%".contains($0)) }, "\(segment)")
        #expect(segment.removingPercentEncoding == id)
    }
}
