import BallastCore

/// The linear kinds of demo account: perpetual traders, multi-asset collateral, isolated beside cross, margin groups.
extension DemoBookBuilder {
    /// USDC collateral (mostly 200–100,000, a few whales to 2,000,000), one to three positions at one leverage,
    /// using 50–100 % of what that leverage allows.
    mutating func perpetualTrader(_ id: String) throws(DemoError) {
        var draft = DemoDraft(account: id, venue: venue)
        let whale = rng.chance(0.05)
        let collateral = whale ? rng.logUniform(100_000, 2_000_000) : rng.logUniform(200, 100_000)
        draft.deposit(venue.usdc, units: venue.usdcCovering(collateral.rounded(.down)))
        let leverage = whale ? min(drawLeverage(), 10) : drawLeverage()
        let instruments = drawLinear(rng.pick([(1, 0.55), (2, 0.3), (3, 0.15)]))
        let notional = collateral * leverage * rng.uniform(0.5, 1) / Double(instruments.count)
        for instrument in instruments {
            try linear(&draft, instrument, notional: notional, long: rng.chance(0.55), leverage: leverage)
        }
        try finish(draft, kind: .perpetualTrader, band: drawBand())
    }

    /// 3,000–3,000,000 USD of BTC, ETH, SOL and some USDC; perpetuals at 1x–8x on it, and for some BTC holders a short
    /// BTC-PERP hedging half to all of the BTC held.
    mutating func multiCollateral(_ id: String) throws(DemoError) {
        var draft = DemoDraft(account: id, venue: venue)
        let value = rng.logUniform(3_000, 3_000_000)
        var weights = [(venue.btc, rng.chance(0.8) ? rng.uniform(0.2, 1) : 0, 4), (venue.eth, rng.chance(0.6) ? rng.uniform(0.2, 1) : 0, 3),
                       (venue.sol, rng.chance(0.4) ? rng.uniform(0.2, 1) : 0, 2), (venue.usdc, rng.chance(0.4) ? rng.uniform(0.1, 0.5) : 0, 0)]
        if weights[0].1 + weights[1].1 + weights[2].1 == 0 { weights[0].1 = 1 }
        let total = weights.reduce(0) { $0 + $1.1 }
        for (asset, weight, decimals) in weights where weight > 0 {
            draft.deposit(asset, units: venue.amount(asset, worth: value * weight / total, decimals: decimals))
        }
        let leverage: Double = rng.pick([(1, 0.15), (2, 0.25), (3, 0.25), (5, 0.2), (8, 0.15)])
        var exposure = value * leverage * rng.uniform(0.4, 0.9)
        var used: [InstrumentID] = []
        let btcHeld = draft.deposited(venue.btc)
        if btcHeld > 0, rng.chance(0.4) {
            let perpetual = venue.perpetual(on: venue.btc)
            let held = FixedPoint(units: btcHeld, scale: venue.catalog[asset: venue.btc].decimals).doubleValue
            let contracts = held * rng.uniform(0.5, 1)
            try linear(&draft, perpetual, notional: contracts * venue.mark(perpetual), long: false, leverage: leverage, spread: 0.004)
            exposure -= contracts * venue.mark(perpetual)
            used.append(perpetual)
        }
        let instruments = drawLinear(rng.pick([(1, 0.5), (2, 0.35), (3, 0.15)]), future: false, excluding: used)
        for instrument in instruments where exposure > 0 {
            try linear(&draft, instrument, notional: exposure / Double(instruments.count), long: rng.chance(0.6), leverage: leverage)
        }
        try finish(draft, kind: .multiCollateral, band: drawBand())
    }

    /// USDC collateral 500–200,000: a cross position at 3x–10x on a third to a half of it, and an isolated position
    /// at 5x–20x in another perpetual with a tenth to a third of it as margin (entered at the mark).
    mutating func isolatedAndCross(_ id: String) throws(DemoError) {
        var draft = DemoDraft(account: id, venue: venue)
        let collateral = rng.logUniform(500, 200_000)
        draft.deposit(venue.usdc, units: venue.usdcCovering(collateral.rounded(.down)))
        let crossLeverage: Double = rng.pick([(3, 0.3), (5, 0.4), (10, 0.3)])
        let cross = drawLinear(1, future: false)
        for instrument in cross {
            try linear(&draft, instrument, notional: collateral * crossLeverage * rng.uniform(0.3, 0.5), long: rng.chance(0.55), leverage: crossLeverage)
        }
        let isolatedLeverage: Double = rng.pick([(5, 0.3), (10, 0.35), (15, 0.2), (20, 0.15)])
        for instrument in drawLinear(1, future: false, excluding: cross) {
            try linear(&draft, instrument, notional: collateral * rng.uniform(0.1, 0.33) * isolatedLeverage, long: rng.chance(0.55),
                       leverage: isolatedLeverage, isolated: true)
        }
        try finish(draft, kind: .isolatedAndCross, band: drawBand())
    }

    /// Three accounts sharing one standard pool: a treasury member with 20,000–1,000,000 USDC (and for half of the
    /// groups BTC worth a fifth to half of that), two traders with small deposits running perpetuals at 3x–10x on the
    /// pool.
    mutating func group(_ ids: [String]) throws(DemoError) {
        var draft = DemoDraft(group: nextGroupID(), model: .standard, members: ids, venue: venue)
        let treasury = rng.logUniform(20_000, 1_000_000)
        var pool = treasury
        draft.deposit(venue.usdc, units: venue.usdcCovering(treasury.rounded(.down)))
        if rng.chance(0.5) {
            let worth = treasury * rng.uniform(0.2, 0.5)
            draft.deposit(venue.btc, units: venue.amount(venue.btc, worth: worth, decimals: 4))
            pool += worth
        }
        for member in 1..<ids.count {
            let own = rng.logUniform(500, 20_000)
            draft.deposit(venue.usdc, units: venue.usdcCovering(own.rounded(.down)), member: member)
            pool += own
        }
        let leverage: Double = rng.pick([(3, 0.3), (5, 0.4), (10, 0.3)])
        for member in 1..<ids.count {
            for instrument in drawLinear(rng.pick([(1, 0.6), (2, 0.4)])) {
                try linear(&draft, member: member, instrument, notional: pool * leverage * rng.uniform(0.1, 0.3), long: rng.chance(0.55),
                           leverage: leverage)
            }
        }
        try finish(draft, kind: .groupMember, band: drawBand())
    }
}
