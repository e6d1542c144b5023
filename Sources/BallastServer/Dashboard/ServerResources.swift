import Foundation

/// Files bundled with the service (`Sources/BallastServer/Resources`): the OpenAPI document, the dashboard's
/// templates and static files.
enum ServerResources {
    /// The text of a bundled file (`templates/overview.mustache`), or `nil` if there is none.
    static func text(_ relativePath: String) -> String? {
        guard isSafe(relativePath), let base = Bundle.module.url(forResource: "Resources", withExtension: nil) else { return nil }
        let url = base.appendingPathComponent(relativePath)
        return try? String(contentsOf: url, encoding: .utf8)
    }

    /// Whether a path names a file inside the bundle: segments of letters, digits, `-`, `_` and `.`, none starting
    /// with a dot (so no `..`).
    static func isSafe(_ relativePath: String) -> Bool {
        let segments = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        return !segments.isEmpty && segments.allSatisfy { segment in
            !segment.isEmpty && segment.first != "." && segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        }
    }
}
