import BallastIO
import Foundation
import Testing

/// Every file in Examples/ runs cleanly in both formats, with its what-if file where there is one.
@Suite("Examples")
struct ExamplesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Examples").standardized

    static var accounts: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".json") && !$0.hasSuffix(".what-if.json") }.sorted()
    }

    @Test("there are at least five examples")
    func count() { #expect(Self.accounts.count >= 5) }

    @Test("each example produces a report and a JSON document", arguments: accounts)
    func runs(_ name: String) throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(name))
        let table = MarginCommand(accountData: data).run()
        #expect(table.exitCode == 0, "\(name): \(table.stderr)")
        #expect(table.stdout.contains("Cross pool"))
        let json = try runJSON(data)
        #expect(json["format"] as? String == "ballast.margin-report/1")
        let whatIf = Self.folder.appendingPathComponent(name.replacingOccurrences(of: ".json", with: ".what-if.json"))
        if let trades = try? Data(contentsOf: whatIf) {
            let output = MarginCommand(accountData: data, whatIfData: trades).run()
            #expect(output.exitCode == 0, "\(name) what-if: \(output.stderr)")
            #expect(output.stdout.contains("before → after"))
        }
    }
}
