import BallastCore
@testable import BallastEngine
import Testing

/// A snapshot holds only what the engine's events can make: amounts within the ledger's range and prices within the
/// price range. Decoding checks both, so a damaged or hand-made snapshot is refused at restore rather than valued.
@Suite("Snapshots: the ledger's and the price range at restore")
struct SnapshotRangeTests {
    /// Encodes `account` alone and decodes it against the fixture's catalog.
    func roundTrip(_ account: Account) throws -> Account {
        let catalog = try EngineFixture.genesis().catalog
        var writer = BinaryWriter()
        SnapshotCodec.encode(account, into: &writer, format: SnapshotCodec.format)
        var reader = BinaryReader(writer.bytes)
        return try SnapshotCodec.decodeAccount(&reader, catalog: catalog, settled: Array(repeating: false, count: catalog.instruments.count),
                                               format: SnapshotCodec.format)
    }

    /// 10^20 USDC (10^26 units at 6 decimals) is the bound and is restored; one unit more is refused. The same for an
    /// isolated margin.
    @Test("a balance or an isolated margin beyond ±10^20 of its asset is refused; one on the bound is restored")
    func amounts() throws {
        let bound: Int128 = 100_000_000_000_000_000_000_000_000
        var account = Account(id: "a")
        account.setBalance(EngineFixture.usdc, units: -bound)
        #expect(try roundTrip(account).balance(EngineFixture.usdc) == -bound)
        account.setBalance(EngineFixture.usdc, units: bound + 1)
        #expect(throws: CodecError.self) { try roundTrip(account) }

        var isolated = Account(id: "b")
        isolated.setPosition(Position(instrument: EngineFixture.btcusdt, size: 1, cost: 1, leverage: nil, mode: .isolated(margin: bound)))
        #expect(try roundTrip(isolated).positions.first?.mode == .isolated(margin: bound))
        isolated.setPosition(Position(instrument: EngineFixture.btcusdt, size: 1, cost: 1, leverage: nil, mode: .isolated(margin: bound + 1)))
        #expect(throws: CodecError.self) { try roundTrip(isolated) }
    }

    /// An index price of 10^18 is restored; 10^19, a zero and NaN are not (no event could have set them).
    @Test("a market price outside [1e-18, 1e18] is refused")
    func prices() throws {
        let catalog = try EngineFixture.genesis().catalog
        func decoded(index: Double) throws -> Double? {
            var market = MarketSnapshot(catalog: catalog, time: EngineFixture.start)
            market.indexPrices[EngineFixture.btc.index] = index
            var writer = BinaryWriter()
            SnapshotCodec.encode(market, into: &writer)
            var reader = BinaryReader(writer.bytes)
            return try SnapshotCodec.decodeMarket(&reader, catalog: catalog).indexPrices[EngineFixture.btc.index]
        }
        #expect(try decoded(index: 1e18) == 1e18)
        for bad in [1e19, 0, Double.nan] {
            #expect(throws: CodecError.self) { try decoded(index: bad) }
        }
        // Marks, volatilities and forwards are read the same way.
        var market = MarketSnapshot(catalog: catalog, time: EngineFixture.start)
        market.markPrices[EngineFixture.btcusdt.index] = 1e-19
        var writer = BinaryWriter()
        SnapshotCodec.encode(market, into: &writer)
        var reader = BinaryReader(writer.bytes)
        #expect(throws: CodecError.self) { try SnapshotCodec.decodeMarket(&reader, catalog: catalog) }
    }
}
