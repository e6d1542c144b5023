import BallastCore
import Foundation

/// Refuses an account whose balances or positions are worth more than Ballast can report as money, naming the price
/// that makes them so, instead of failing later with "equity is out of the range Ballast can report".
///
/// Money figures are integers of 10^-d of the valuation currency below 10^36 units
/// (`FixedPoint.units(scaled:rounding:)`), so one holding may be worth at most **10^35 / 10^d** (one decimal order left
/// for the sums of several and for requirements above the value): 10^29 USD at 6 decimals. A holding's worth is
/// |balance|·index price, or |contracts|·multiplier·mark·settlement price (÷ mark for inverse contracts; an option's
/// underlying exposure at its index price, or at its strike for a put struck above it: a put is worth at most its
/// strike).
enum ReportableRange {
    /// The largest value of one holding, in the valuation currency.
    static func limit(decimals: Int) -> Double { 1e35 / pow(10, Double(decimals)) }

    /// Checks every balance and position of `account` in `context`.
    static func check(_ account: Account, context: RiskContext) throws(InputError) {
        let valuation = context.catalog.valuation
        let limit = limit(decimals: valuation.decimals)
        let beyond = "beyond the \(limit) \(valuation.symbol) Ballast can report at \(valuation.decimals) decimals"
        let amount = { (worth: Double) in worth.isFinite ? "\(worth) \(valuation.symbol)" : "an infinite amount" }
        for balance in account.balances {
            let asset = context.catalog[asset: balance.asset]
            let price = context.indexPrices[balance.asset.index]
            let balanceAmount = FixedPoint(units: balance.units, scale: asset.decimals)
            let worth = abs(balanceAmount.doubleValue * price)
            guard worth.isNaN || worth < limit else {
                throw JSONPath.root.key("assets").index(balance.asset.index).key("index_price")
                    .error("\(price) values the \(asset.symbol) balance \(balanceAmount.trimmedDescription) at \(amount(worth)), \(beyond)")
            }
        }
        for position in account.positions {
            let risk = context.instruments[position.instrument.index]
            let instrument = context.catalog[instrument: position.instrument]
            let units = abs(Double(position.size) * risk.sizeUnit * risk.multiplier)
            let settlePrice = context.indexPrices[risk.settle.index]
            let worth: Double
            let path: JSONPath
            switch risk.form {
            case .linear:
                (worth, path) = (units * risk.mark * settlePrice, JSONPath.root.key("instruments").index(position.instrument.index).key("mark_price"))
            case .inverse:
                (worth, path) = (units / risk.mark * settlePrice, JSONPath.root.key("instruments").index(position.instrument.index).key("mark_price"))
            case .option(.put, let strike, _) where strike > risk.underlyingPrice:
                (worth, path) = (units * strike, JSONPath.root.key("instruments").index(position.instrument.index).key("strike"))
            case .option, .spot:
                (worth, path) = (units * risk.underlyingPrice, JSONPath.root.key("assets").index(risk.underlying.index).key("index_price"))
            }
            guard worth.isNaN || worth < limit else {
                throw path.error("values the \(instrument.symbol) position at \(amount(worth)), \(beyond)")
            }
        }
    }
}
