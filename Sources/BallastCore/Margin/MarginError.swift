/// Why an account cannot be margined against a snapshot and parameters. Every case names the symbol at fault.
public enum MarginError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A held instrument has no usable mark price.
    case missingMarkPrice(instrument: String)
    /// An asset that is held, or in which a held instrument settles or is priced, has no usable index price.
    case missingIndexPrice(asset: String)
    /// A held future or perpetual has no margin schedule.
    case missingMarginSchedule(instrument: String)
    /// A held option's underlying has no option margin parameters.
    case missingOptionParameters(underlying: String)
    /// A held instrument expired before the snapshot time.
    case expired(instrument: String, expiry: Timestamp, snapshot: Timestamp)
    /// A position is held in a spot pair (spot holdings are balances).
    case spotPosition(instrument: String)
    /// A position's chosen leverage is not a number ≥ 1.
    case invalidLeverage(instrument: String, leverage: Double)
    /// An option position is isolated (isolated margin applies to futures and perpetuals only).
    case isolatedOption(instrument: String)
    /// A figure overflowed the range Ballast reports in.
    case outOfRange(figure: String)
    /// A portfolio-margined account without portfolio parameters.
    case missingPortfolioParameters(account: String)

    /// A sentence naming the symbol and the problem.
    public var description: String {
        switch self {
        case .missingMarkPrice(let s): return "no mark price for held instrument \(s)"
        case .missingIndexPrice(let s): return "no index price for asset \(s)"
        case .missingMarginSchedule(let s): return "no margin schedule for held instrument \(s)"
        case .missingOptionParameters(let s): return "no option margin parameters for underlying \(s)"
        case .expired(let s, let expiry, let snapshot): return "instrument \(s) expired at \(expiry), before the snapshot time \(snapshot)"
        case .spotPosition(let s): return "\(s) is a spot pair: hold its assets as balances, not as a position"
        case .invalidLeverage(let s, let leverage): return "leverage of \(s) must be a number ≥ 1, got \(leverage)"
        case .isolatedOption(let s): return "option \(s) cannot be isolated: isolated margin applies to futures and perpetuals"
        case .outOfRange(let figure): return "\(figure) is out of the range Ballast can report"
        case .missingPortfolioParameters(let account): return "account \(account) uses portfolio margin but no portfolio parameters are set"
        }
    }

    /// The instrument the error names, if it names one.
    public var instrument: String? {
        switch self {
        case .missingMarkPrice(let s), .missingMarginSchedule(let s), .expired(let s, _, _), .spotPosition(let s), .invalidLeverage(let s, _),
             .isolatedOption(let s):
            return s
        case .missingIndexPrice, .missingOptionParameters, .outOfRange, .missingPortfolioParameters:
            return nil
        }
    }
}
