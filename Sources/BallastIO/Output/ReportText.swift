import BallastCore

/// The human-readable form of a ``MarginReport``: assets, positions, then the cross pool with its ratios and state.
enum ReportText {
    static func render(_ report: MarginReport, catalog: Catalog) -> String {
        let currency = report.valuation.symbol
        var out: [String] = []
        out.append("Account \(report.accountID) at \(report.snapshotTime), figures in \(currency)")
        out.append("Parameters: \(report.parameters.name) v\(report.parameters.version); liquidation prices move the \(report.liquidationPriceScope.rawValue)"
                   + (report.openGain == .ignored ? "; pre-trade checks do not count open gains" : ""))
        out.append("")
        out.append("Assets (cross pool)")
        var assets = TextTable([("asset", .left), ("balance", .right), ("unrealised PnL", .right), ("equity", .right), ("index", .right),
                                ("haircut", .left), ("collateral (\(currency))", .right), ("IM", .right), ("MM", .right)])
        for line in report.assets {
            assets.add([line.symbol, NumberFormat.money(line.balance), NumberFormat.money(line.unrealisedPnL), NumberFormat.money(line.equity),
                        NumberFormat.plain(line.indexPrice, decimals: 8), haircutText(line), NumberFormat.money(line.collateralValue),
                        NumberFormat.money(line.initial), NumberFormat.money(line.maintenance)])
        }
        out.append(assets.render())
        if !report.positions.isEmpty {
            out.append("")
            out.append("Positions (margin in the settlement asset)")
            var positions = TextTable([("instrument", .left), ("mode", .left), ("size", .right), ("entry", .right), ("mark", .right),
                                       ("notional", .right), ("unrealised PnL", .right), ("tier", .right), ("leverage", .right),
                                       ("IM", .right), ("MM", .right), ("liquidation", .right), ("bankruptcy", .right)])
            for line in report.positions {
                let tickDecimals = catalog.instrument(line.instrument).map { catalog[instrument: $0].tickSize.trimmedScale } ?? 2
                let tick = priceTick(line, catalog: catalog)
                let liquidationDecimals = line.kind == "option" ? 2 : tickDecimals
                let leverage = line.effectiveLeverage.map { NumberFormat.plain($0, decimals: 2) + "x" + (line.leverageCapped ? " (capped)" : "") } ?? "-"
                positions.add([line.label, line.mode, line.size.trimmedDescription,
                               NumberFormat.price(line.entryPrice, decimals: tickDecimals + 2),
                               NumberFormat.price(line.markPrice, decimals: tickDecimals + 2),
                               NumberFormat.money(line.notional), NumberFormat.money(line.unrealisedPnL),
                               line.tier.map(String.init) ?? "-", leverage,
                               NumberFormat.money(line.initial), NumberFormat.money(line.maintenance),
                               priceText(line.liquidationPrice, tick: tick, reference: line.referencePrice, decimals: liquidationDecimals),
                               priceText(line.bankruptcyPrice, tick: tick, reference: line.referencePrice, decimals: liquidationDecimals)])
            }
            out.append(positions.render())
            out.append("  Liquidation price: where margin balance = maintenance margin (uniMMR 1), at the tick toward the mark; bankruptcy: where")
            out.append("  equity = 0. Options: underlying index prices. Health bands may start liquidation earlier (see state).")
        }
        if !report.instrumentSettings.isEmpty {
            let kept = report.instrumentSettings.map { setting in
                [catalog[instrument: setting.instrument].symbol, setting.leverage.map { "\(NumberFormat.plain($0, decimals: 2))x" },
                 setting.isolated ? "isolated" : nil].compactMap { $0 }.joined(separator: " ")
            }
            out.append("")
            out.append("Set for instruments without a position (the next position there opens with these): " + kept.joined(separator: ", "))
        }
        if let portfolio = report.portfolio {
            out.append("")
            out.append(trimmed(PortfolioOutput.text(portfolio, report: report, catalog: catalog)))
        }
        if let orders = report.openOrders {
            out.append("")
            out.append(openOrdersText(orders, currency: currency, catalog: catalog))
            if report.orderInitialPrice == .limit { out.append("  IM of the fills at the limit price (a sell at max(limit, mark)); open loss against the mark") }
        }
        out.append("")
        out.append("Cross pool (\(currency)\(report.model == .portfolio ? ", portfolio margin" : ""))")
        out.append(poolText(report.cross.figures, state: report.cross.state, bands: report.healthBands, openOrderMargin: report.openOrders?.total))
        for line in report.positions {
            guard let isolated = line.isolated else { continue }
            out.append("")
            out.append("Isolated \(line.label) (\(currency))")
            out.append(poolText(isolated.figures, state: isolated.state, bands: report.healthBands))
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The open orders' margin per instrument: each side's size and the cost of its fill.
    static func openOrdersText(_ orders: OpenOrderMargin, currency: String, catalog: Catalog) -> String {
        var table = TextTable([("instrument", .left), ("buys", .right), ("sells", .right), ("buy cost", .right), ("sell cost", .right),
                               ("margin", .right)])
        for line in orders.lines {
            let decimals = catalog[instrument: line.instrument].sizeDecimals
            func size(_ units: Int64) -> String { FixedPoint(units: Int128(units), scale: decimals).trimmedDescription }
            func money(_ units: Int128) -> String { NumberFormat.money(FixedPoint(units: units, scale: orders.decimals)) }
            table.add([catalog[instrument: line.instrument].symbol, size(line.buys), size(line.sells), money(line.buyCost), money(line.sellCost),
                       money(line.margin)])
        }
        return "Open orders (\(currency); margin = max(0, cost if every buy fills, cost if every sell fills), reduce-only orders excluded)\n"
            + trimmed(table.render())
    }

    /// The text without its trailing newline.
    static func trimmed(_ text: String) -> String { text.hasSuffix("\n") ? String(text.dropLast()) : text }

    static func poolText(_ figures: MoneyFigures, state: HealthState, bands: HealthBands, openOrderMargin: Int128? = nil) -> String {
        var table = TextTable([("figure", .left), ("value", .right), ("", .left)])
        table.add(["equity", NumberFormat.money(figures.fixed(figures.equity)), "balances + unrealised PnL (an option's: counted value − premium), at index prices"])
        table.add(["margin balance", NumberFormat.money(figures.fixed(figures.marginBalance)), "equity after collateral haircuts"])
        table.add(["initial margin", NumberFormat.money(figures.fixed(figures.initial)), "rounded up"])
        table.add(["maintenance margin", NumberFormat.money(figures.fixed(figures.maintenance)), "rounded up"])
        if let orders = openOrderMargin {
            table.add(["open order margin", NumberFormat.money(figures.fixed(orders)), "held back by open orders (see above)"])
            table.add(["available", NumberFormat.money(figures.fixed(figures.available(holdingBack: orders))),
                       "margin balance − initial margin − open order margin"])
        } else {
            table.add(["available", NumberFormat.money(figures.fixed(figures.available)), "margin balance − initial margin"])
        }
        table.add(["margin ratio", NumberFormat.percent(figures.marginRatio), "maintenance / margin balance; liquidation at 100 %"])
        table.add(["uniMMR", NumberFormat.plain(figures.uniMMR, decimals: 4), "margin balance / maintenance"])
        let bandText = "warning < \(bands.warningBelow.trimmedDescription), reduce-only < \(bands.reduceOnlyBelow.trimmedDescription), liquidation < \(bands.liquidationBelow.trimmedDescription) uniMMR (\(bands.info.name))"
        table.add(["state", state.rawValue, bandText])
        return table.render()
    }

    private static func haircutText(_ line: MarginReport.AssetLine) -> String {
        if let weight = line.liabilityWeight { return "liability ×" + NumberFormat.plain(weight) }
        if line.haircutSlices.isEmpty { return "-" }
        return line.haircutSlices.map { NumberFormat.plain($0.ratio * 100, decimals: 2) + "%" }.joined(separator: "/")
    }

    private static func priceText(_ price: LiquidationPrice, tick: FixedPoint, reference: Double, decimals: Int) -> String {
        guard let raw = price.price else { return "none" }
        let value = price.tickRounded(tick: tick, mark: reference) ?? raw
        return NumberFormat.price(value, decimals: decimals) + (price.breached ? " (breached)" : "")
    }

    /// The tick a liquidation price is rounded to: the instrument's price tick, or none for an option (whose
    /// liquidation price is an underlying price, not a premium).
    static func priceTick(_ line: MarginReport.PositionLine, catalog: Catalog) -> FixedPoint {
        guard line.kind != "option", let id = catalog.instrument(line.instrument) else { return FixedPoint(units: 0, scale: 0) }
        return catalog[instrument: id].tickSize
    }
}
