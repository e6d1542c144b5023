import BallastCore

extension Engine {
    mutating func updatePrices(_ update: PriceUpdate, time: Timestamp, sequence: UInt64) throws(EventRejection) {
        guard !update.index.isEmpty || !update.marks.isEmpty else {
            throw EventRejection(.invalidField, field: "prices", value: "", message: "a price update needs at least one index or mark price")
        }
        // A price is named by its key in the event's JSON (`index.BTC`, `marks.BTC-PERP`), once its id is known.
        for (i, price) in update.index.enumerated() {
            try checkAsset(price.asset, field: "index[\(i)].asset")
            try checkPrice(price.price, field: "index.\(catalog[asset: price.asset].symbol)")
        }
        for (i, price) in update.marks.enumerated() {
            try checkInstrument(price.instrument, field: "marks[\(i)].instrument")
            try checkPrice(price.price, field: "marks.\(catalog[instrument: price.instrument].symbol)")
        }
        for price in update.index { market.indexPrices[price.asset.index] = price.price }
        for price in update.marks { market.markPrices[price.instrument.index] = price.price }
        marketMoved(time: time, volatilityGroups: [], sequence: sequence)
    }

    mutating func updateVolatility(_ update: VolatilityUpdate, time: Timestamp, sequence: UInt64) throws(EventRejection) {
        guard !update.volatilities.isEmpty else {
            throw EventRejection(.invalidField, field: "volatilities", value: "", message: "a volatility update needs at least one volatility")
        }
        var groups: [Int] = []
        for (i, entry) in update.volatilities.enumerated() {
            try checkInstrument(entry.instrument, field: "volatilities[\(i)].instrument")
            guard catalog[instrument: entry.instrument].isOption else {
                throw EventRejection(.invalidField, field: "volatilities.\(catalog[instrument: entry.instrument].symbol)", value: catalog[instrument: entry.instrument].symbol,
                                     message: "\(catalog[instrument: entry.instrument].symbol) is not an option")
            }
            try checkPrice(entry.volatility, field: "volatilities.\(catalog[instrument: entry.instrument].symbol)")
            let group = catalog[instrument: entry.instrument].underlying.index
            if !groups.contains(group) { groups.append(group) }
        }
        for entry in update.volatilities { market.impliedVolatilities[entry.instrument.index] = entry.volatility }
        marketMoved(time: time, volatilityGroups: groups.sorted(), sequence: sequence)
    }

    /// Rebuilds the context after market data changed at `time` and re-evaluates the units the move can affect: the
    /// risk index's due units, and every holder of an instrument that expired meanwhile.
    private mutating func marketMoved(time: Timestamp, volatilityGroups: [Int], sequence: UInt64) {
        let before = market.time
        market.time = max(market.time, time)
        rebuildContext()
        let next = PriceVector(context)
        let changed = next.changedGroups(from: prices, slots: index.groupSlots)
        prices = next
        // Time moves portfolio risk arrays (options repriced to a shorter expiry): when it advances, the pools that
        // registered a tolerance of −1 in an option's underlying (portfolio pools, and pools that failed to evaluate)
        // are due, as for a volatility change.
        var timeGroups = volatilityGroups
        if market.time > before {
            for instrument in catalog.instruments where instrument.isOption && !timeGroups.contains(instrument.underlying.index) {
                timeGroups.append(instrument.underlying.index)
            }
        }
        var due = index.due(changed: changed, volatilityChanged: timeGroups, prices: prices)
        if market.time > before {
            for (i, instrument) in catalog.instruments.enumerated() {
                guard let expiry = instrument.kind.expiry, expiry > before, expiry <= market.time, !settled[i] else { continue }
                for a in accounts.indices where accounts[a].holds(InstrumentID(i)) { due.append(unit(ofAccount: Int32(a))) }
            }
        }
        due.sort()
        // The due accounts are a sparse, random subset of the book (a 0.5 % BTC move: 41,000 of 1,000,000), so each
        // evaluation would wait for its account's record, status, registration, positions and balances in turn. As in
        // a batch of events (``apply(_:assigningSequences:_:)``), they are requested ahead: the records four units
        // ahead, the holdings (whose addresses the record holds) two ahead.
        var last: MarginUnit?
        for i in due.indices {
            if i &+ 4 < due.count, let a = due[i &+ 4].account { prefetchRecord(ofAccount: Int(a)) }
            if i &+ 2 < due.count, let a = due[i &+ 2].account { prefetchHoldings(ofAccount: Int(a)) }
            let unit = due[i]
            guard unit != last else { continue }
            reevaluate(unit, sequence: sequence)
            last = unit
        }
    }

    /// Rebuilds the risk context from the market and parameters (O(instruments); risk arrays too under portfolio
    /// parameters).
    mutating func rebuildContext() {
        context = RiskContext(catalog: catalog, snapshot: market, parameters: parameters)
    }
}
