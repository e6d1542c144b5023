import BallastCore
import BallastEngine
import Testing

/// The withdrawal rule (margin balance − unrealised profit ≥ max(IM, 10 % of gross notional)) where collateral leaves a
/// pool: withdrawals, transfers and members leaving a group.
@Suite("Engine: the withdrawal rule")
struct EngineWithdrawalRuleTests {
    typealias F = EngineFixture
    static let usdc: Int128 = 1_000_000
    static let satoshi: Int128 = 100_000_000

    /// A coin-settled call's notional is its coins at the index, not m·S at the index again (S² per coin): 1 BTC of
    /// the call at 60,000 is 60,000 USD, so the rule's floor is 6,000, where it read 360,000,000 and refused every
    /// withdrawal.
    @Test("a coin-settled option counts its coins at the index in the withdrawal floor")
    func coinSettledOptionNotional() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("alice", 1), ("bob", 100_000 * Self.usdc)])
        try engine.accept(script.next(.deposit(FundsMovement(account: "alice", asset: F.btc, amount: Self.satoshi))))
        try engine.accept(script.next(.deposit(FundsMovement(account: "bob", asset: F.btc, amount: Self.satoshi))))
        try engine.accept(script.next(.fill(Fill(instrument: F.btcCoinCall, price: try fixed("0.05"), size: 10,
                                                  buyer: Fill.Side(account: "alice"), seller: Fill.Side(account: "bob")))))
        #expect(engine.context.instruments[F.btcCoinCall.index].notionalPerContract == 1)
        // Alice holds 0.95 BTC (60,000 at 95 %) and the call; a long call needs no IM, so the requirement is the floor,
        // 10 % × 1 BTC × 60,000 = 6,000: her last USDC unit may go, her BTC may not.
        try engine.accept(script.next(.withdrawal(FundsMovement(account: "alice", asset: F.usdc, amount: 1))))
        let rejection = try engine.reject(script.next(.withdrawal(FundsMovement(account: "alice", asset: F.btc, amount: 95_000_000))))
        #expect(rejection.code == .insufficientMargin)
        #expect(rejection.message.contains("a withdrawal requirement of 6000.000000"), "\(rejection.message)")
    }

    @Test("a transfer between two members of one group leaves the pool as it was and is not refused by the pool's rule")
    func transferWithinGroup() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("trader", 1_000 * Self.usdc), ("treasury", 10_000 * Self.usdc),
                                                                 ("street", 100_000 * Self.usdc)])
        for member in ["trader", "treasury"] { try engine.accept(script.next(.group(GroupMembership(account: member, group: "desk")))) }
        // 1 BTC at 60,000: the floor is 6,000 against the desk's 11,000.
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                                                  buyer: Fill.Side(account: "trader"), seller: Fill.Side(account: "street")))))
        // Taking 9,000 out of the desk would leave 2,000 < 6,000; moving it to the trader leaves 11,000.
        let out = try engine.reject(script.next(.withdrawal(FundsMovement(account: "treasury", asset: F.usdc, amount: 9_000 * Self.usdc))))
        #expect(out.code == .insufficientMargin)
        try engine.accept(script.next(.transfer(Transfer(from: "treasury", to: "trader", asset: F.usdc, amount: 9_000 * Self.usdc))))
        #expect(engine.accounts[0].balance(F.usdc) == 10_000 * Self.usdc)
        // The sender's own balance still bounds it.
        let overdrawn = try engine.reject(script.next(.transfer(Transfer(from: "treasury", to: "trader", asset: F.usdc,
                                                                          amount: 1_000 * Self.usdc + 1))))
        #expect(overdrawn.code == .insufficientMargin && overdrawn.field == "amount")
        #expect(LedgerAudit.imbalances(engine).isEmpty)
    }

    /// Leaving takes the leaver's collateral out of the pool, as a withdrawal would. The desk holds the trader's 3,000
    /// and Carol's 9,000 against 1 BTC long at 60,000 (floor 10 % × 60,000 = 6,000): Carol's 9,000 cannot be withdrawn
    /// (3,000 would stay), so she cannot leave with it either, though the initial margin alone (600 in the bracket from
    /// 50,000 at 100×) would have let her.
    @Test("a member leaving its group meets the withdrawal rule for the pool it leaves")
    func leavingMeetsTheRule() throws {
        var (engine, script) = try EngineLifecycleTests.engine([("trader", 3_000 * Self.usdc), ("carol", 9_000 * Self.usdc),
                                                                 ("street", 100_000 * Self.usdc)])
        for member in ["trader", "carol"] { try engine.accept(script.next(.group(GroupMembership(account: member, group: "desk")))) }
        try engine.accept(script.next(.fill(Fill(instrument: F.btcusdt, price: try fixed("60000"), size: 1_000,
                                                  buyer: Fill.Side(account: "trader"), seller: Fill.Side(account: "street")))))
        let withdrawal = try engine.reject(script.next(.withdrawal(FundsMovement(account: "carol", asset: F.usdc, amount: 9_000 * Self.usdc))))
        #expect(withdrawal.code == .insufficientMargin)
        let before = engine.stateHash
        let leave = try engine.reject(script.next(.group(GroupMembership(account: "carol", group: nil))))
        #expect(leave.code == .insufficientMargin && leave.field == "group")
        #expect(leave.message.contains("without carol group desk would have 3000.000000 USD to cover a withdrawal requirement of 6000.000000"),
                "\(leave.message)")
        #expect(engine.stateHash == before)
        // Funded to the floor, the trader's pool lets her go.
        try engine.accept(script.next(.deposit(FundsMovement(account: "trader", asset: F.usdc, amount: 3_000 * Self.usdc))))
        try engine.accept(script.next(.group(GroupMembership(account: "carol", group: nil))))
    }
}
