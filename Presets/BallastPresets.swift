import Foundation

/// The parameter presets shipped with Ballast (the JSON files beside this source): margin schedules,
/// collateral haircuts, option margin rates and health bands, each with its version, effective time and source.
public enum BallastPresets {
    /// The kinds of preset, each a folder of JSON files.
    public enum Kind: String, Sendable, CaseIterable {
        /// Margin schedules of futures and perpetuals (tier ladders, risk-limit steps, scaled rates).
        case margin
        /// Collateral haircut schedules.
        case collateral
        /// Standard option margin rates per underlying.
        case options
        /// Health bands.
        case health
        /// Portfolio-margin parameters (scenario grids, per-underlying shocks and add-ons, aggregation).
        case portfolio
    }

    /// The JSON text of a preset, or `nil` if there is none by that name.
    public static func data(_ kind: Kind, named name: String) -> Data? {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }),
              let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: kind.rawValue)
        else { return nil }
        return try? Data(contentsOf: url)
    }

    /// The names of the presets of a kind, sorted.
    public static func names(_ kind: Kind) -> [String] {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent(kind.rawValue),
              let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }
}
