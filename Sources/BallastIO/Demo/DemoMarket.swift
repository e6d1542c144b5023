import BallastCore
import Foundation

/// The demo venue of `ballast serve --demo`: a USDC-margined venue with BTC, ETH and SOL collateral, perpetuals on
/// all three, a dated BTC future and two expiries of BTC options, margined by the presets Ballast ships.
///
/// - Collateral: USDC at par, BTC on Bybit's quantity tiers (`bybit-btc-2023`), ETH on OKX's value tiers
///   (`okx-beth-2024-07-18`), SOL on a heavier inline ladder (85 % / 70 % / 50 %), as venues haircut volatile alts.
/// - Perpetuals: BTC-PERP on Hyperliquid's BTC tiers (40x), ETH-PERP on Binance's ETHUSDT brackets, SOL-PERP on a
///   20x Hyperliquid-style ladder. The dated future BTC-`DDMMMYY` uses Binance's BTCUSDT brackets.
/// - Options: USDC-settled European BTC calls and puts at ``strikes`` for two Friday expiries (about 4 and 8 weeks
///   after the genesis time), quoted by implied volatility only, so the engine marks them with Black-76 as the
///   index moves. Short options in standard margin use Bybit's USDC option rates; accounts of model `portfolio`
///   use Deribit's 2024 portfolio margin grid (`deribit-pm-2024`).
/// - Health bands: Binance Portfolio Margin Pro (uniMMR 150 % / 120 % / 105 %).
public enum DemoMarket {
    /// Index prices at genesis, in USD.
    public static let indexPrices: [(symbol: String, price: Double)] = [("USDC", 1), ("BTC", 100_000), ("ETH", 3_800), ("SOL", 180)]

    /// Strikes of the BTC options, in USD: five around the genesis price.
    public static let strikes: [Int] = [90_000, 95_000, 100_000, 105_000, 110_000]

    /// Annualised premium of the dated future over the index (its mark at genesis, and the price path's default).
    public static let futureBasis = 0.08

    /// The perpetuals, by underlying symbol.
    public static let perpetuals: [(underlying: String, symbol: String)] = [("BTC", "BTC-PERP"), ("ETH", "ETH-PERP"), ("SOL", "SOL-PERP")]

    /// The option expiries of a genesis at `time`: the first Fridays 08:00 UTC at least 4 and 8 weeks later.
    public static func optionExpiries(time: Timestamp) -> [Timestamp] {
        [DemoCalendar.friday(atLeast: 28, after: time), DemoCalendar.friday(atLeast: 56, after: time)]
    }

    /// The dated future's expiry for a genesis at `time`: the first Friday 08:00 UTC at least 13 weeks later.
    public static func futureExpiry(time: Timestamp) -> Timestamp { DemoCalendar.friday(atLeast: 91, after: time) }

    /// The genesis document (`ballast.market/1`) of the demo venue at `time` (truncated to the second), which
    /// ``EngineDocuments/genesis(_:)`` decodes. Expiries are placed relative to `time`, so a demo started today has
    /// live options.
    public static func genesis(time: Timestamp) -> String {
        let start = DemoCalendar.wholeSecond(time)
        let iso = CivilTime(start).iso8601
        let btc = price("BTC")
        var instruments = [
            perpetual("BTC-PERP", underlying: "BTC", tick: "0.1", lot: "0.001", margin: "\"hyperliquid-btc-mainnet\""),
            perpetual("ETH-PERP", underlying: "ETH", tick: "0.01", lot: "0.01", margin: "\"binance-ethusdt-2021-reconstructed\""),
            perpetual("SOL-PERP", underlying: "SOL", tick: "0.001", lot: "0.1", margin: solMargin),
        ]
        let futureExpiry = futureExpiry(time: start)
        let futureMark = (btc * (1 + futureBasis * start.years(until: futureExpiry)) * 2).rounded() / 2
        instruments.append("""
            {"symbol": "BTC-\(DemoCalendar.code(futureExpiry))", "kind": "future", "underlying": "BTC", "quote": "USDC", \
            "expiry": "\(CivilTime(futureExpiry).iso8601)", "tick_size": "0.5", "lot_size": "0.001", "mark_price": \(futureMark), \
            "margin": "binance-btcusdt-2021-03-18"}
            """)
        for (e, expiry) in optionExpiries(time: start).enumerated() {
            for strike in strikes {
                for right in ["call", "put"] {
                    let volatility = smile(strike: Double(strike), forward: btc, atTheMoney: e == 0 ? 0.50 : 0.48)
                    instruments.append("""
                        {"symbol": "BTC-\(DemoCalendar.code(expiry))-\(strike)-\(right == "call" ? "C" : "P")", "kind": "option", \
                        "right": "\(right)", "strike": \(strike), "expiry": "\(CivilTime(expiry).iso8601)", "underlying": "BTC", \
                        "quote": "USDC", "tick_size": "5", "lot_size": "0.01", "implied_volatility": \(volatility)}
                        """)
                }
            }
        }
        let assets = [
            asset("USDC", decimals: 6, haircut: "\"par-value\""),
            asset("BTC", decimals: 8, haircut: "\"bybit-btc-2023\""),
            asset("ETH", decimals: 8, haircut: "\"okx-beth-2024-07-18\""),
            asset("SOL", decimals: 8, haircut: solHaircut),
        ]
        return """
            {
              "format": "ballast.market/1",
              "description": "The demo venue of ballast serve --demo: USDC, BTC, ETH and SOL collateral; BTC, ETH and SOL perpetuals, a dated BTC future and BTC options on two expiries; standard and portfolio margin.",
              "time": "\(iso)",
              "parameters": {
                "name": "ballast-demo", "version": "1", "effective": "\(iso)",
                "source": "Presets shipped with Ballast; SOL haircut and margin inline; prices illustrative.",
                "health_bands": "binance-pm-pro"
              },
              "assets": [
                \(assets.joined(separator: ",\n    "))
              ],
              "instruments": [
                \(instruments.joined(separator: ",\n    "))
              ],
              "option_margin": {"BTC": "bybit-usdc-options"},
              "portfolio": "deribit-pm-2024",
              "engine": {"withdrawal_notional_fraction": "0.1"}
            }

            """
    }

    /// The genesis index price of an asset.
    static func price(_ symbol: String) -> Double { indexPrices.first { $0.symbol == symbol }?.price ?? 1 }

    /// A volatility smile in log-moneyness m = ln(K/F): ATM + 0.6·m² − 0.15·m (puts richer than calls), to 4 decimals.
    static func smile(strike: Double, forward: Double, atTheMoney: Double) -> Double {
        let m = log(strike / forward)
        return ((atTheMoney + 0.6 * m * m - 0.15 * m) * 10_000).rounded() / 10_000
    }

    private static func asset(_ symbol: String, decimals: Int, haircut: String) -> String {
        "{\"symbol\": \"\(symbol)\", \"decimals\": \(decimals), \"index_price\": \(price(symbol)), \"haircut\": \(haircut)}"
    }

    private static func perpetual(_ symbol: String, underlying: String, tick: String, lot: String, margin: String) -> String {
        """
        {"symbol": "\(symbol)", "kind": "perpetual", "underlying": "\(underlying)", "quote": "USDC", "tick_size": "\(tick)", \
        "lot_size": "\(lot)", "mark_price": \(price(underlying)), "margin": \(margin)}
        """
    }

    private static let solHaircut = """
        {"name": "demo-sol-collateral", "source": "Illustrative: a volatile alt counted at 85 % up to 100,000 USD, 70 % to 500,000, 50 % above", \
        "bound": "value", "tiers": [{"floor": 0, "ratio": 0.85}, {"floor": 100000, "ratio": 0.7}, {"floor": 500000, "ratio": 0.5}]}
        """

    private static let solMargin = """
        {"name": "demo-sol-20x", "source": "Hyperliquid-style SOL tiers: 20x, maintenance half the initial rate; 10x above 5,000,000 USDC", \
        "shape": "tiered", "maintenance_rule": "half_initial", "tiers": [{"floor": 0, "max_leverage": 20}, {"floor": 5000000, "max_leverage": 10}]}
        """
}
