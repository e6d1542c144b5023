import Foundation

/// A bar chart (SVG geometry) of a portfolio account's scenario losses for its riskiest underlying: one bar per
/// scenario, losses up in red, gains down in green, the worst scenario marked.
struct ScenarioChart {
    struct Bar {
        var x: Double
        var y: Double
        var height: Double
        var label: String
        var value: String
        var worst: Bool
    }

    var underlying: String
    var worstLabel: String
    var bars: [Bar]
    static let width = 720.0
    static let height = 220.0

    /// The chart of the report's riskiest underlying (`nil` for a standard report).
    init?(report: Data) {
        struct Report: Decodable {
            struct Portfolio: Decodable {
                struct Underlying: Decodable {
                    var underlying: String
                    var losses: [Double]
                    var risk: Double
                    var worstScenario: Int?
                    var worstLabel: String?
                }
                var scenarios: [String]
                var underlyings: [Underlying]
            }
            var portfolio: Portfolio?
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let portfolio = (try? decoder.decode(Report.self, from: report))?.portfolio,
              let riskiest = portfolio.underlyings.max(by: { $0.risk < $1.risk }), !riskiest.losses.isEmpty else { return nil }
        underlying = riskiest.underlying
        worstLabel = riskiest.worstLabel ?? ""
        let scale = max(riskiest.losses.map(abs).max() ?? 1, 1)
        let slot = Self.width / Double(riskiest.losses.count)
        let middle = Self.height / 2
        bars = riskiest.losses.enumerated().map { index, loss in
            let length = abs(loss) / scale * (middle - 4)
            return Bar(x: Double(index) * slot + 1, y: loss >= 0 ? middle - length : middle, height: max(length, 0.5),
                       label: index < portfolio.scenarios.count ? portfolio.scenarios[index] : "#\(index)",
                       value: TemplateValue.format(loss.rounded()), worst: index == riskiest.worstScenario)
        }
    }

    /// The template context.
    var context: [String: Any] {
        let slot = Self.width / Double(max(bars.count, 1))
        return [
            "underlying": underlying, "worst_label": worstLabel, "width": TemplateValue.format(Self.width),
            "height": TemplateValue.format(Self.height), "middle": TemplateValue.format(Self.height / 2),
            "bars": bars.map { bar in
                ["x": TemplateValue.format(bar.x), "y": TemplateValue.format(bar.y), "w": TemplateValue.format(max(slot - 2, 1)),
                 "h": TemplateValue.format(bar.height), "label": bar.label, "value": bar.value,
                 "class": bar.worst ? "bar worst" : (bar.y < Self.height / 2 ? "bar loss" : "bar gain")] as [String: Any]
            },
        ]
    }
}
