import BallastCore

/// Portfolio-margined BTC options books of the demo.
extension DemoBookBuilder {
    /// The shapes of book an options trader runs, and whether a delta hedge goes with it.
    private enum Strategy: CaseIterable {
        /// Short an out-of-the-money call and put.
        case shortStrangle
        /// Short strangle with long wings one strike further out.
        case ironCondor
        /// Long the at-the-money call and put.
        case longStraddle
        /// Short an out-of-the-money call, hedged long with the perpetual.
        case coveredCall
        /// Long an out-of-the-money call, short an out-of-the-money put, hedged short with the dated future.
        case riskReversal
        /// Short puts at and below the money, hedged short with the perpetual.
        case shortPuts
    }

    /// A portfolio-margined options book of 0.2–15 BTC per leg on one expiry, on USDC (and for some, BTC) collateral
    /// set to 2–6 times the portfolio maintenance margin (or inside its band).
    mutating func optionsBook(_ id: String) throws(DemoError) {
        var draft = DemoDraft(account: id, model: .portfolio, venue: venue)
        let expiry = rng.below(venue.calls.count)
        let calls = venue.calls[expiry]
        let puts = venue.puts[expiry]
        let atm = calls.count / 2
        let quantity = rng.logUniform(0.2, 15)
        let strategy: Strategy = rng.pick([(.shortStrangle, 0.25), (.ironCondor, 0.2), (.longStraddle, 0.15), (.coveredCall, 0.15),
                                           (.riskReversal, 0.1), (.shortPuts, 0.15)])
        if rng.chance(0.3) {
            draft.deposit(venue.btc, units: venue.amount(venue.btc, worth: quantity * venue.index(venue.btc) * rng.uniform(0.1, 0.3), decimals: 4))
        }
        draft.deposit(venue.usdc, units: venue.usdcCovering(1_000))
        func strike(_ offset: Int) -> Int { max(0, min(calls.count - 1, atm + offset)) }
        var legs: [(InstrumentID, Double)] = []
        var hedge: InstrumentID?
        switch strategy {
        case .shortStrangle:
            let width = rng.chance(0.5) ? 1 : 2
            legs = [(calls[strike(width)], -quantity), (puts[strike(-width)], -quantity)]
            if rng.chance(0.5) { hedge = venue.perpetual(on: venue.btc) }
        case .ironCondor:
            legs = [(calls[strike(1)], -quantity), (calls[strike(2)], quantity), (puts[strike(-1)], -quantity), (puts[strike(-2)], quantity)]
        case .longStraddle:
            legs = [(calls[atm], quantity), (puts[atm], quantity)]
        case .coveredCall:
            legs = [(calls[strike(rng.chance(0.5) ? 1 : 2)], -quantity)]
            hedge = venue.perpetual(on: venue.btc)
        case .riskReversal:
            legs = [(calls[strike(1)], quantity), (puts[strike(-1)], -quantity)]
            hedge = venue.future
        case .shortPuts:
            legs = [(puts[atm], -quantity / 2), (puts[strike(-1)], -quantity)]
            hedge = venue.perpetual(on: venue.btc)
        }
        var delta = 0.0
        for (option, contracts) in legs {
            let size = venue.size(option, contracts: contracts.magnitude) * (contracts > 0 ? 1 : -1)
            delta += Double(size) / Double(venue.size(option, contracts: 1)) * self.delta(option)
            try optionTrade(&draft, option, size: size)
        }
        if let hedge, delta.magnitude * venue.mark(hedge) > 1_000 {
            let multiplier = venue.catalog[instrument: hedge].contractSize.doubleValue
            let contracts = delta.magnitude * rng.uniform(0.7, 1) / multiplier
            try linear(&draft, hedge, notional: contracts * venue.mark(hedge) * multiplier, long: delta < 0, leverage: nil, spread: 0.002)
        }
        try finish(draft, kind: .optionsBook, band: drawBand(), comfortable: 2...6)
    }

    /// The Black-76 delta of one option contract at genesis (per unit of underlying).
    private func delta(_ option: InstrumentID) -> Double {
        guard case .option(let right, let strike, _) = venue.catalog[instrument: option].kind else { return 0 }
        let pricing = venue.context.details[option.index].pricing
        return Black76(right: right, forward: pricing.forward, strike: strike, volatility: pricing.volatility, time: pricing.timeToExpiry).delta
            * venue.catalog[instrument: option].contractSize.doubleValue
    }

    /// Plans an option fill with the outside world: bought 2 % above the model mark, sold 2 % below (at least one tick),
    /// with a fee of 3 bp of the index capped at 12.5 % of the premium.
    private mutating func optionTrade(_ draft: inout DemoDraft, _ option: InstrumentID, size: Int64) throws(DemoError) {
        let price = venue.price(option, near: venue.mark(option) * (size > 0 ? 1.02 : 0.98))
        let index = FixedPoint(venue.index(venue.btc), scale: 2, rounding: .halfEven) ?? price
        let fee = min(venue.fee(option, size: size, price: index, rate: Self.optionFee),
                      venue.fee(option, size: size, price: price, rate: Self.optionFeeCap))
        try trade(&draft, option, size: size, price: price, fee: fee)
    }
}
