import BallastCore

/// Text and JSON of the portfolio-margin explanation and of the scenario risk matrix.
enum PortfolioOutput {
    /// The explanation section of a portfolio account's report.
    static func text(_ explanation: PortfolioExplanation, report: MarginReport, catalog: Catalog) -> String {
        let currency = report.valuation.symbol
        var out: [String] = []
        let preset = report.positions.first { $0.isolated == nil }?.schedule ?? report.parameters
        out.append("Portfolio margin (\(preset.name) v\(preset.version)): risk per underlying, \(currency)")
        var table = TextTable([("underlying", .left), ("scan risk", .right), ("worst scenario", .left), ("calendar", .right), ("delta shock", .right),
                               ("roll", .right), ("short opt. min", .right), ("minimum", .right), ("risk", .right), ("factor", .right)])
        for underlying in explanation.underlyings {
            let risk = underlying.risk
            let worst = risk.worstScenario.map { "#\($0 + 1) \(explanation.scenarioLabels[$0])" } ?? "none loses"
            table.add([catalog[asset: risk.underlying].symbol, amount(risk.scanRisk), worst, amount(risk.calendarSpread), amount(risk.deltaShock),
                       amount(risk.rollShock), amount(risk.shortOptionMinimum), amount(risk.minimumCharge), amount(risk.risk),
                       NumberFormat.plain(underlying.factor, decimals: 4)])
        }
        out.append(table.render())
        let aggregation = explanation.aggregation
        let figures = explanation.figures
        out.append("  Σ risk \(amount(aggregation.sum)) − cross-underlying credit \(amount(aggregation.credit))\(aggregation.capped ? " (capped)" : "")"
                   + " = \(amount(aggregation.total)); net option value \(amount(figures.netOptionValue)); requirement risk \(amount(figures.requirementRisk))")
        out.append("")
        out.append("Contributions to maintenance margin (\(currency); Euler allocation, sums to the total)")
        var contributions = TextTable([("holding", .left), ("underlying", .left), ("loss in worst scenario", .right), ("contribution", .right)])
        for contribution in explanation.contributions {
            let worst = explanation.underlyings.first { $0.risk.underlying == contribution.underlying }?.risk.worstScenario
            contributions.add([holdingName(contribution, catalog: catalog), catalog[asset: contribution.underlying].symbol,
                               worst.map { amount(contribution.losses[$0]) } ?? "-", amount(contribution.maintenance)])
        }
        contributions.add(["total", "", "", amount(explanation.contributions.reduce(0) { $0 + $1.maintenance })])
        out.append(contributions.render())
        out.append("")
        out.append("Scenario losses per underlying (\(currency), loss positive, weighted)")
        var scenarios = TextTable([("#", .right), ("scenario", .left)] + explanation.underlyings.map { (catalog[asset: $0.risk.underlying].symbol, .right) })
        for (s, label) in explanation.scenarioLabels.enumerated() {
            scenarios.add(["\(s + 1)", label] + explanation.underlyings.map { amount($0.losses[s]) })
        }
        out.append(scenarios.render())
        return out.joined(separator: "\n") + "\n"
    }

    static func holdingName(_ contribution: PortfolioExplanation.Contribution, catalog: Catalog) -> String {
        if let instrument = contribution.instrument {
            return catalog[instrument: instrument].symbol + (contribution.side.isLeg ? " \(contribution.side.rawValue)" : "")
        }
        return contribution.asset.map { "\(catalog[asset: $0].symbol) balance" } ?? "-"
    }

    private static func amount(_ value: Double) -> String { NumberFormat.price(value, decimals: 2) }

    /// The JSON form of an explanation.
    struct Document: Encodable {
        var scenarios: [String]
        var underlyings: [UnderlyingDocument]
        var aggregation: AggregationDocument
        var netOptionValue: Double
        var requirementRisk: Double
        var contributions: [ContributionDocument]

        struct UnderlyingDocument: Encodable {
            var underlying: String
            var scanRisk: Double
            var worstScenario: Int?
            var worstLabel: String?
            var calendarSpread: Double
            var deltaShock: Double
            var rollShock: Double
            var shortOptionMinimum: Double
            var minimumCharge: Double
            var netDelta: Double
            var risk: Double
            var factor: Double
            var losses: [Double]
        }

        struct AggregationDocument: Encodable {
            var sum: Double
            var credit: Double
            var total: Double
            var capped: Bool
        }

        struct ContributionDocument: Encodable {
            var holding: String
            var underlying: String
            var maintenance: Double
            var losses: [Double]
        }

        init(_ explanation: PortfolioExplanation, catalog: Catalog) {
            scenarios = explanation.scenarioLabels
            underlyings = explanation.underlyings.map { u in
                UnderlyingDocument(underlying: catalog[asset: u.risk.underlying].symbol, scanRisk: NumberFormat.json(u.risk.scanRisk),
                                   worstScenario: u.risk.worstScenario.map { $0 + 1 }, worstLabel: u.risk.worstScenario.map { explanation.scenarioLabels[$0] },
                                   calendarSpread: NumberFormat.json(u.risk.calendarSpread), deltaShock: NumberFormat.json(u.risk.deltaShock),
                                   rollShock: NumberFormat.json(u.risk.rollShock), shortOptionMinimum: NumberFormat.json(u.risk.shortOptionMinimum),
                                   minimumCharge: NumberFormat.json(u.risk.minimumCharge), netDelta: NumberFormat.json(u.risk.netDelta),
                                   risk: NumberFormat.json(u.risk.risk), factor: NumberFormat.json(u.factor), losses: NumberFormat.json(u.losses))
            }
            aggregation = AggregationDocument(sum: NumberFormat.json(explanation.aggregation.sum), credit: NumberFormat.json(explanation.aggregation.credit),
                                              total: NumberFormat.json(explanation.aggregation.total), capped: explanation.aggregation.capped)
            netOptionValue = NumberFormat.json(explanation.figures.netOptionValue)
            requirementRisk = NumberFormat.json(explanation.figures.requirementRisk)
            contributions = explanation.contributions.map {
                ContributionDocument(holding: PortfolioOutput.holdingName($0, catalog: catalog), underlying: catalog[asset: $0.underlying].symbol,
                                     maintenance: NumberFormat.json($0.maintenance), losses: NumberFormat.json($0.losses))
            }
        }
    }

    /// The risk matrix: for each underlying, every holding's scenario PnL (quantity × its array) and the account total.
    static func matrixText(_ explanation: PortfolioExplanation, arrays: RiskArrays, account: Account, catalog: Catalog, currency: String) -> String {
        var out = ["Scenario risk matrix (\(currency), PnL: gain positive; \(explanation.scenarioLabels.count) scenarios)"]
        for underlying in explanation.underlyings {
            let holdings = explanation.contributions.filter { $0.underlying == underlying.risk.underlying }
            out.append("")
            out.append("Underlying \(catalog[asset: underlying.risk.underlying].symbol)")
            var table = TextTable([("#", .right), ("scenario", .left)] + holdings.map { (holdingName($0, catalog: catalog), .right) } + [("account", .right)])
            for (s, label) in explanation.scenarioLabels.enumerated() {
                table.add(["\(s + 1)", label] + holdings.map { NumberFormat.price(-$0.losses[s], decimals: 2) }
                          + [NumberFormat.price(-underlying.losses[s], decimals: 2)])
            }
            out.append(table.render())
            let worst = underlying.risk.worstScenario.map { "scenario \($0 + 1) (\(explanation.scenarioLabels[$0]))" } ?? "no scenario loses"
            out.append("  worst: \(worst), scan risk \(NumberFormat.price(underlying.risk.scanRisk, decimals: 2))")
        }
        out.append("")
        out.append("Per-contract arrays (instrument × scenario, PnL of one long contract)")
        let held = account.heldInstruments
        var arraysTable = TextTable([("instrument", .left)] + explanation.scenarioLabels.indices.map { ("\($0 + 1)", .right) })
        for id in held {
            arraysTable.add([catalog[instrument: id].symbol] + arrays.row(id).map { NumberFormat.price($0, decimals: 2) })
        }
        out.append(arraysTable.render())
        return out.joined(separator: "\n") + "\n"
    }

    /// The JSON of the risk matrix.
    struct MatrixDocument: Encodable {
        var format = "ballast.scenarios/1"
        var account: String
        var scenarios: [String]
        var instruments: [InstrumentArray]
        var explanation: Document

        struct InstrumentArray: Encodable {
            var instrument: String
            var pnlPerContract: [Double]
            var deltaPerContract: Double
        }
    }
}
