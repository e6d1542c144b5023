import BallastIO
import Foundation
import Testing

/// More venues' worked examples: Deribit's linear USDC perpetuals, Phemex's fee to close valued apart in the initial and
/// maintenance margin, and Paradex's margin of resting orders.
extension VenueExampleTests {
    // MARK: Deribit linear

    /// Source: Deribit, "Linear Perpetual", https://support.deribit.com/hc/en-us/articles/25944738177565-Linear-Perpetual :
    /// "the margin needs to be calculated in the margin currency. This is done on the index price of the underlying
    /// currency"; BTC initial margin "2% + (POS Size in BTC) * 0.005%", maintenance "1% + (POS Size in BTC) * 0.005%";
    /// SOL "4% + (POS Size in SOL) * 0.0005%" and "2% + (POS Size in SOL) * 0.0005%". Published at BTC 100,000 and
    /// SOL 200: BTC 25 → IM 2.125 % = 53,125 USDC, MM 1.125 % = 28,125; BTC 350 → IM 3.75 % = 1,312,500; SOL 25 → IM
    /// 4.0125 % = 200.625, MM 2.0125 % = 100.625; SOL 6,000 → IM 7 % = 84,000. The maintenance of the large positions
    /// is DERIVED from the same rule (BTC 2.75 % → 962,500; SOL 5 % → 60,000). The marks equal the index, as on the
    /// page. Tolerance: exact at the USDC scale.
    @Test("DRB-2: Deribit linear USDC perpetuals, size-scaled in coin: BTC 25 IM 53,125 / MM 28,125, 350 IM 1,312,500; SOL 25 IM 200.625, 6,000 IM 84,000",
          arguments: [("25.000", "25.0", "53125.000000", "28125.000000", "200.625000", "100.625000"),
                      ("350.000", "6000.0", "1312500.000000", "962500.000000", "84000.000000", "60000.000000")])
    func drb2(btcSize: String, solSize: String, btcInitial: String, btcMaintenance: String, solInitial: String, solMaintenance: String) throws {
        let text = String(decoding: try vector("drb-2"), as: UTF8.self)
            .replacingOccurrences(of: "\"size\": \"25.000\"", with: "\"size\": \"\(btcSize)\"")
            .replacingOccurrences(of: "\"size\": \"25.0\"", with: "\"size\": \"\(solSize)\"")
        let report = try runJSON(Data(text.utf8))
        let btc = try #require(position(report, "BTC_USDC-PERPETUAL"))
        let sol = try #require(position(report, "SOL_USDC-PERPETUAL"))
        #expect(btc["initial_margin"] as? String == btcInitial)
        #expect(btc["maintenance_margin"] as? String == btcMaintenance)
        #expect(sol["initial_margin"] as? String == solInitial)
        #expect(sol["maintenance_margin"] as? String == solMaintenance)
    }

    // MARK: Phemex

    /// Source: Phemex, "Liquidation price (USDT-M)", https://phemex.com/help-center/liq-price-for-USDTM : "Est. Liq
    /// Price for Long position: (OpenValue - assignedPosBalance - mmAmount)/(0.9994 - MMR)/size",
    /// "assignedPosBalance=Openvalue/leverage + close fee", "close fee=bankruptcy Value*takerfeerate"; the example: 500
    /// contracts at 0.4 (open value 200), 5x, taker 0.06 %, MMR 1 %: assigned balance 40.096, liquidation price
    /// "0.3232…". The fee to close is valued twice: at the bankruptcy value in the position's margin (160 × 0.06 % =
    /// 0.096) and at the liquidation price in maintenance (the 0.9994), so the schedule says `close_fee_basis:
    /// bankruptcy`, `maintenance_close_fee_basis: mark`. Ballast: the position's IM is the assigned balance, 40.096
    /// (PUBLISHED); MM at the mark 2 + 0.12 = 2.12 (DERIVED); liquidation price 159.904/0.9894/500 = 0.32323428…
    /// (PUBLISHED to 4 decimals, the rest DERIVED from the quoted formula); bankruptcy price 0.32, where the bankruptcy
    /// value is 160 (DERIVED: the equity 40.096 + 500·(0.32 − 0.4) = 0.096 just pays the fee at that price).
    /// With the fee at the bankruptcy value in maintenance too, the price would be 160/495 = 0.32323232…, which the
    /// published 4 decimals cannot tell apart: the last check is against the quoted formula.
    @Test("PHEMEX-1: Phemex isolated long 500 at 0.4, 5x: assigned balance 40.096, liquidation price 0.3232… (fee at the liquidation price)")
    func phemex1() throws {
        let report = try runJSON(try vector("phemex-1"))
        let line = try #require(position(report, "XRPUSDT"))
        #expect(line["initial_margin"] as? String == "40.09600000")
        #expect(line["maintenance_margin"] as? String == "2.12000000")
        let liquidation = try #require(number(line, "liquidation_price", "price"))
        #expect(String(format: "%.4f", liquidation) == "0.3232")
        #expect(abs(liquidation - 159.904 / 0.9894 / 500) <= 1e-12)
        #expect(abs(liquidation - 160.0 / 495) > 1e-6)
        #expect(abs(try #require(number(line, "bankruptcy_price", "price")) - 0.32) <= 1e-12)
    }

    /// Source: Phemex, "Order Cost (USDT Contract)", https://phemex.com/help-center/Order-Cost-USDT-Contract : buy 1 BTC
    /// at 70,000 with 10x, taker 0.055 %: initial margin 7,000, fee to open 38.5, fee to close 1 × 70,000 × 0.9 ×
    /// 0.055 % = 34.65, order cost 7,073.15 (PUBLISHED, exact). Ballast's pre-trade check asks that the IM after the
    /// trade (7,000 + the fee to close at the bankruptcy price, 34.65) be covered by the margin balance after the fee to
    /// open is paid: a balance of exactly the order cost passes, one unit less fails. At the mark basis for both
    /// requirements the IM would be 7,038.5, and 7,073.15 would not pass.
    @Test("PHEMEX-2: Phemex order cost of 1 BTC at 70,000, 10x: 7,073.15 USDT passes, 7,073.149999 does not")
    func phemex2() throws {
        let trade = try JSONSerialization.data(withJSONObject: ["trades": [["instrument": "BTCUSDT", "size": "1", "price": "70000",
                                                                             "leverage": 10, "fee": "38.5"]]])
        let report = try runJSON(try vector("phemex-2"), whatIf: trade)
        #expect(value(report, "trades", 0, "passes") as? Bool == true)
        #expect(position(try #require(report["after"] as? [String: Any]), "BTCUSDT")?["initial_margin"] as? String == "7034.650000")
        #expect(position(try #require(report["after"] as? [String: Any]), "BTCUSDT")?["maintenance_margin"] as? String == "388.500000")

        let short = String(decoding: try vector("phemex-2"), as: UTF8.self).replacingOccurrences(of: "\"7073.15\"", with: "\"7073.149999\"")
        let failing = try runJSON(Data(short.utf8), whatIf: trade)
        #expect(value(failing, "trades", 0, "passes") as? Bool == false)

        let atMark = String(decoding: try vector("phemex-2"), as: UTF8.self)
            .replacingOccurrences(of: "\"close_fee_basis\": \"bankruptcy\"", with: "\"close_fee_basis\": \"mark\"")
        let marked = try runJSON(Data(atMark.utf8), whatIf: trade)
        #expect(value(marked, "trades", 0, "passes") as? Bool == false)
        #expect(position(try #require(marked["after"] as? [String: Any]), "BTCUSDT")?["initial_margin"] as? String == "7038.500000")
    }

    @Test("maintenance_close_fee_basis other than mark or bankruptcy is refused at its path")
    func maintenanceCloseFeeBasisRefused() throws {
        let text = String(decoding: try vector("phemex-2"), as: UTF8.self)
            .replacingOccurrences(of: "\"maintenance_close_fee_basis\": \"mark\"", with: "\"maintenance_close_fee_basis\": \"last\"")
        let output = MarginCommand(accountData: Data(text.utf8), format: .json).run()
        #expect(output.exitCode == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("instruments[0].margin.maintenance_close_fee_basis"))
        #expect(output.stderr.contains("\"last\" is not mark or bankruptcy"))
    }

    // MARK: Paradex

    /// Source: Paradex documentation, `tradeparadex/paradex-docs`, `docs/pages/risk-system/cross-margin-requirement.mdx`:
    /// "Buy open size = max(0, Total size of buy orders + Signed position size)", "Sell open size = max(0, Total size of
    /// sell orders − Signed position size)", "Market Net IMR = max(Buy IMR, Sell IMR)", "Buy IMR = Buy open size * IMF *
    /// Mark Price"; the example: short 1 BTC, buy orders for 3 and sell orders for 2, IMF 2 %, mark 90,000: buy open
    /// size 2, sell open size 3, Net IMR 5,400 USD (PUBLISHED, exact). Ballast splits it into the position's IM
    /// (1 × 2 % × 90,000 = 1,800) and the orders' worst-case fill beyond it (sells: 3 × 1,800 − 1,800 = 3,600; buys:
    /// 2 × 1,800 − 1,800 = 1,800): 1,800 + 3,600 = 5,400. The orders rest at the mark (no open loss) without fees.
    @Test("PARADEX-1: Paradex short 1 BTC with buys of 3 and sells of 2 resting, IMF 2 %: net IMR 5,400")
    func paradex1() throws {
        let report = try runJSON(try vector("paradex-1"))
        let cross = try #require(report["cross"] as? [String: Any])
        #expect(cross["initial_margin"] as? String == "1800.000000")
        #expect(cross["open_order_margin"] as? String == "3600.000000")
        let lines = try #require(value(report, "open_orders", "instruments") as? [[String: Any]])
        #expect(lines.first?["buy_cost"] as? String == "1800.000000")
        #expect(lines.first?["sell_cost"] as? String == "3600.000000")
        // PUBLISHED: the net IMR is the position's IM and the orders' margin together.
        let total = try #require(number(cross, "initial_margin")) + (try #require(number(cross, "open_order_margin")))
        #expect(total == 5_400)
        #expect(cross["available"] as? String == "4600.000000")
    }
}
