import BallastIO
import Foundation
import Testing

/// Reads a vector file shipped with the tests.
func vector(_ name: String) throws -> Data {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors") else {
        throw VectorMissing(name: name)
    }
    return try Data(contentsOf: url)
}

struct VectorMissing: Error { var name: String }

/// Runs `ballast margin` on a document exactly as the CLI does, asking for JSON, and parses the output.
func runJSON(_ data: Data, whatIf: Data? = nil, maxSize: (String, BallastCore.MaxOrderSize.Side, String?)? = nil) throws -> [String: Any] {
    let output = MarginCommand(accountData: data, whatIfData: whatIf, maxSize: maxSize.map { ($0.0, $0.1, $0.2) }, format: .json).run()
    #expect(output.exitCode == 0, "stderr: \(output.stderr)")
    #expect(output.stderr.isEmpty)
    guard let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] else { throw NotAnObject() }
    return object
}

struct NotAnObject: Error {}

/// A member of a decoded JSON object, by path ("positions", 0, "maintenance_margin").
func value(_ object: Any, _ path: Any...) -> Any? {
    var current: Any? = object
    for step in path {
        if let key = step as? String { current = (current as? [String: Any])?[key] } else if let index = step as? Int {
            guard let array = current as? [Any], array.indices.contains(index) else { return nil }
            current = array[index]
        }
    }
    return current
}

/// A decimal string member as a Double.
func number(_ object: Any, _ path: Any...) -> Double? {
    var current: Any? = object
    for step in path {
        if let key = step as? String { current = (current as? [String: Any])?[key] } else if let index = step as? Int {
            guard let array = current as? [Any], array.indices.contains(index) else { return nil }
            current = array[index]
        }
    }
    if let text = current as? String { return Double(text) }
    return current as? Double
}

/// The position entry for an instrument.
func position(_ report: [String: Any], _ instrument: String) -> [String: Any]? {
    (report["positions"] as? [[String: Any]])?.first { $0["instrument"] as? String == instrument }
}

import BallastCore
