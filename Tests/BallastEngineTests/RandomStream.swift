import BallastCore
import BallastEngine

/// A seeded stream of plausible and implausible events over the ``EngineFixture`` venue: fills between accounts and
/// with the outside world (perpetuals, inverse, future, options, spot; cross and isolated; one-way and hedge-mode legs), random-walk prices with
/// jumps, deposits, withdrawals and transfers (some refused), funding, group changes, volatility and parameter
/// changes, and a share of invalid events that must be rejected.
struct RandomStream {
    var rng: SeededGenerator
    var script = EventScript()
    let accounts: [String]
    var btc = 60_000.0
    var eth = 3_000.0
    var call = 1_500.0
    var put = 800.0
    var basis = [0.0, 0.0, 0.0, 500.0]
    var parameterVersion = 1

    init(seed: UInt64, accountCount: Int) {
        rng = SeededGenerator(seed: seed)
        accounts = (0..<accountCount).map { "acct-\($0)" }
    }

    mutating func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
    mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { uniform() < p }
    mutating func someAccount() -> String { accounts[below(accounts.count)] }

    /// Whether the account trades BTCUSDT and the BTC future in hedge-mode legs: every fourth one.
    static func tradesInLegs(_ account: String) -> Bool { (Int(account.dropFirst(5)) ?? 1) % 4 == 0 }

    /// The opening events: every account opened and funded.
    mutating func opening() -> [EngineEvent] {
        var events: [EngineEvent] = []
        for id in accounts {
            events.append(script.next(.openAccount(AccountOpening(account: id))))
            events.append(script.next(.deposit(FundsMovement(account: id, asset: EngineFixture.usdc, amount: Int128(1_000 + below(200_000)) * 1_000_000))))
            if chance(0.3) {
                events.append(script.next(.deposit(FundsMovement(account: id, asset: EngineFixture.btc, amount: Int128(1 + below(100_000_000))))))
            }
            if chance(0.2) {
                events.append(script.next(.deposit(FundsMovement(account: id, asset: EngineFixture.eth, amount: Int128(1 + below(1_000_000_000))))))
            }
        }
        return events
    }

    /// The next event.
    mutating func next() -> EngineEvent {
        let roll = uniform()
        let body: EventBody
        switch roll {
        case ..<0.36: body = fill()
        case ..<0.66: body = prices()
        case ..<0.74: body = .deposit(FundsMovement(account: someAccount(), asset: asset(), amount: Int128(1 + below(5_000_000_000))))
        case ..<0.82: body = .withdrawal(FundsMovement(account: someAccount(), asset: asset(), amount: Int128(1 + below(20_000_000_000))))
        case ..<0.86: body = .transfer(Transfer(from: someAccount(), to: someAccount(), asset: asset(), amount: Int128(1 + below(5_000_000_000))))
        case ..<0.89: body = funding()
        case ..<0.91: body = group()
        case ..<0.92: body = .volatility(VolatilityUpdate(volatilities: [ImpliedVolatility(instrument: EngineFixture.btcCall, volatility: 0.4 + uniform())]))
        case ..<0.925: body = parameterChange()
        default: body = invalid()
        }
        return script.next(body, at: Timestamp(millisecondsSinceEpoch: script.time.millisecondsSinceEpoch + Int64(below(2_000))))
    }

    mutating func asset() -> AssetID {
        let r = uniform()
        return r < 0.7 ? EngineFixture.usdc : (r < 0.9 ? EngineFixture.btc : EngineFixture.eth)
    }

    mutating func fill() -> EventBody {
        let choice = below(7)
        let instrument = InstrumentID(choice)
        let (price, tick, lot): (Double, Double, Int64)
        switch choice {
        case 0: (price, tick, lot) = (btc, 0.1, 1)
        case 1: (price, tick, lot) = (eth, 0.01, 1)
        case 2: (price, tick, lot) = (btc, 0.1, 1)
        case 3: (price, tick, lot) = (btc + basis[3], 0.5, 1)
        case 4: (price, tick, lot) = (call, 0.5, 1)
        case 5: (price, tick, lot) = (put, 0.5, 1)
        default: (price, tick, lot) = (btc, 0.01, 1)
        }
        let drift = price * (uniform() - 0.5) * 0.004
        let ticks = max(1, ((price + drift) / tick).rounded())
        let decimals = choice == 1 || choice == 6 ? 2 : 1
        let fixedPrice = FixedPoint(units: Int128(ticks * tick * pow10(decimals) + 0.5), scale: decimals)
        let size: Int64
        switch choice {
        case 2: size = Int64(1 + below(2_000)) * lot  // 100 USD contracts
        case 4, 5: size = Int64(1 + below(300)) * lot  // 0.01 lots
        case 6: size = Int64(1 + below(20_000)) * lot  // 0.0001 BTC
        case 1: size = Int64(1 + below(5_000)) * lot  // 0.01 ETH
        default: size = Int64(1 + below(3_000)) * lot  // 0.001 BTC
        }
        func side() -> Fill.Side? {
            if chance(0.1) { return nil }
            let isolated = (choice == 0 || choice == 3) && chance(0.15)
            let account = someAccount()
            // Every fourth account trades BTCUSDT and the future in hedge-mode legs, either leg at random (a fill against
            // its leg closes part of it, or is refused when it would flip the leg); now and then an account uses the
            // other mode, which is refused.
            var positionSide = PositionSide.net
            if choice == 0 || choice == 3 {
                let hedged = Self.tradesInLegs(account) != chance(0.03)
                if hedged { positionSide = chance(0.5) ? .long : .short }
            }
            return Fill.Side(account: account, fee: Int128(below(50_000)), leverage: chance(0.5) ? Double(1 + below(50)) : nil, isolated: isolated,
                             positionSide: positionSide)
        }
        var buyer = side()
        var seller = side()
        if buyer == nil && seller == nil { buyer = Fill.Side(account: someAccount()) }
        if let b = buyer, let s = seller, b.account == s.account { seller = nil }
        if choice == 2, var b = buyer { b.fee = Int128(below(100)); buyer = b }
        if choice == 2, var s = seller { s.fee = Int128(below(100)); seller = s }
        return .fill(Fill(instrument: instrument, price: fixedPrice, size: size, buyer: buyer, seller: seller))
    }

    func pow10(_ n: Int) -> Double { n == 1 ? 10 : (n == 2 ? 100 : 1) }

    mutating func prices() -> EventBody {
        let jump = chance(0.03)
        let step = { (scale: Double, u: Double) in (u - 0.5) * scale }
        btc *= 1 + step(jump ? 0.16 : 0.012, uniform())
        eth *= 1 + step(jump ? 0.2 : 0.016, uniform())
        btc = min(max(btc, 20_000), 150_000)
        eth = min(max(eth, 800), 9_000)
        call = max(0.5, max(btc - 70_000, 0) + 1_500 * (1 + step(0.2, uniform())))
        put = max(0.5, max(50_000 - btc, 0) + 800 * (1 + step(0.2, uniform())))
        basis[3] = 500 * (1 + step(0.4, uniform()))
        var update = PriceUpdate(index: [IndexQuote(asset: EngineFixture.btc, price: btc), IndexQuote(asset: EngineFixture.eth, price: eth)],
                                 marks: [MarkQuote(instrument: EngineFixture.btcusdt, price: btc * (1 + step(0.001, uniform()))),
                                         MarkQuote(instrument: EngineFixture.ethusdt, price: eth),
                                         MarkQuote(instrument: EngineFixture.btcusd, price: btc),
                                         MarkQuote(instrument: EngineFixture.btcFuture, price: btc + basis[3]),
                                         MarkQuote(instrument: EngineFixture.btcCall, price: call),
                                         MarkQuote(instrument: EngineFixture.btcPut, price: put)])
        if chance(0.5) {
            // Only one underlying moves: the other group's pools must not be disturbed.
            update.index.removeLast()
            update.marks.remove(at: 1)
        }
        return .prices(update)
    }

    mutating func funding() -> EventBody {
        let perpetual = [EngineFixture.btcusdt, EngineFixture.ethusdt, EngineFixture.btcusd][below(3)]
        let rate = FixedPoint(units: Int128(below(2_001)) - 1_000, scale: 7)
        let price = FixedPoint(units: Int128((perpetual == EngineFixture.ethusdt ? eth : btc) * 100), scale: 2)
        return .funding(FundingPayment(instrument: perpetual, rate: rate, price: price))
    }

    mutating func group() -> EventBody {
        chance(0.5)
            ? .group(GroupMembership(account: someAccount(), group: ["desk-a", "desk-b"][below(2)]))
            : .group(GroupMembership(account: someAccount(), group: nil))
    }

    /// A parameter change whose parameters the driver must compute over the engine's latest parameters (as a
    /// document reader would).
    mutating func parameterChange() -> EventBody {
        parameterVersion += 1
        let name = chance(0.5) ? "eth-haircut-50" : "maintenance-line"
        let effective = Timestamp(millisecondsSinceEpoch: script.time.millisecondsSinceEpoch + Int64(below(600_000)))
        return .parameters(ParameterChange(version: parameterVersion, effective: effective, document: name,
                                           parameters: RiskParameters(catalog: Catalog())))
    }

    /// The expiry: time jumps past it and the future and both options settle at the current BTC price.
    mutating func expiry() -> [EngineEvent] {
        let time = Timestamp(millisecondsSinceEpoch: EngineFixture.expiry.millisecondsSinceEpoch + 3_600_000)
        let price = FixedPoint(units: Int128(btc * 100), scale: 2)
        return [EngineFixture.btcFuture, EngineFixture.btcCall, EngineFixture.btcPut].map { instrument in
            script.next(.settlement(ExpirySettlement(instrument: instrument, price: price)), at: time)
        }
    }

    mutating func invalid() -> EventBody {
        switch below(5) {
        case 0: return .deposit(FundsMovement(account: "ghost", asset: EngineFixture.usdc, amount: 1))
        case 1: return .prices(PriceUpdate(index: [IndexQuote(asset: EngineFixture.btc, price: -1)]))
        case 2: return .fill(Fill(instrument: EngineFixture.btcusdt, price: FixedPoint(units: 600_001, scale: 2), size: 1,
                                  buyer: Fill.Side(account: someAccount()), seller: nil))
        case 3: return .withdrawal(FundsMovement(account: someAccount(), asset: EngineFixture.usdc, amount: 0))
        default: return .settlement(ExpirySettlement(instrument: EngineFixture.btcFuture, price: FixedPoint(units: 60_000, scale: 0)))
        }
    }
}
