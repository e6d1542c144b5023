/// Why a demo book cannot be built over a genesis.
public enum DemoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The genesis lacks an asset or instrument the demo trades (it is not ``DemoMarket``'s).
    case missing(String)
    /// A planned account could not be valued or a planned trade could not be applied (a bug of the demo).
    case unusable(account: String, reason: String)

    /// A sentence naming what is wrong.
    public var description: String {
        switch self {
        case .missing(let symbol): return "the genesis has no \(symbol): the demo book needs the demo market (DemoMarket.genesis)"
        case .unusable(let account, let reason): return "demo account \(account) cannot be built: \(reason)"
        }
    }
}
