import BallastCore
import BallastEngine
import Foundation

/// A seeded market for the demo: each step moves every underlying by a correlated geometric Brownian motion with
/// occasional jumps, and returns the `prices` event that carries it (index prices, and marks of perpetuals and futures
/// at the index with a small basis). Options are not marked: the engine prices options quoted by implied volatility
/// (as ``DemoMarket``'s are) with Black-76 at the new index; ``volatility(sequence:time:)`` returns the `volatility`
/// event that moves their implied volatilities, which rise after a jump and decay back.
///
/// Per asset i with volatility σᵢ and market loading lᵢ, over a step of Δt years:
/// **ln(Sᵢ′/Sᵢ) = −σᵢ²Δt/2 + σᵢ√Δt (lᵢ·Z + √(1−lᵢ²)·Eᵢ) + J·ln(1 + βᵢ·jump)**, with Z, Eᵢ standard normal and J = 1 in
/// a jump step. Index prices and marks are rounded to the instrument grid (the finest tick of the asset's
/// perpetuals and futures for the index).
public struct DemoPricePath: Sendable {
    /// An underlying that moves.
    private struct Mover: Sendable {
        var asset: AssetID
        var symbol: String
        var motion: DemoPricePathConfiguration.AssetMotion
        var price: Double
        /// The grid of its index price: the finest tick of its perpetuals and futures (0.01 if none).
        var tick: FixedPoint?
        /// Implied volatility relative to the start (1: unchanged).
        var volatilityLevel = 1.0
    }

    /// A perpetual or future marked at its underlying.
    private struct Marked: Sendable {
        var instrument: InstrumentID
        var mover: Int
        var expiry: Timestamp?
        var tick: FixedPoint
    }

    /// An option quoted by implied volatility.
    private struct Quoted: Sendable {
        var option: InstrumentID
        var mover: Int
        var expiry: Timestamp
        var startVolatility: Double
    }

    /// How the path moves.
    public let configuration: DemoPricePathConfiguration
    private var rng: SeededGenerator
    private var movers: [Mover] = []
    private var marked: [Marked] = []
    private var quoted: [Quoted] = []
    private var steps: UInt64 = 0

    /// Whether the last step jumped.
    public private(set) var lastStepJumped = false

    /// A path starting from `market`'s index prices (the genesis snapshot, or an engine's current market) for every
    /// asset underlying a perpetual, future or option of `catalog`.
    public init(catalog: Catalog, market: MarketSnapshot, seed: UInt64, configuration: DemoPricePathConfiguration = DemoPricePathConfiguration()) {
        self.configuration = configuration
        rng = SeededGenerator(seed: seed)
        for (i, instrument) in catalog.instruments.enumerated() {
            let asset = instrument.underlying
            guard let price = market.index(asset), price.isFinite, price > 0 else { continue }
            let mover = movers.firstIndex { $0.asset == asset } ?? movers.count
            if mover == movers.count {
                let symbol = catalog[asset: asset].symbol
                movers.append(Mover(asset: asset, symbol: symbol, motion: configuration.motion(symbol), price: price))
            }
            switch instrument.kind {
            case .perpetual, .future:
                if movers[mover].tick.map({ instrument.tickSize < $0 }) ?? true { movers[mover].tick = instrument.tickSize }
                marked.append(Marked(instrument: InstrumentID(i), mover: mover, expiry: instrument.kind.expiry, tick: instrument.tickSize))
            case .option(_, _, let expiry):
                if let volatility = market.impliedVolatilities[i], volatility > 0 {
                    quoted.append(Quoted(option: InstrumentID(i), mover: mover, expiry: expiry, startVolatility: volatility))
                }
            case .spot:
                break
            }
        }
    }

    /// The current index prices (unrounded), by asset symbol.
    public var indexPrices: [String: Double] {
        Dictionary(movers.map { ($0.symbol, $0.price) }, uniquingKeysWith: { first, _ in first })
    }

    /// Moves the market by a step of `seconds` and returns the `prices` event at `sequence` and `time` (id
    /// `demo-px-<ms>-<step>`). A jump happens with the configured probability, or always when `jump` is given (the
    /// relative move for a jump beta of 1, e.g. −0.08).
    public mutating func next(sequence: UInt64, time: Timestamp, seconds: Double, jump: Double? = nil) -> EngineEvent {
        steps += 1
        let years = max(0, seconds) / Timestamp.millisecondsPerYear * 1000
        let market = rng.normal()
        let random = rng.chance(configuration.jumpProbability)
        lastStepJumped = jump != nil || random
        let size = jump ?? configuration.jumpSize
        let decay = pow(0.5, max(0, seconds) / configuration.volatilityHalfLife)
        for i in movers.indices {
            var mover = movers[i]
            let loading = max(0, min(1, mover.motion.marketLoading))
            let shock = loading * market + (1 - loading * loading).squareRoot() * rng.normal()
            let sigma = mover.motion.volatility * mover.volatilityLevel
            var logReturn = -sigma * sigma * years / 2 + sigma * years.squareRoot() * shock
            mover.volatilityLevel = 1 + (mover.volatilityLevel - 1) * decay
            if lastStepJumped {
                let relative = max(-0.9, size * mover.motion.jumpBeta)
                logReturn += log1p(relative)
                mover.volatilityLevel *= 1 + configuration.volatilityJumpResponse * relative.magnitude
            }
            mover.price *= exp(logReturn)
            movers[i] = mover
        }
        var index: [IndexQuote] = []
        for mover in movers {
            index.append(IndexQuote(asset: mover.asset, price: Self.onGrid(mover.price, tick: mover.tick ?? FixedPoint(units: 1, scale: 2))))
        }
        var marks: [MarkQuote] = []
        for entry in marked {
            var fair = movers[entry.mover].price
            if let expiry = entry.expiry {
                guard expiry > time else { continue }
                fair *= 1 + configuration.futureBasis * time.years(until: expiry)
            }
            fair *= 1 + configuration.basisNoise * rng.normal()
            marks.append(MarkQuote(instrument: entry.instrument, price: Self.onGrid(fair, tick: entry.tick)))
        }
        return EngineEvent(id: "demo-px-\(time.millisecondsSinceEpoch)-\(steps)", sequence: sequence, time: time,
                           body: .prices(PriceUpdate(index: index, marks: marks)))
    }

    /// The `volatility` event at `sequence` and `time` (id `demo-vol-<ms>-<step>`): every live option's implied
    /// volatility at its starting value times its underlying's current volatility level, to four decimals; `nil` when
    /// no option is live.
    public func volatility(sequence: UInt64, time: Timestamp) -> EngineEvent? {
        var volatilities: [ImpliedVolatility] = []
        for option in quoted where option.expiry > time {
            let volatility = (option.startVolatility * movers[option.mover].volatilityLevel * 10_000).rounded() / 10_000
            volatilities.append(ImpliedVolatility(instrument: option.option, volatility: max(0.01, volatility)))
        }
        guard !volatilities.isEmpty else { return nil }
        return EngineEvent(id: "demo-vol-\(time.millisecondsSinceEpoch)-\(steps)", sequence: sequence, time: time,
                           body: .volatility(VolatilityUpdate(volatilities: volatilities)))
    }

    /// `price` at the nearest multiple of `tick` (at least one tick), as the `Double` nearest that exact decimal.
    private static func onGrid(_ price: Double, tick: FixedPoint) -> Double {
        let ticks = max(1, (price / tick.doubleValue).rounded())
        return FixedPoint(units: Int128(ticks) * tick.units, scale: tick.scale).doubleValue
    }
}
