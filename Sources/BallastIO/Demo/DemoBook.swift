import BallastCore
import BallastEngine

/// The opening events of a seeded population of demo accounts over the ``DemoMarket`` genesis: every account's
/// opening, deposits, group membership and fills, ready to apply in order after the genesis.
///
/// The population is mostly USDC perpetual traders at 2x–25x, long and short, with multi-asset collateral accounts,
/// accounts holding an isolated position beside cross ones, portfolio-margined BTC options books and margin groups
/// (see ``DemoAccount/Kind``); a few market makers take the other side of part of the perpetual fills, the outside
/// world the rest. Entries are spread around the genesis marks, so books start with unrealised gains and losses.
///
/// **Calibration.** Each unit's planned deposits and trades are applied to a scratch copy of its pool with the engine's
/// own trade and margin functions, and its USDC deposit is then set so the pool starts where its ``DemoAccount/Band``
/// says: comfortable pools cover their initial margin and at least twice their maintenance margin; about 4 % sit
/// just above the warning band, and under 1 % start in the warning or reduce-only band. So a modest move brings
/// margin calls, and a 5–10 % jump liquidates the highly levered.
///
/// Every size is a whole number of lots and every price on its tick grid, so the engine accepts every event. The same
/// genesis, count, seed and sequence give the same events.
public struct DemoBook: Sendable {
    /// The events, in order, numbered from the first sequence on.
    public var events: [EngineEvent]
    /// The accounts, in id order.
    public var accounts: [DemoAccount]

    /// The sequence number after the last event.
    public var nextSequence: UInt64

    /// Builds the opening events of `count` accounts (`acct-00001` …) over `genesis` (``DemoMarket/genesis(time:)``
    /// decoded), numbered from `firstSequence`, at `time` (default: the genesis time).
    /// - Throws: ``DemoError`` when the genesis lacks what the demo trades.
    public init(genesis: EngineGenesis, accounts count: Int, seed: UInt64, firstSequence: UInt64 = 1, time: Timestamp? = nil) throws(DemoError) {
        var builder = try DemoBookBuilder(venue: DemoVenue(genesis: genesis), seed: seed)
        let makers = count >= 40 ? max(1, count / 400) : min(count, 1)
        var number = 1
        func nextID() -> String {
            defer { number += 1 }
            let digits = String(number)
            return "acct-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
        }
        while number <= count {
            if number <= makers {
                builder.marketMaker(nextID())
                continue
            }
            var kind = builder.drawKind()
            if kind == .groupMember, count - number + 1 < 3 { kind = .perpetualTrader }
            switch kind {
            case .groupMember: try builder.group([nextID(), nextID(), nextID()])
            case .multiCollateral: try builder.multiCollateral(nextID())
            case .isolatedAndCross: try builder.isolatedAndCross(nextID())
            case .optionsBook: try builder.optionsBook(nextID())
            case .perpetualTrader, .marketMaker: try builder.perpetualTrader(nextID())
            }
        }
        var sequence = firstSequence
        let at = time ?? genesis.snapshot.time
        events = builder.drafts.flatMap { $0.events(sequence: &sequence, time: at) }
        accounts = builder.accounts
        nextSequence = sequence
    }

    /// The opening events of `accounts` demo accounts: ``init(genesis:accounts:seed:firstSequence:time:)``'s events.
    /// - Throws: ``DemoError`` when the genesis lacks what the demo trades.
    public static func events(genesis: EngineGenesis, accounts: Int, seed: UInt64, firstSequence: UInt64 = 1,
                              time: Timestamp? = nil) throws(DemoError) -> [EngineEvent] {
        try DemoBook(genesis: genesis, accounts: accounts, seed: seed, firstSequence: firstSequence, time: time).events
    }
}
