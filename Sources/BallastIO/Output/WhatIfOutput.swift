import BallastCore

/// Text and JSON forms of a ``WhatIf`` and a ``MaxOrderSize/Result``.
enum WhatIfOutput {
    /// Before → after of every pool figure, the trades with their checks, then the report after.
    static func text(_ whatIf: WhatIf, catalog: Catalog) -> String {
        var out = ["What-if: \(whatIf.steps.count) trade(s) applied in order", ""]
        for (i, step) in whatIf.steps.enumerated() {
            out.append("  \(i + 1). " + tradeText(step.trade, catalog: catalog) + ": " + checkText(step.check))
        }
        out.append("")
        let currency = whatIf.before.valuation.symbol
        out.append("Cross pool before → after (\(currency))")
        var table = TextTable([("figure", .left), ("before", .right), ("after", .right), ("change", .right)])
        let b = whatIf.before.cross.figures
        let a = whatIf.after.cross.figures
        for (name, before, after) in [("equity", b.equity, a.equity), ("margin balance", b.marginBalance, a.marginBalance),
                                      ("initial margin", b.initial, a.initial), ("maintenance margin", b.maintenance, a.maintenance),
                                      ("available", whatIf.before.cross.available, whatIf.after.cross.available)] {
            table.add([name, NumberFormat.money(b.fixed(before)), NumberFormat.money(a.fixed(after)), NumberFormat.money(a.fixed(after - before))])
        }
        table.add(["margin ratio", NumberFormat.percent(b.marginRatio), NumberFormat.percent(a.marginRatio), ""])
        table.add(["state", whatIf.before.cross.state.rawValue, whatIf.after.cross.state.rawValue, ""])
        out.append(table.render())
        out.append("")
        out.append("Positions before → after")
        var positions = TextTable([("instrument", .left), ("size", .right), ("IM", .right), ("MM", .right), ("liquidation", .right)])
        // A line is its label and mode: a group member's report may hold a cross and an isolated line of one instrument.
        func key(_ line: MarginReport.PositionLine) -> String { "\(line.label) \(line.mode)" }
        // Looked up by key, not searched: a wide account has thousands of lines.
        let lines = whatIf.before.positions + whatIf.after.positions
        var keys: [String] = []
        var seen = Set<String>()
        var modesByLabel: [String: Set<String>] = [:]
        for line in lines {
            if seen.insert(key(line)).inserted { keys.append(key(line)) }
            modesByLabel[line.label, default: []].insert("\(line.mode)")
        }
        let beforeByKey = Dictionary(whatIf.before.positions.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        let afterByKey = Dictionary(whatIf.after.positions.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        for lineKey in keys {
            let before = beforeByKey[lineKey]
            let after = afterByKey[lineKey]
            guard let shown = before ?? after else { continue }
            let shared = (modesByLabel[shown.label]?.count ?? 0) > 1
            let label = shared ? "\(shown.label) (\(shown.mode))" : shown.label
            func pair(_ f: (MarginReport.PositionLine) -> String) -> String { "\(before.map(f) ?? "-") → \(after.map(f) ?? "-")" }
            positions.add([label, pair { $0.size.trimmedDescription }, pair { NumberFormat.money($0.initial) }, pair { NumberFormat.money($0.maintenance) },
                           pair { line in
                               guard let price = line.liquidationPrice.price else { return "none" }
                               return NumberFormat.price(line.liquidationPrice.tickRounded(tick: ReportText.priceTick(line, catalog: catalog),
                                                                                         mark: line.referencePrice) ?? price, decimals: 2)
                           }])
        }
        out.append(positions.render())
        out.append("")
        out.append("Report after the trades")
        out.append(ReportText.render(whatIf.after, catalog: catalog))
        return out.joined(separator: "\n")
    }

    /// The pre-trade check as a sentence with formatted amounts.
    static func checkText(_ check: PreTradeCheck) -> String {
        let after = check.after
        let initial = NumberFormat.money(after.fixed(after.initial))
        if check.reducesOnly { return "passes (reduce-only)" }
        let cost = "; cost \(NumberFormat.money(after.fixed(check.cost)))"
            + (check.uncountedGain > 0 ? ", open gain \(NumberFormat.money(after.fixed(check.uncountedGain))) not counted" : "")
        let balance = NumberFormat.money(after.fixed(after.marginBalance - check.uncountedGain))
        let requirement = "initial margin \(initial)" + (check.ordersAfter > 0 ? " + open orders \(NumberFormat.money(after.fixed(check.ordersAfter)))" : "")
        if check.passes { return "passes: \(requirement) is covered by margin balance \(balance)\(cost)" }
        let shortfall = NumberFormat.money(after.fixed(after.initial + check.ordersAfter - after.marginBalance + check.uncountedGain))
        return "FAILS: \(requirement) exceeds margin balance \(balance) by \(shortfall)\(cost)"
    }

    static func tradeText(_ trade: Trade, catalog: Catalog) -> String {
        let instrument = catalog[instrument: trade.instrument]
        let size = FixedPoint(units: Int128(trade.size.magnitude), scale: instrument.sizeDecimals).trimmedDescription
        let fee = FixedPoint(units: trade.fee, scale: catalog[asset: instrument.settle].decimals)
        return "\(trade.size > 0 ? "buy" : "sell") \(size) \(instrument.symbol) @ \(trade.price.trimmedDescription)"
            + (trade.fee > 0 ? " fee \(fee.trimmedDescription)" : "") + (trade.isolated == true ? " isolated" : "")
            + (trade.side.isLeg ? " (\(trade.side.rawValue) leg)" : "")
    }

    struct WhatIfDocument: Encodable {
        var format = "ballast.what-if/1"
        var trades: [StepDocument]
        var before: ReportDocument
        var after: ReportDocument
        var changes: [String: String]

        struct StepDocument: Encodable {
            var trade: String
            var passes: Bool
            var reducesOnly: Bool
            var reason: String
            /// ΔIM − Δmargin balance + the open gain not counted: what the trade takes from the available balance.
            var cost: String
            var openGainNotCounted: String
            var realisedPnl: String
            var isolatedTransfer: String
            /// An isolated position's loss beyond its margin, not charged to the account (present only when not zero).
            var isolatedShortfall: String?
        }
    }

    static func document(_ whatIf: WhatIf, catalog: Catalog) -> WhatIfDocument {
        let b = whatIf.before.cross.figures
        let a = whatIf.after.cross.figures
        let changes = ["equity": a.equity - b.equity, "margin_balance": a.marginBalance - b.marginBalance, "initial_margin": a.initial - b.initial,
                       "maintenance_margin": a.maintenance - b.maintenance,
                       "available": whatIf.after.cross.available - whatIf.before.cross.available]
            .mapValues { a.fixed($0).description }
        let steps = whatIf.steps.map { step in
            let decimals = catalog[asset: catalog[instrument: step.trade.instrument].settle].decimals
            return WhatIfDocument.StepDocument(trade: tradeText(step.trade, catalog: catalog), passes: step.check.passes,
                                               reducesOnly: step.check.reducesOnly, reason: step.check.reason,
                                               cost: step.check.after.fixed(step.check.cost).description,
                                               openGainNotCounted: step.check.after.fixed(step.check.uncountedGain).description,
                                               realisedPnl: FixedPoint(units: step.effect.realisedPnL, scale: decimals).description,
                                               isolatedTransfer: FixedPoint(units: step.effect.isolatedTransfer, scale: decimals).description,
                                               isolatedShortfall: step.effect.isolatedShortfall == 0 ? nil
                                                   : FixedPoint(units: step.effect.isolatedShortfall, scale: decimals).description)
        }
        return WhatIfDocument(trades: steps, before: ReportDocument(whatIf.before, catalog: catalog),
                              after: ReportDocument(whatIf.after, catalog: catalog), changes: changes)
    }

    struct MaxSizeDocument: Encodable {
        var format = "ballast.max-size/1"
        var instrument: String
        var side: String
        var price: String
        var maxSize: String
        var check: String?
        var initialMarginAfter: String?
        var marginBalanceAfter: String?
        /// `true` when every size up to the largest Ballast represents passes: margin does not bound the order (an
        /// open gain against the mark counted above its IM, say), and `max_size` is that representation limit.
        var unbounded: Bool?
    }

    static func maxSize(_ result: MaxOrderSize.Result, instrument: InstrumentID, side: MaxOrderSize.Side, price: FixedPoint,
                        catalog: Catalog) -> (text: String, document: MaxSizeDocument) {
        let info = catalog[instrument: instrument]
        let size = FixedPoint(units: Int128(result.size), scale: info.sizeDecimals).trimmedDescription
        let after = result.check?.after
        let unbounded = result.unbounded
        let document = MaxSizeDocument(instrument: info.symbol, side: side.rawValue, price: price.trimmedDescription, maxSize: size,
                                       check: result.check?.reason, initialMarginAfter: after.map { $0.fixed($0.initial).description },
                                       marginBalanceAfter: after.map { $0.fixed($0.marginBalance).description }, unbounded: unbounded ? true : nil)
        var text = "Largest \(side.rawValue) of \(info.symbol) at \(price.trimmedDescription) that passes the pre-trade check: \(size) contracts\n"
        if unbounded {
            text += "  unbounded: every size passes up to the largest Ballast represents (margin does not limit this order at this price)\n"
        }
        if let check = result.check { text += "  " + checkText(check) + "\n" } else { text += "  not even one lot (\(info.lotSize.trimmedDescription)) passes\n" }
        return (text, document)
    }
}
