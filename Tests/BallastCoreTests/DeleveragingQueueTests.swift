import BallastCore
import Testing

@Suite("Auto-deleveraging queue")
struct DeleveragingQueueTests {
    /// BMX-2 (BitMEX "Auto-Deleveraging examples", PUBLISHED): longs (account, quantity, score) 1 (10, 3), 2 (10, 6),
    /// 3 (20, 1), 4 (30, 4), 5 (20, 5), 6 (10, 2). Queue 2, 5, 4, 1, 6, 3 with indicators 20, 40, 60, 80, 80, 100 %
    /// (the vector's DERIVED reading: ⌈cumulative share/20 %⌉·20 %). A short of 20 liquidated at 650: account 2 closes
    /// 10 (flat), account 5 closes 10 of its 20; the others are not touched.
    @Test("BMX-2: queue order, indicators and the allocation of a 20-contract shortfall")
    func bitmexExample() throws {
        let longs = [("1", 10, 3.0), ("2", 10, 6), ("3", 20, 1), ("4", 30, 4), ("5", 20, 5), ("6", 10, 2)]
        let queue = try DeleveragingQueue(longs.map { DeleveragingQueue.Entry(account: $0.0, quantity: Int64($0.1), score: $0.2) })
        #expect(queue.entries.map(\.account) == ["2", "5", "4", "1", "6", "3"])
        #expect(queue.indicators == [0.2, 0.4, 0.6, 0.8, 0.8, 1.0])
        let (allocations, uncovered) = queue.allocate(20)
        #expect(allocations == [DeleveragingQueue.Allocation(account: "2", quantity: 10), DeleveragingQueue.Allocation(account: "5", quantity: 10)])
        #expect(uncovered == 0)
        // More than the side holds (100): the rest is uncovered.
        #expect(queue.allocate(130).uncovered == 30)
        #expect(queue.allocate(130).allocations.map(\.quantity).reduce(0, +) == 100)
    }

    /// By hand, from the rule rank = PnL%·leverage if PnL% > 0, else PnL%/leverage, with signed values:
    /// a long entered at 100, marked at 110, bankrupt at 90: PnL% 10 %, leverage 110/20 = 5.5, score 0.55;
    /// a short entered at 100, marked at 110, bankrupt at 120 (values −100, −110, −120): PnL% −10 %, leverage
    /// 110/10 = 11, score −0.1/11.
    @Test("ranking score by hand, long and short")
    func rankingScore() throws {
        #expect(abs(try #require(DeleveragingQueue.rankingScore(markValue: 110, entryValue: 100, bankruptcyValue: 90)) - 0.55) < 1e-12)
        #expect(abs(try #require(DeleveragingQueue.rankingScore(markValue: -110, entryValue: -100, bankruptcyValue: -120)) + 0.1 / 11) < 1e-12)
        #expect(DeleveragingQueue.rankingScore(markValue: 90, entryValue: 100, bankruptcyValue: 90) == nil, "at bankruptcy")
    }

    /// Equal scores keep the given order; bad entries are named.
    @Test("ties are stable; bad entries are named")
    func tiesAndErrors() throws {
        let queue = try DeleveragingQueue([.init(account: "a", quantity: 1, score: 1), .init(account: "b", quantity: 1, score: 2),
                                           .init(account: "c", quantity: 1, score: 1)])
        #expect(queue.entries.map(\.account) == ["b", "a", "c"])
        #expect { try DeleveragingQueue([.init(account: "a", quantity: 0, score: 1)]) } throws: { ($0 as? ParameterError)?.field == "entries[0].quantity" }
        #expect { try DeleveragingQueue([.init(account: "a", quantity: 1, score: .nan)]) } throws: { ($0 as? ParameterError)?.field == "entries[0].score" }
    }
}
