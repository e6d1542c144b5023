import BallastCore
import BallastIO
import Foundation
import Testing

/// The README's "From Swift" example of the margin core, with its output checked: each example account file decoded,
/// its report, and the same account evaluated in place in a book of two copies of it.
@Suite("README library example")
struct LibraryExampleTests {
    @Test("the in-place summary of every example account has the report's cross figures and state")
    func summaryMatchesReport() throws {
        try #require(!ExamplesTests.accounts.isEmpty)
        for name in ExamplesTests.accounts {
            let input = try MarginInput.decode(try Data(contentsOf: ExamplesTests.folder.appendingPathComponent(name)))
            let report = try MarginReport(account: input.account, orders: input.orders, context: input.context)
            var workspace = MarginWorkspace(assetCount: input.context.catalog.assets.count)
            let book: [Account] = [input.account, input.account]
            for index in book.indices {
                book.prefetchHoldings(at: index + 3, positions: 8, balances: 2)
                let summary = try MarginSummary(book, at: index, context: input.context, workspace: &workspace)
                #expect(summary.cross == report.cross.figures, "\(name)")
                #expect(summary.state == report.cross.state, "\(name)")
            }
        }
    }
}
