@testable import BallastCore
import Testing

/// The margin kernel reads a position's optional leverage as stored (``LeverageBits``) to compute the leverage rate
/// without a branch: the layout it relies on, and the kernel's figures against the per-position path, which unwraps
/// the optional (``PositionMath/leverageRate(_:)``), for every kind of leverage.
@Suite("Leverage read as stored")
struct LeverageBitsTests {
    @Test("an Optional<Double> stores its value then a tag byte: 0 with a value, 1 and a zero payload for nil")
    func layout() {
        #expect(MemoryLayout<Double?>.size == 9)
        let none = LeverageBits.read(nil)
        #expect(none.payload.bitPattern == 0)
        #expect(none.noLeverage == 1)
        for value in [1, 3, 20, 125.5, 0.5, 0, -0.0, -3, .infinity, -.infinity, .nan, .signalingNaN, .leastNonzeroMagnitude] as [Double] {
            let read = LeverageBits.read(value)
            #expect(read.payload.bitPattern == value.bitPattern, "\(value)")
            #expect(read.noLeverage == 0, "\(value)")
        }
    }

    /// Records each position's figures as the kernel computes them.
    struct Figures: MarginObserver {
        static var wantsPositions: Bool { true }
        var positions: [PositionFigures] = []
        mutating func position(slot: Int, instrument: InstrumentID, figures: PositionFigures) { positions.append(figures) }
        mutating func asset(_ asset: AssetID, exactEquity: Int128, markEquity: Double, initial: Double, maintenance: Double,
                            collateralValue: Double, price: Double) {}
    }

    @Test("the kernel's leverage rate gives the per-position path's figures exactly, with and without a leverage")
    func kernelMatchesPositionPath() throws {
        let (market, context) = try PortfolioPropertyTests().cryptoMarket()
        // BTC-PERP: flat maintenance 0.5 %, at most 100×; 1 BTC long at its mark 50,000: IM = 50,000 × max(1/100, 1/L).
        let leverages: [Double?] = [nil, 1, 3, 50, 100, 200, nil, 7.5, nil]
        // Linear and inverse perpetuals in turn.
        let instruments = [("BTC-PERP", "50000"), ("ETH-PERP", "2500"), ("BTCUSD", "49000")]
        let positions = try leverages.enumerated().map { slot, leverage in
            let (symbol, entry) = instruments[slot % instruments.count]
            return try market.position(symbol, size: "1", entry: entry, leverage: leverage)
        }
        let instrumentIDs = try instruments.map { try #require(context.catalog.instrument($0.0)) }
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        for position in positions {
            let account = try market.account("one", balances: [("USDC", "100000")], positions: [position])
            var observer = Figures()
            let pool = try AccountMargin.crossPool([account], at: 0, context: context, workspace: &workspace, observer: &observer)
            let expected = try PositionFigures(position, in: context)
            #expect(observer.positions == [expected], "\(position.instrument) leverage \(String(describing: position.leverage))")
            // In the valuation currency: the settlement asset's requirement at its index price (USDC 1, BTC 50,000).
            let settlementPrice = position.instrument == instrumentIDs[2] ? 50_000.0 : 1
            #expect(pool.initial == expected.initial * settlementPrice, "\(position.instrument) leverage \(String(describing: position.leverage))")
        }
        // By hand, BTC-PERP: none or 100× or 200× (capped): 500; 1×: 50,000; 3×: 16,666.67; 50×: 1,000.
        let btc = try [nil, 1, 3, 50, 100, 200].map { (leverage: Double?) in
            try PositionFigures(market.position("BTC-PERP", size: "1", entry: "50000", leverage: leverage), in: context)
        }
        #expect(btc.map(\.initial) == [500, 50_000, 50_000 * (1.0 / 3), 1_000, 500, 500])
        #expect(btc.map(\.leverageCapped) == [false, false, false, false, false, true])
        // Several in one account, each in its own instrument, options too: the same figures as position by position.
        let mixed = try [("BTC-PERP", "50000", nil), ("BTC-PERP-2", "50000", 3), ("ETH-PERP", "2500", 200), ("BTCUSD", "49000", 50),
                         ("BTC-SEP", "51000", nil), ("BTC-C55", "2000", 5), ("BTC-P45", "1500", nil)].map { (symbol: String, entry: String, leverage: Double?) in
            try market.position(symbol, size: "1", entry: entry, leverage: leverage)
        }
        let account = try market.account("all", balances: [("USDC", "1000000")], positions: mixed)
        var observer = Figures()
        _ = try AccountMargin.crossPool([account], at: 0, context: context, workspace: &workspace, observer: &observer)
        #expect(account.positions.count == mixed.count)
        #expect(try observer.positions == account.positions.map { try PositionFigures($0, in: context) })
    }

    @Test("a leverage that is not one still fails, whatever its bits", arguments: [0.5, 0, -0.0, -3, .infinity, -.infinity, .nan, .signalingNaN] as [Double])
    func invalidLeverageFails(leverage: Double) throws {
        let (market, context) = try PortfolioPropertyTests().cryptoMarket()
        let account = try market.account("bad", balances: [("USDC", "10000")], positions: [
            try market.position("BTC-PERP", size: "1", entry: "50000"),
            try market.position("ETH-PERP", size: "1", entry: "2500", leverage: leverage),
        ])
        var workspace = MarginWorkspace(assetCount: context.catalog.assets.count)
        #expect {
            _ = try MarginSummary([account], at: 0, context: context, workspace: &workspace)
        } throws: { error in
            guard case .invalidLeverage(let instrument, let reported)? = error as? MarginError else { return false }
            return instrument == "ETH-PERP" && reported.bitPattern == leverage.bitPattern
        }
    }
}
