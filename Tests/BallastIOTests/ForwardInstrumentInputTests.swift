import BallastCore
import BallastEngine
import BallastIO
import Foundation
import Testing

/// Options priced off a future's mark (`forward_instrument`, as Deribit prices an option off the future of its expiry).
///
/// BTC's index is 60,000 and the June future's mark 60,500. The call struck at 70,000 expires on 2021-06-25 08:00, so
/// T = 24⅓ days / 365 = 0.0666667 years; at σ = 60 % Black-76 gives (computed apart, Python `math.erfc`):
/// - on F = 60,500: d₁ = [ln(60,500/70,000) + 0.36·T/2]/(0.6·√T) = −0.8640, d₂ = −1.0189, value **936.0894**;
/// - on the index, F = 60,000: **842.8103**.
@Suite("Options priced off a future's mark")
struct ForwardInstrumentInputTests {
    static func document(call: String, future: String = #""kind": "future", "expiry": "2021-06-25T08:00:00Z", "mark_price": 60500"#,
                         position: String = "BTC-25JUN21-70000-C") -> Data {
        Data("""
            {"time": "2021-06-01T00:00:00Z",
             "assets": [{"symbol": "USDC", "decimals": 6, "index_price": 1}, {"symbol": "BTC", "decimals": 8, "index_price": 60000},
                        {"symbol": "ETH", "decimals": 8, "index_price": 2500}],
             "instruments": [
               {"symbol": "BTC-25JUN21-70000-C", "kind": "option", "right": "call", "strike": 70000, "expiry": "2021-06-25T08:00:00Z",
                "underlying": "BTC", "quote": "USDC", "tick_size": "0.5", "lot_size": "0.01", "implied_volatility": 0.6\(call)},
               {"symbol": "BTC-25JUN21", \(future), "underlying": "BTC", "quote": "USDC", "tick_size": "0.5", "lot_size": "0.001",
                "margin": {"shape": "tiered", "tiers": [{"floor": 0, "max_leverage": 50, "maintenance_rate": 0.01}]}},
               {"symbol": "BTC-PERP", "kind": "perpetual", "underlying": "BTC", "quote": "USDC", "tick_size": "0.5", "lot_size": "0.001",
                "mark_price": 60010},
               {"symbol": "BTC-18JUN21", "kind": "future", "expiry": "2021-06-18T08:00:00Z", "underlying": "BTC", "quote": "USDC",
                "tick_size": "0.5", "lot_size": "0.001", "mark_price": 60300},
               {"symbol": "ETH-PERP", "kind": "perpetual", "underlying": "ETH", "quote": "USDC", "tick_size": "0.01", "lot_size": "0.01",
                "mark_price": 2501}],
             "option_margin": {"BTC": "deribit-standard"},
             "account": {"id": "writer", "balances": [{"asset": "USDC", "amount": "100000"}],
                         "positions": [{"instrument": "\(position)", "size": "-1", "entry_price": "900"}]}}
            """.utf8)
    }

    func mark(_ call: String) throws -> Double {
        let input = try MarginInput.decode(Self.document(call: call))
        return input.context.instruments[0].mark
    }

    @Test("the model mark is Black-76 on the future's mark; a given forward gives the same, the index another")
    func pricing() throws {
        let onFuture = try mark(#", "forward_instrument": "BTC-25JUN21""#)
        #expect(abs(onFuture - 936.0894434795118) < 1e-6)
        #expect(try mark(#", "forward": 60500"#) == onFuture)
        #expect(abs(try mark("") - 842.8103205575717) < 1e-6)
        // A perpetual may serve as the forward too.
        let onPerp = try mark(#", "forward_instrument": "BTC-PERP""#)
        #expect(try mark(#", "forward": 60010"#) == onPerp)
    }

    @Test("a bad forward_instrument is refused at its path, naming the value")
    func errors() throws {
        func refusal(_ call: String, future: String? = nil, position: String = "BTC-25JUN21-70000-C") -> String {
            let data = future.map { Self.document(call: call, future: $0, position: position) } ?? Self.document(call: call, position: position)
            let output = MarginCommand(accountData: data).run()
            #expect(output.exitCode == 2)
            #expect(output.stdout.isEmpty)
            return output.stderr
        }
        let path = "instruments[0].forward_instrument"
        #expect(refusal(#", "forward_instrument": "BTC-DEC21""#).contains(#"\#(path): no instrument "BTC-DEC21" is defined"#))
        #expect(refusal(#", "forward_instrument": "ETH-PERP""#).contains(#"\#(path): ETH-PERP is on ETH, not on the option's underlying BTC"#))
        #expect(refusal(#", "forward_instrument": "BTC-18JUN21""#).contains("\(path): BTC-18JUN21 expires at"))
        #expect(refusal(#", "forward_instrument": "BTC-25JUN21-70000-C""#).contains("must name a future or a perpetual"))
        #expect(refusal(#", "forward_instrument": "BTC-25JUN21", "forward": 60500"#).contains("give forward or forward_instrument, not both"))
        // A held option whose future has no mark: the error points at the future's mark.
        let missing = refusal(#", "forward_instrument": "BTC-25JUN21""#, future: #""kind": "future", "expiry": "2021-06-25T08:00:00Z""#)
        #expect(missing.contains(#"instruments[1].mark_price: missing for instrument "BTC-25JUN21", the forward of held option "BTC-25JUN21-70000-C""#),
                "\(missing)")
    }

    /// The link is the catalog's: an instrument that carries one cannot be added elsewhere as it is (the source's id
    /// would name another instrument there), and it takes precedence over a snapshot's forward for the option.
    @Test("the catalog owns the link; it takes precedence over a snapshot forward")
    func catalogLink() throws {
        let input = try MarginInput.decode(Self.document(call: #", "forward_instrument": "BTC-25JUN21""#))
        let option = input.context.catalog[instrument: InstrumentID(0)]
        #expect(option.forwardInstrument == input.context.catalog.instrument("BTC-25JUN21"))
        var other = Catalog()
        try other.add(Asset(symbol: "USDC", decimals: 6))
        try other.add(Asset(symbol: "BTC", decimals: 8))
        #expect(throws: CatalogError.self) { try other.add(option) }

        var snapshot = input.context.snapshot
        snapshot.forwards[0] = 50_000
        let context = RiskContext(catalog: input.context.catalog, snapshot: snapshot, parameters: input.context.parameters)
        #expect(abs(context.instruments[0].mark - 936.0894434795118) < 1e-6)
    }

    /// An engine started from a market document with `forward_instrument` keeps the link through a snapshot: the
    /// catalog is rebuilt from the genesis document, so the restored engine prices the option as the live one.
    @Test("an engine snapshot keeps the forward instrument")
    func engineRestore() throws {
        let market = """
            {"format": "ballast.market/1", "time": "2021-06-01T00:00:00Z",
             "assets": [{"symbol": "USDC", "decimals": 6, "index_price": 1}, {"symbol": "BTC", "decimals": 8, "index_price": 60000}],
             "instruments": [
               {"symbol": "BTC-25JUN21-70000-C", "kind": "option", "right": "call", "strike": 70000, "expiry": "2021-06-25T08:00:00Z",
                "underlying": "BTC", "quote": "USDC", "tick_size": "0.5", "lot_size": "0.01", "implied_volatility": 0.6,
                "forward_instrument": "BTC-25JUN21"},
               {"symbol": "BTC-25JUN21", "kind": "future", "expiry": "2021-06-25T08:00:00Z", "mark_price": 60500, "underlying": "BTC",
                "quote": "USDC", "tick_size": "0.5", "lot_size": "0.001"}],
             "option_margin": {"BTC": "deribit-standard"}}
            """
        let documents = EngineDocuments()
        var engine = Engine(genesis: try documents.decodeGenesis(Data(market.utf8), text: market))
        let lines = [
            #"{"seq": 1, "id": "o", "time": "2021-06-01T00:00:00Z", "type": "open_account", "account": "writer"}"#,
            #"{"seq": 2, "id": "d", "time": "2021-06-01T00:00:00Z", "type": "deposit", "account": "writer", "asset": "USDC", "amount": "50000"}"#,
            #"{"seq": 3, "id": "f", "time": "2021-06-01T00:00:00Z", "type": "fill", "instrument": "BTC-25JUN21-70000-C", "price": "900", "size": "1", "seller": {"account": "writer"}}"#,
            #"{"seq": 4, "id": "p", "time": "2021-06-01T00:01:00Z", "type": "prices", "marks": {"BTC-25JUN21": 63000}}"#,
        ]
        for line in lines {
            let event = try EventJSON.decode(Data(line.utf8), catalog: engine.catalog, latest: engine.latestParameters, documents: documents)
            guard case .applied = engine.apply(event) else { throw InputError(path: "(test)", message: "event \(event.id) not applied") }
        }
        let restored = try SnapshotCodec.decode(SnapshotCodec.encode(engine), documents: documents)
        #expect(restored.catalog[instrument: InstrumentID(0)].forwardInstrument == InstrumentID(1))
        #expect(restored.context.instruments[0].mark == engine.context.instruments[0].mark)
        #expect(restored.stateHash == engine.stateHash)
        #expect(restored.status(of: restored.unit(ofAccount: 0)) == engine.status(of: engine.unit(ofAccount: 0)))
    }

    /// A short June future hedged by a long call priced off it. Under the default `instrument` scope the search for
    /// the future's liquidation price moves the call with it, so at the price found a fresh snapshot with the future
    /// there (the call repriced off it) has margin balance = maintenance; with the call on a fixed forward it does not
    /// move, and the future liquidates sooner.
    @Test("a liquidation search that moves a future moves the options priced off it")
    func liquidationSearch() throws {
        func input(_ call: String) throws -> MarginInput {
            let data = String(decoding: Self.document(call: call), as: UTF8.self).replacingOccurrences(
                of: #"[{"instrument": "BTC-25JUN21-70000-C", "size": "-1", "entry_price": "900"}]"#,
                with: #"[{"instrument": "BTC-25JUN21", "size": "-1", "entry_price": "60500"}, {"instrument": "BTC-25JUN21-70000-C", "size": "1", "entry_price": "900"}]"#)
                .replacingOccurrences(of: #""amount": "100000""#, with: #""amount": "3000""#)
            return try MarginInput.decode(Data(data.utf8))
        }
        let linked = try input(#", "forward_instrument": "BTC-25JUN21""#)
        #expect(linked.account.positions.count == 2)
        let slot = try #require(linked.account.positions.firstIndex { $0.instrument == InstrumentID(1) })
        let price = try #require(try LiquidationPriceSolver.prices(account: linked.account, slot: slot, context: linked.context).liquidation.price)
        var snapshot = linked.context.snapshot
        snapshot.markPrices[1] = price
        let there = RiskContext(catalog: linked.context.catalog, snapshot: snapshot, parameters: linked.context.parameters)
        var workspace = MarginWorkspace(assetCount: there.catalog.assets.count)
        let pool = try AccountMargin.pool(linked.account, context: there, workspace: &workspace)
        #expect(abs(pool.marginBalance - pool.maintenance) < 0.01, "\(pool.marginBalance) vs \(pool.maintenance) at \(price)")

        let fixed = try input(#", "forward": 60500"#)
        let fixedPrice = try #require(try LiquidationPriceSolver.prices(account: fixed.account, slot: slot, context: fixed.context).liquidation.price)
        #expect(fixedPrice < price)
    }
}
