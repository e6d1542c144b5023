import BallastCore
import Testing

@Suite("Trades, what-if and maximum order size")
struct TradeExecutionTests {
    func market() throws -> TestMarket {
        var market = TestMarket()
        try market.asset("USDT", decimals: 6, price: 1)
        try market.asset("BTC", price: 30_000)
        try market.asset("ETH", price: 2_000)
        try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", tick: "0.1", mark: 30_000, schedule: try binanceBTCUSDT())
        try market.perpetual("ETHUSDT", underlying: "ETH", quote: "USDT", mark: 2_000,
                             schedule: try flatSchedule(maintenance: 0.01, maxLeverage: 50))
        try market.perpetual("BTCUSD", underlying: "BTC", quote: "USD", settlement: .inverse, contractSize: "100", lot: "1", tick: "0.5",
                             mark: 30_000, schedule: try binanceBTCUSDTScaled(inverse: true))
        try market.future("BTCUSDT-SPOT", kind: .spot, underlying: "BTC", quote: "USDT", lot: "0.0001", mark: 30_000, schedule: nil)
        return market
    }

    func trade(_ market: TestMarket, _ symbol: String, _ size: String, at price: String, fee: String = "0") throws -> Trade {
        let id = try require(market.catalog.instrument(symbol))
        let instrument = market.catalog[instrument: id]
        let units = try require(try fixed(size).rescaled(to: instrument.sizeDecimals, rounding: .towardZero))
        return Trade(instrument: id, size: try require(Int64(exactly: units.units)), price: try fixed(price),
                     fee: try market.units(fee, of: market.catalog[asset: instrument.settle].symbol))
    }

    /// The immediate gain against the mark (30,000) of the contracts a trade opens, by hand:
    /// - buy 2 BTCUSDT at 29,900 on a flat book: 2·(30,000 − 29,900) = 200; sell 2 at 29,900: a loss, 0;
    /// - a long of 1 sold 3 at 30,100 (flip: 2 opened short): 2·(30,100 − 30,000) = 200; sold 1 (a reduction): 0;
    /// - buy 10 BTCUSD (100 USD each) at 29,700: 1,000·(1/29,700 − 1/30,000) BTC × 30,000 USD = 10.1010… USD;
    /// the linear gains come exactly (the mark is a decimal), so they compare equal.
    @Test("open gain: only the contracts opened, only a gain (linear, flip, inverse)")
    func openGain() throws {
        let market = try market()
        let context = market.context()
        #expect(PreTradeCheck.openGain(try trade(market, "BTCUSDT", "2", at: "29900"), holding: nil, context: context) == 200)
        #expect(PreTradeCheck.openGain(try trade(market, "BTCUSDT", "-2", at: "29900"), holding: nil, context: context) == 0)
        let long1 = try market.position("BTCUSDT", size: "1", entry: "30000")
        #expect(PreTradeCheck.openGain(try trade(market, "BTCUSDT", "-3", at: "30100"), holding: long1, context: context) == 200)
        #expect(PreTradeCheck.openGain(try trade(market, "BTCUSDT", "-1", at: "30100"), holding: long1, context: context) == 0)
        let inverse = PreTradeCheck.openGain(try trade(market, "BTCUSD", "10", at: "29700"), holding: nil, context: context)
        #expect(abs(inverse - 1_000 * (1 / 29_700.0 - 1 / 30_000.0) * 30_000) < 1e-9)
        // An isolated trade's gain stays in its isolated pool: none for the cross check.
        var isolated = try trade(market, "BTCUSDT", "2", at: "29900")
        isolated.isolated = true
        #expect(PreTradeCheck.openGain(isolated, holding: nil, context: context) == 0)
    }

    /// Long 2 BTC at 100, sell 1 at 130: realised (130 − 100)·1 = 30; remaining 1 at 100.
    @Test("a reduction realises PnL at the average entry, exactly")
    func realisedPnL() throws {
        let market = try market()
        let context = market.context()
        var account = try market.account(balances: [("USDT", "1000")], positions: [])
        (account, _) = try TradeExecution.apply(try trade(market, "BTCUSDT", "1", at: "100"), to: account, context: context)
        (account, _) = try TradeExecution.apply(try trade(market, "BTCUSDT", "1", at: "100.2"), to: account, context: context)
        let (after, effect) = try TradeExecution.apply(try trade(market, "BTCUSDT", "-1", at: "130", fee: "0.25"), to: account, context: context)
        // Average entry 100.1; realised 130 − 100.1 = 29.9, minus the fee 0.25.
        #expect(effect.realisedPnL == 29_900_000)
        #expect(after.balance(try require(market.catalog.asset("USDT"))) == 1_029_650_000)
        let position = try require(after.position(try require(market.catalog.instrument("BTCUSDT"))))
        #expect(position.size == 1_000)
        let entry = try require(EntryPrice.average(position: position, instrument: market.catalog[instrument: position.instrument]))
        #expect(abs(entry - 100.1) < 1e-12, "the exact cost 100.1 shown as a Double")
        #expect(position.cost == 100_100_000_000_000_000_000, "the cost basis itself is exact: 100.1 at 10^-18")
        #expect(effect.reducesOnly)
    }

    /// Inverse: long 3,000 USD at 30,000 (0.1 BTC), close at 33,000: PnL = 3000·(1/30000 − 1/33000) = 0.00909090… BTC,
    /// credited down to 0.00909090 and the residue below one satoshi reported:
    /// exit value 3000/33000 = 0.090909090909090909 (half-even at 18 decimals), PnL = 0.1 − that = 0.009090909090909091,
    /// residue = 0.009090909090909091 − 0.00909090 = 0.000000009090909091.
    @Test("inverse PnL is coin-exact and rounded down to the satoshi")
    func inversePnL() throws {
        let market = try market()
        let context = market.context()
        var account = try market.account(balances: [("BTC", "1")], positions: [])
        (account, _) = try TradeExecution.apply(try trade(market, "BTCUSD", "30", at: "30000"), to: account, context: context)
        let (after, effect) = try TradeExecution.apply(try trade(market, "BTCUSD", "-30", at: "33000"), to: account, context: context)
        #expect(effect.realisedPnL == 909_090)
        #expect(effect.roundingResidue == 9_090_909_091)
        #expect(after.balance(try require(market.catalog.asset("BTC"))) == 100_909_090)
        #expect(after.positions.isEmpty)
    }

    @Test("a trade larger than the position flips it at the fill price")
    func flip() throws {
        let market = try market()
        let context = market.context()
        var account = try market.account(balances: [("USDT", "100000")], positions: [try market.position("ETHUSDT", size: "2", entry: "1900")])
        let effect: TradeEffect
        (account, effect) = try TradeExecution.apply(try trade(market, "ETHUSDT", "-5", at: "2000"), to: account, context: context)
        #expect(effect.realisedPnL == 200_000_000)
        #expect(!effect.reducesOnly)
        let position = try require(account.position(try require(market.catalog.instrument("ETHUSDT"))))
        #expect(position.size == -3_000)
        #expect(EntryPrice.average(position: position, instrument: market.catalog[instrument: position.instrument]) == 2_000)
    }

    @Test("spot trades exchange balances, the payer rounded up")
    func spot() throws {
        let market = try market()
        let context = market.context()
        let account = try market.account(balances: [("USDT", "100")], positions: [])
        // 0.0003 BTC at 30,000.123456 = 9.0000370368 USDT → 9.000038 paid.
        let (after, _) = try TradeExecution.apply(try trade(market, "BTCUSDT-SPOT", "0.0003", at: "30000.123456"), to: account, context: context)
        #expect(after.balance(try require(market.catalog.asset("BTC"))) == 30_000)
        #expect(after.balance(try require(market.catalog.asset("USDT"))) == 100_000_000 - 9_000_038)
    }

    @Test("isolated: opening moves the initial margin in, reducing releases it in proportion, closing releases the rest")
    func isolatedTransfers() throws {
        let market = try market()
        let context = market.context()
        var account = try market.account(balances: [("USDT", "10000")], positions: [])
        var open = try trade(market, "ETHUSDT", "1", at: "2000")
        open.isolated = true
        open.leverage = 10
        var effect: TradeEffect
        (account, effect) = try TradeExecution.apply(open, to: account, context: context)
        #expect(effect.isolatedTransfer == 200_000_000, "IM = 2,000 / 10")
        (account, effect) = try TradeExecution.apply(try trade(market, "ETHUSDT", "-0.25", at: "2000"), to: account, context: context)
        #expect(effect.isolatedTransfer == -50_000_000)
        (account, effect) = try TradeExecution.apply(try trade(market, "ETHUSDT", "-0.75", at: "2000"), to: account, context: context)
        #expect(effect.isolatedTransfer == -150_000_000)
        #expect(account.positions.isEmpty)
        #expect(account.balance(try require(market.catalog.asset("USDT"))) == 10_000_000_000)
    }

    /// An isolated long of 1 ETH at 2,000 holds 300 USDT, 100 more than its IM at 10x (margin added by hand). Buying
    /// 0.5 brings in the IM of the added size, 300 − 200 = 100, as Binance charges an isolated order's IM to the cross
    /// wallet, so the buffer stays: 400 (under `top_up` the IM of 1.5 ETH, 300, is already there and nothing moves).
    /// Selling the 0.5 back releases its share, 400 × 0.5/1.5 = 133.333334 rounded to the cross pool's disadvantage:
    /// 266.666667 stays. With the mark moved to 2,200 over a margin of 200 (IM 220), buying 1 more brings in
    /// 440 − 220 = 220 (`top_up`: 440 − 200 = 240). Then random books: increases in one fill or split into several give
    /// the same margin (the IMs telescope), so the order of fills does not matter.
    @Test("an isolated increase brings in the added size's IM (or tops up, by convention); split fills add up to one")
    func isolatedIncrease() throws {
        var market = try market()
        let context = market.context()
        let eth = try require(market.catalog.instrument("ETHUSDT"))
        func isolated(_ size: String, margin: Int128) throws -> Account {
            var position = try market.position("ETHUSDT", size: size, entry: "2000")
            position.mode = .isolated(margin: margin)
            position.leverage = 10
            return try market.account(balances: [("USDT", "100000")], positions: [position])
        }
        func toppingUp(_ context: RiskContext) -> RiskContext {
            var parameters = context.parameters
            parameters.conventions.isolatedIncrease = .topUp
            return RiskContext(catalog: context.catalog, snapshot: context.snapshot, parameters: parameters)
        }
        let account = try isolated("1", margin: 300_000_000)
        let (grown, growth) = try TradeExecution.apply(try trade(market, "ETHUSDT", "0.5", at: "2000"), to: account, context: context)
        #expect(growth.isolatedTransfer == 100_000_000)
        #expect(grown.position(eth)?.mode == .isolated(margin: 400_000_000))
        let (back, release) = try TradeExecution.apply(try trade(market, "ETHUSDT", "-0.5", at: "2000"), to: grown, context: context)
        #expect(release.isolatedTransfer == -133_333_333)
        #expect(back.position(eth)?.mode == .isolated(margin: 266_666_667))
        let (_, topUp) = try TradeExecution.apply(try trade(market, "ETHUSDT", "0.5", at: "2000"), to: account, context: toppingUp(context))
        #expect(topUp.isolatedTransfer == 0)

        market.marks["ETHUSDT"] = 2_200
        let moved = market.context()
        let thin = try isolated("1", margin: 200_000_000)
        let (_, added) = try TradeExecution.apply(try trade(market, "ETHUSDT", "1", at: "2200"), to: thin, context: moved)
        #expect(added.isolatedTransfer == 220_000_000)
        let (_, toppedUp) = try TradeExecution.apply(try trade(market, "ETHUSDT", "1", at: "2200"), to: thin, context: toppingUp(moved))
        #expect(toppedUp.isolatedTransfer == 240_000_000)

        var rng = SeededGenerator(seed: 0x150)
        for trial in 0..<100 {
            let sign = Bool.random(using: &rng) ? "" : "-"
            let start = try isolated(sign + format3(Double(Int.random(in: 1...5_000, using: &rng)) / 1000),
                                     margin: Int128(Int.random(in: 1...5_000_000_000, using: &rng)))
            let parts = (0..<Int.random(in: 2...4, using: &rng)).map { _ in Int.random(in: 1...3_000, using: &rng) }
            var split = start
            for part in parts {
                (split, _) = try TradeExecution.apply(try trade(market, "ETHUSDT", sign + format3(Double(part) / 1000), at: "2000"), to: split, context: context)
            }
            let (whole, _) = try TradeExecution.apply(try trade(market, "ETHUSDT", sign + format3(Double(parts.reduce(0, +)) / 1000), at: "2000"),
                                                      to: start, context: context)
            #expect(split == whole, "trial \(trial)")
        }
    }

    /// A what-if trade followed by its reverse at the same price (no fees) restores every figure of the report exactly.
    @Test("a trade and its reverse restore every figure exactly (random accounts and trades)")
    func roundTrip() throws {
        let market = try market()
        let context = market.context()
        var rng = SeededGenerator(seed: 21)
        let symbols = ["BTCUSDT", "ETHUSDT", "BTCUSD"]
        for trial in 0..<80 {
            var positions: [Position] = []
            for symbol in symbols where Bool.random(using: &rng) {
                let size = symbol == "BTCUSD" ? String(Int.random(in: -4_000...4_000, using: &rng) | 1) : format3(Double.random(in: -20...20, using: &rng))
                if size == "0.000" { continue }
                let entry = symbol == "ETHUSDT" ? String(Double(Int.random(in: 1_500_00...2_500_00, using: &rng)) / 100)
                    : String(Int.random(in: 25_000...35_000, using: &rng)) + ".5"
                positions.append(try market.position(symbol, size: size, entry: entry))
            }
            let account = try market.account(balances: [("USDT", String(Int.random(in: 1_000...500_000, using: &rng)) + ".123456"), ("BTC", "0.37")],
                                              positions: positions)
            let symbol = symbols[Int.random(in: 0..<3, using: &rng)]
            let size = symbol == "BTCUSD" ? String(Int.random(in: 1...2_000, using: &rng)) : format3(Double.random(in: 0.001...15, using: &rng))
            let price = symbol == "ETHUSDT" ? "2012.37" : "30123.5"
            let forward = try trade(market, symbol, (Bool.random(using: &rng) ? "-" : "") + size, at: price)
            var backward = forward
            backward.size = -forward.size
            let whatIf = try WhatIf(account: account, trades: [forward, backward], context: context)
            let before = whatIf.before, after = whatIf.after
            #expect(after.cross == before.cross, "trial \(trial)")
            #expect(after.total == before.total)
            #expect(after.assets.map(\.equity) == before.assets.map(\.equity))
            #expect(after.assets.map(\.collateralValue) == before.assets.map(\.collateralValue))
            let risk = { (lines: [MarginReport.PositionLine]) in lines.map { [$0.instrument, $0.size.description, $0.notional.description,
                $0.initial.description, $0.maintenance.description, "\($0.liquidationPrice)", "\($0.bankruptcyPrice)", "\($0.tier ?? 0)"] } }
            #expect(risk(after.positions) == risk(before.positions), "trial \(trial)")
        }
    }

    /// An inverse basis is rounded at 10^-18 (100/113,396.1 BTC has no finite decimal form), so adding one contract at
    /// the entry price and selling it back realises share − exit = −10^-18 BTC. Rounded down that was a whole unit of
    /// loss (0.0001 BTC at 4 decimals, one satoshi at 8), and the rest of the unit went into the basis, moving the entry
    /// from 113,396.1 to 109,265.99 at 4 decimals. A partial close rounds toward zero, so the round trip realises 0.
    @Test("an inverse trade and its reverse at the entry price realise nothing and restore every figure", arguments: [4, 8])
    func inverseRoundTripAtEntry(decimals: Int) throws {
        var market = TestMarket()
        try market.asset("BTC", decimals: decimals, price: 109_135)
        try market.perpetual("BTCUSD_PERP", underlying: "BTC", quote: "USD", settlement: .inverse, contractSize: "100", lot: "1", tick: "0.1",
                             mark: 109_135, schedule: try flatSchedule(maintenance: 0.004, maxLeverage: 125, basis: .entry))
        let context = market.context()
        let held = try market.position("BTCUSD_PERP", size: "3", entry: "113396.1", leverage: 10)
        let account = try market.account(balances: [("BTC", "5.5")], positions: [held])
        let forward = try trade(market, "BTCUSD_PERP", "1", at: "113396.1")
        var backward = forward
        backward.size = -forward.size
        let whatIf = try WhatIf(account: account, trades: [forward, backward], context: context)
        #expect(whatIf.steps.map(\.effect.realisedPnL) == [0, 0])
        #expect(whatIf.accountAfter.balance(try require(market.catalog.asset("BTC"))) == account.balance(try require(market.catalog.asset("BTC"))))
        // The basis differs from the start by the share's rounding at 10^-18 only.
        #expect(abs(try require(whatIf.accountAfter.positions.first).cost - held.cost) <= 1)
        #expect(whatIf.after.cross == whatIf.before.cross)
        #expect(whatIf.after.assets == whatIf.before.assets)
        #expect(whatIf.after.positions.map(\.entryPrice) == whatIf.before.positions.map(\.entryPrice))
    }

    /// The same rounding in a basis built in pieces, closed in full at the entry price: long 3 ETHUSD (10 USD each,
    /// ETH at 4 decimals) at 5,495.5, then every trade at 5,495.5. A flip's short, an increased long or what a partial
    /// close left carries its pieces' rounding at 10^-18, so the full close's PnL is −10^-18 ETH; rounded down that was
    /// a whole unit (0.0001 ETH). The full close now forgives ``TradeExecution/harmonicBasisRounding`` first.
    @Test("an inverse basis built in pieces closes at the entry price without a unit of loss", arguments: [
        ["-6", "6"], ["-1", "-2"], ["3", "-6"],
    ])
    func inverseFullCloseAtEntry(sizes: [String]) throws {
        var market = TestMarket()
        try market.asset("ETH", decimals: 4, price: 5_495.5)
        try market.perpetual("ETHUSD", underlying: "ETH", quote: "USD", settlement: .inverse, contractSize: "10", lot: "1", tick: "0.5",
                             mark: 5_495.5, schedule: try flatSchedule(maintenance: 0.005, maxLeverage: 100))
        let context = market.context()
        let account = try market.account(balances: [("ETH", "1000")], positions: [try market.position("ETHUSD", size: "3", entry: "5495.5")])
        let trades = try sizes.map { try trade(market, "ETHUSD", $0, at: "5495.5") }
        let whatIf = try WhatIf(account: account, trades: trades, context: context)
        #expect(whatIf.steps.map(\.effect.realisedPnL) == [0, 0])
        let eth = try require(market.catalog.asset("ETH"))
        #expect(whatIf.accountAfter.balance(eth) == 10_000_000)
    }

    @Test("the maximum order passes and one more lot fails")
    func maxOrderSize() throws {
        let market = try market()
        let context = market.context()
        let account = try market.account(balances: [("USDT", "10000")], positions: [try market.position("BTCUSDT", size: "0.5", entry: "29000")])
        let id = try require(market.catalog.instrument("BTCUSDT"))
        for side in MaxOrderSize.Side.allCases {
            let result = try MaxOrderSize.search(account: account, instrument: id, side: side, price: try fixed("30000"), context: context)
            #expect(result.size > 0)
            #expect(result.check?.passes == true)
            var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
            let sign: Int64 = side == .buy ? 1 : -1
            let more = Trade(instrument: id, size: sign * (result.size + 1), price: try fixed("30000"))
            #expect(try PreTradeCheck.evaluate(more, account: account, context: context, workspace: &workspace).0.passes == false)
        }
        // Hand check for the buy side: equity 10,000 + 0.5·(30,000 − 29,000) = 10,500 covers IM of (0.5 + x)·30,000/125
        // while the notional stays under 50,000 (125×): x ≤ 1.166 → 1.166 BTC passes; above 50,000 the cap falls to 100×.
        let buy = try MaxOrderSize.search(account: account, instrument: id, side: .buy, price: try fixed("30000"), context: context)
        #expect(buy.size >= 1_166)
    }

    @Test("a reduce-only trade passes even when the account is under water")
    func reduceOnlyPasses() throws {
        let market = try market()
        let context = market.context()
        let account = try market.account(balances: [("USDT", "10")], positions: [try market.position("BTCUSDT", size: "1", entry: "40000")])
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        let (check, _, _) = try PreTradeCheck.evaluate(try trade(market, "BTCUSDT", "-0.5", at: "30000"), account: account, context: context, workspace: &workspace)
        #expect(check.passes && check.reducesOnly)
        let (increase, _, _) = try PreTradeCheck.evaluate(try trade(market, "BTCUSDT", "0.5", at: "30000"), account: account, context: context, workspace: &workspace)
        #expect(!increase.passes)
        #expect(increase.reason.contains("exceeds"))
    }
    /// At 18 decimals a ledger unit is 10^-18, so a PnL is as large as Int128 allows: a long of 10^9 contracts at
    /// 1.7·10^11 WEI (cost 1.7·10^20 WEI, 1.7·10^38 units) sold at 0.000001 realises about −1.7·10^38 units, and its fee
    /// of 10^18 WEI (10^36 units) takes the credit below Int128.min. The subtraction trapped; the trade throws.
    @Test("a credit beyond Int128 at 18 decimals throws overflow instead of trapping")
    func creditOverflow() throws {
        var market = TestMarket()
        try market.asset("WEI", decimals: 18, price: 1e-12)
        try market.asset("X", decimals: 0, price: 1)
        try market.perpetual("XWEI", underlying: "X", quote: "WEI", lot: "1", tick: "0.000001", mark: 1,
                             schedule: try flatSchedule(maintenance: 0.005, maxLeverage: 100))
        let context = market.context()
        let account = try market.account(balances: [], positions: [try market.position("XWEI", size: "1000000000", entry: "170000000000")])
        let close = try trade(market, "XWEI", "-1000000000", at: "0.000001", fee: "1000000000000000000")
        #expect(throws: TradeError.overflow(instrument: "XWEI")) { try TradeExecution.plan(close, account: account, context: context) }
        // Without the fee the credit fits Int128, −(1.7·10^38 − 10^21) units, but −1.7·10^20 WEI is beyond the ledger's
        // range of ±10^20 WEI: the plan says so (every path that plans a trade meets the range).
        var free = close
        free.fee = 0
        #expect(throws: TradeError.ledgerRange(instrument: "XWEI", asset: "WEI", isolated: false)) {
            try TradeExecution.plan(free, account: account, context: context)
        }
        // Half the position is within it: the exit 5·10^8 × 0.000001 = 500 WEI (5·10^20 units) less the cost
        // 5·10^8 × 1.7·10^11 = 8.5·10^19 WEI (8.5·10^37 units), realised exactly.
        let half = try market.account(balances: [], positions: [try market.position("XWEI", size: "500000000", entry: "170000000000")])
        let plan = try TradeExecution.plan(try trade(market, "XWEI", "-500000000", at: "0.000001"), account: half, context: context)
        let expected: Int128 = -85_000_000_000_000_000_000_000_000_000_000_000_000 + 500_000_000_000_000_000_000
        #expect(plan.credit.units == expected)
    }

    /// An isolated position whose initial margin would pass ±10^20 of its settlement asset, and a fee that would take a
    /// balance there, are refused by the plan itself, so a what-if, a pre-trade check and a fill agree.
    @Test("a trade that would take an isolated margin or a balance beyond the ledger's range is refused by its plan")
    func ledgerRangeInPlan() throws {
        var market = TestMarket()
        try market.asset("USDT", decimals: 6, price: 1)
        try market.asset("BTC", decimals: 8, price: 1_000_000)
        try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", lot: "1", tick: "1", mark: 1_000_000,
                             schedule: try flatSchedule(maintenance: 0.005, maxLeverage: 100))
        let context = market.context()
        // 1.5·10^14 BTC at 10^6 USDT: 1.5·10^20 USDT of notional (1.5·10^38 at 10^-18, within Int128); at 1× its
        // initial margin, 1.5·10^20 USDT, is beyond the range.
        var isolated = try trade(market, "BTCUSDT", "150000000000000", at: "1000000")
        isolated.isolated = true
        isolated.leverage = 1
        #expect(throws: TradeError.ledgerRange(instrument: "BTCUSDT", asset: "USDT", isolated: true)) {
            try TradeExecution.plan(isolated, account: try market.account(balances: [], positions: []), context: context)
        }
        // A balance of −10^20 + 1 USDT (−10^26 + 10^6 units; beyond what one decimal amount can write, so set in units):
        // a fee of 1 USDT lands on the bound, −10^20, which is inside; 1.000001 is not.
        var indebted = Account(id: "indebted")
        indebted.setBalance(try require(market.catalog.asset("USDT")), units: -100_000_000_000_000_000_000_000_000 + 1_000_000)
        let onBound = try TradeExecution.plan(try trade(market, "BTCUSDT", "1", at: "1000000", fee: "1"), account: indebted, context: context)
        #expect(onBound.credit.units == -1_000_000)
        #expect(throws: TradeError.ledgerRange(instrument: "BTCUSDT", asset: "USDT", isolated: false)) {
            try TradeExecution.plan(try trade(market, "BTCUSDT", "1", at: "1000000", fee: "1.000001"), account: indebted, context: context)
        }
    }
}
