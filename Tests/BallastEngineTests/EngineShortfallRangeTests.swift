@testable import BallastEngine
import BallastCore
import Testing

/// The insurance fund stays within the ledger's range when it pays an isolated position's loss beyond its margin.
@Suite("Engine: isolated shortfalls within the ledger's range")
struct EngineShortfallRangeTests {
    typealias F = EngineFixture
    static let usdc: Int128 = 1_000_000

    /// Alice's isolated long of 1 BTC at 60,000 (3,000 of margin) sold at 56,000 leaves a shortfall of 1,000 USDC. With
    /// the fund 500 USDC short of −10^20 (set by hand: no book of the fixture reaches it), paying it would take the
    /// fund past the range: the fill is refused at its price and changes nothing; at 57,500 (a shortfall of none) it
    /// passes.
    @Test("a fill whose shortfall would take the insurance fund beyond the range is refused at its price and changes nothing")
    func fundBeyondRange() throws {
        var (engine, script) = try EnginePoolEndTests.isolatedLong()
        engine.ledger[F.usdc.index].insuranceFund = -EngineLedgerRangeTests.bound + 500 * Self.usdc
        let before = engine.stateHash
        let rejection = try engine.reject(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("56000"), size: 1_000,
                                                                  buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "alice")))))
        #expect(rejection.code == .notApplicable && rejection.field == "price" && rejection.value == "56000")
        #expect(rejection.message == "price 56000 would take the USDC insurance fund beyond the ledger's range (±10^20 USDC)")
        #expect(engine.stateHash == before)
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("57500"), size: 1_000,
                                                  buyer: Fill.Side(account: "bob"), seller: Fill.Side(account: "alice")))))
        #expect(engine.accounts[0].positions.isEmpty)
    }
}
