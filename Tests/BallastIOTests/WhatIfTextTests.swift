@testable import BallastIO
import BallastCore
import Foundation
import Testing

/// The text what-if pairs each line before with its line after by label and margin mode, since a group member's
/// report can hold the group's cross line and the member's isolated line on one instrument.
@Suite("What-if text")
struct WhatIfTextTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Examples/isolated-and-cross.json").standardized

    @Test("a cross and an isolated line on one instrument are shown apart, each with its own before and after")
    func crossAndIsolatedApart() throws {
        let input = try MarginInput.decode(try Data(contentsOf: Self.example))
        let sol = try #require(input.context.catalog.instrument("SOLUSDT"))
        // Buy 10 more SOL into the isolated position: its line goes from 250 to 260.
        let price = try #require(FixedPoint(parsing: "193.40"))
        var whatIf = try WhatIf(account: input.account, trades: [Trade(instrument: sol, size: 10, price: price)], context: input.context)
        let isolatedAfter = try #require(whatIf.after.positions.first { $0.instrument == "SOLUSDT" })
        #expect(isolatedAfter.mode == "isolated")
        // The same instrument as a cross line in both reports (as a group's pool beside a member's isolated line),
        // listed before the isolated one and unchanged by the trade.
        var cross = isolatedAfter
        cross.mode = "cross"
        cross.isolated = nil
        cross.size = try #require(FixedPoint(parsing: "5"))
        whatIf.before.positions.insert(cross, at: 0)
        whatIf.after.positions.insert(cross, at: 0)

        let text = WhatIfOutput.text(whatIf, catalog: input.context.catalog)
        let rows = text.split(separator: "\n").map { $0.drop { $0 == " " } }.filter { $0.hasPrefix("SOLUSDT (") }
        #expect(rows.count == 2, "\(rows)")
        #expect(rows.first { $0.hasPrefix("SOLUSDT (cross)") }?.contains("5 → 5") == true, "\(rows)")
        #expect(rows.first { $0.hasPrefix("SOLUSDT (isolated)") }?.contains("250 → 260") == true, "\(rows)")
    }
}
