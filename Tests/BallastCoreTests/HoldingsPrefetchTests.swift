@testable import BallastCore
import Testing

/// `prefetchHoldings(at:positions:balances:)` reads the addresses of an account's buffers out of its record as plain
/// words; these tests pin the layout it assumes and that it changes nothing, whatever the index.
@Suite("Holdings prefetch")
struct HoldingsPrefetchTests {
    @Test("the words read from a record are the positions and balances buffers, whose elements follow a 32-byte header")
    func recordLayoutIsKnown() throws {
        let (market, _) = try PortfolioPropertyTests().cryptoMarket()
        let account = try market.account("a", balances: [("USDC", "10000"), ("BTC", "1")], positions: [
            try market.position("BTC-PERP", size: "1", entry: "50000"),
            try market.position("ETH-PERP", size: "-2", entry: "2500"),
        ])
        let accounts = [account]
        let positionsOffset = try #require(Account.positionsOffset)
        let balancesOffset = try #require(Account.balancesOffset)
        let (positionsWord, balancesWord) = accounts.withUnsafeBufferPointer { records in
            let record = UnsafeRawPointer(records.baseAddress.unsafelyUnwrapped)
            return (record.load(fromByteOffset: positionsOffset, as: UnsafeRawPointer.self),
                    record.load(fromByteOffset: balancesOffset, as: UnsafeRawPointer.self))
        }
        let firstPosition = accounts[0].positions.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress.unsafelyUnwrapped) }
        let firstBalance = accounts[0].balances.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress.unsafelyUnwrapped) }
        #expect(positionsWord + Account.bufferHeader == firstPosition)
        #expect(balancesWord + Account.bufferHeader == firstBalance)
    }

    @Test("a request at any index, in range or not, for any counts, of an empty or a full book, changes nothing")
    func changesNothing() throws {
        let (market, _) = try PortfolioPropertyTests().cryptoMarket()
        let accounts = [
            try market.account("a", balances: [("USDC", "10000")], positions: [try market.position("BTC-PERP", size: "1", entry: "50000")]),
            try market.account("b", balances: [], positions: []),
        ]
        let before = accounts
        for index in [-1, 0, 1, 2, Int.max, Int.min] {
            accounts.prefetchHoldings(at: index, positions: 8, balances: 2)
            accounts.prefetchHoldings(at: index, positions: -3, balances: 0)
            accounts.prefetchHoldings(at: index, positions: Int.max, balances: Int.min)
            [Account]().prefetchHoldings(at: index, positions: 1, balances: 1)
        }
        #expect(accounts == before)
    }
}
