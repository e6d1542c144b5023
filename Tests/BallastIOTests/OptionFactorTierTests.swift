import BallastCore
import BallastIO
import Foundation
import Testing

/// OKX's size-tiered option margin factor (`margin_factor_tiers`): the factor k of every short option on an underlying
/// follows the account's total short size on it. OKX's worked example (reproduced at https://365shuku.com/13503.html)
/// assumes "the account is in the second tier with a margin coefficient of 1.02". The tier bounds here are made up for
/// the test (OKX publishes them through its API): from 0 BTC sold k = 1, from 5 BTC k = 1.02, from 50 BTC k = 1.05.
///
/// The call is OKX-2's: BTCUSD 6,000 call, 100 USD out of the money on the same-expiry future at 5,900, mark 0.0575 BTC,
/// multiplier 0.1 BTC: IM per contract [max(0.1, 0.15 − 100/5,900) × k + 0.0575] × 0.1, MM (0.03 × k + 0.0575) × 0.1.
/// The put is struck at 5,000, 900 out of the money, mark 0.01 BTC: IM [max(0.1, 0.15 − 900/5,900) × k + 0.01] × 0.1 =
/// (0.1 × k + 0.01) × 0.1, MM (max(0.03, 0.03 × 0.01) × k + 0.01) × 0.1.
@Suite("Size-tiered option margin factor")
struct OptionFactorTierTests {
    static func document(positions: String, tiers: String = #"[{"floor": 0, "factor": 1}, {"floor": 5, "factor": 1.02}, {"floor": 50, "factor": 1.05}]"#) -> Data {
        Data("""
            {"time": "2020-05-01T00:00:00Z",
             "assets": [{"symbol": "USD", "decimals": 2, "index_price": 1}, {"symbol": "BTC", "decimals": 8, "index_price": 5850}],
             "instruments": [
               {"symbol": "C6000", "kind": "option", "right": "call", "strike": 6000, "expiry": "2020-05-15T08:00:00Z", "settlement": "inverse",
                "underlying": "BTC", "quote": "USD", "contract_size": "0.1", "tick_size": "0.0005", "lot_size": "1", "mark_price": 0.0575,
                "forward_instrument": "F"},
               {"symbol": "P5000", "kind": "option", "right": "put", "strike": 5000, "expiry": "2020-05-15T08:00:00Z", "settlement": "inverse",
                "underlying": "BTC", "quote": "USD", "contract_size": "0.1", "tick_size": "0.0005", "lot_size": "1", "mark_price": 0.01,
                "forward_instrument": "F"},
               {"symbol": "P4000", "kind": "option", "right": "put", "strike": 4000, "expiry": "2020-05-15T08:00:00Z", "settlement": "inverse",
                "underlying": "BTC", "quote": "USD", "contract_size": "0.1", "tick_size": "0.0005", "lot_size": "1", "mark_price": 0.002,
                "forward_instrument": "F"},
               {"symbol": "F", "kind": "future", "expiry": "2020-05-15T08:00:00Z", "settlement": "inverse", "underlying": "BTC", "quote": "USD",
                "contract_size": "100", "tick_size": "0.1", "lot_size": "1", "mark_price": 5900,
                "margin": {"shape": "tiered", "tiers": [{"floor": 0, "max_leverage": 100, "maintenance_rate": 0.005}]}}],
             "option_margin": {"BTC": {
               "call": {"otm_initial_rate": 0.15, "minimum_initial_rate": 0.1, "maintenance_rate": 0.03},
               "put": {"otm_initial_rate": 0.15, "minimum_initial_rate": 0.1, "maintenance_rate": 0.03, "maintenance_mark_rate": 0.03},
               "otm_reference": "forward", "margin_factor_tiers": \(tiers)}},
             "account": {"id": "seller", "balances": [{"asset": "BTC", "amount": "20"}], "positions": \(positions)}}
            """.utf8)
    }

    func lines(_ positions: String) throws -> [String: MarginReport.PositionLine] {
        let input = try MarginInput.decode(Self.document(positions: positions))
        let report = try MarginReport(account: input.account, context: input.context)
        return Dictionary(uniqueKeysWithValues: report.positions.map { ($0.instrument, $0) })
    }

    @Test("the factor follows the account's total short size on the underlying")
    func tiers() throws {
        // 10 calls = 1 BTC sold: tier 1, k = 1: 10 × [0.15 − 100/5,900 + 0.0575] × 0.1 = 0.190550847 BTC.
        let small = try lines(#"[{"instrument": "C6000", "size": "-10", "entry_price": "0.06"}]"#)
        #expect(abs(try #require(small["C6000"]).initial.doubleValue - 0.190550847) < 2e-8)
        // 100 calls = 10 BTC: tier 2, k = 1.02 (OKX's example): 1.932118644 BTC, as OKX's 0.01932 per contract.
        let example = try lines(#"[{"instrument": "C6000", "size": "-100", "entry_price": "0.06"}]"#)
        #expect(abs(try #require(example["C6000"]).initial.doubleValue - 1.932118644) < 2e-8)
        #expect(abs(try #require(example["C6000"]).maintenance.doubleValue - 100 * (0.03 * 1.02 + 0.0575) * 0.1) < 2e-8)
        // With 500 puts sold too, 60 BTC: tier 3, k = 1.05 on both. Calls: 100 × [(0.15 − 100/5,900) × 1.05 + 0.0575]
        // × 0.1 = 1.972033898; MM 100 × 0.089 × 0.1 = 0.89. Puts: 500 × (0.105 + 0.01) × 0.1 = 5.75; MM 500 ×
        // (0.0315 + 0.01) × 0.1 = 2.075. A long option does not count toward the size.
        let both = try lines(#"""
            [{"instrument": "C6000", "size": "-100", "entry_price": "0.06"}, {"instrument": "P5000", "size": "-500", "entry_price": "0.01"},
             {"instrument": "F", "size": "100", "entry_price": "5900"}]
            """#)
        #expect(abs(try #require(both["C6000"]).initial.doubleValue - 1.972033898) < 2e-8)
        #expect(abs(try #require(both["C6000"]).maintenance.doubleValue - 0.89) < 2e-8)
        #expect(abs(try #require(both["P5000"]).initial.doubleValue - 5.75) < 2e-8)
        #expect(abs(try #require(both["P5000"]).maintenance.doubleValue - 2.075) < 2e-8)
        let hedged = try lines(#"""
            [{"instrument": "C6000", "size": "-100", "entry_price": "0.06"}, {"instrument": "P5000", "size": "500", "entry_price": "0.01"}]
            """#)
        #expect(abs(try #require(hedged["C6000"]).initial.doubleValue - 1.932118644) < 2e-8)
    }

    /// 91 + 2 + 7 contracts of 0.1 BTC sum to 9.999999999999998 in binary floating point, in that order; the size is
    /// 10 BTC, on the floor of the tier from 10 (tiers 0 → 1, 10 → 1.02), so the call takes 1.02: 91 × [(0.15 −
    /// 100/5,900) × 1.02 + 0.0575] × 0.1 = 1.758227966 BTC (at k = 1: 1.734012712).
    @Test("a size on a tier's floor is in that tier, whatever the rounding of its sum")
    func onTheFloor() throws {
        let input = try MarginInput.decode(Self.document(positions: #"""
            [{"instrument": "C6000", "size": "-91", "entry_price": "0.06"}, {"instrument": "P5000", "size": "-2", "entry_price": "0.01"},
             {"instrument": "P4000", "size": "-7", "entry_price": "0.002"}]
            """#, tiers: #"[{"floor": 0, "factor": 1}, {"floor": 10, "factor": 1.02}]"#))
        let report = try MarginReport(account: input.account, context: input.context)
        let call = try #require(report.positions.first { $0.instrument == "C6000" })
        #expect(abs(call.initial.doubleValue - 1.758227966) < 2e-8, "\(call.initial)")
    }

    /// A what-if sale that crosses a tier raises the factor of the options already sold, and its reverse restores it.
    @Test("a what-if sale into the next tier re-margins every short option on the underlying")
    func whatIfAcrossTiers() throws {
        let data = Self.document(positions: #"[{"instrument": "C6000", "size": "-40", "entry_price": "0.06"}]"#)
        let input = try MarginInput.decode(data)
        let put = try #require(input.context.catalog.instrument("P5000"))
        let price = try #require(FixedPoint(parsing: "0.01"))
        let sale = Trade(instrument: put, size: -20, price: price)
        let whatIf = try WhatIf(account: input.account, trades: [sale, Trade(instrument: put, size: 20, price: price)], context: input.context)
        // 40 calls = 4 BTC: tier 1. Selling 20 puts makes 6 BTC: tier 2 for the calls too, 40 × [(0.15 − 100/5,900) ×
        // 1.02 + 0.0575] × 0.1 = 0.772847458. Buying them back returns every figure.
        let call = { (report: MarginReport) throws -> Double in try #require(report.positions.first { $0.instrument == "C6000" }).initial.doubleValue }
        #expect(abs(try call(whatIf.before) - 40 * (0.15 - 100.0 / 5_900 + 0.0575) * 0.1) < 2e-8)
        let afterSale = try WhatIf(account: input.account, trades: [sale], context: input.context).after
        #expect(abs(try call(afterSale) - 0.772847458) < 2e-8)
        #expect(try call(whatIf.after) == (try call(whatIf.before)))
        #expect(whatIf.after.cross == whatIf.before.cross)
    }

    @Test("bad tiers are refused at their path")
    func refusals() throws {
        for (tiers, path, reason) in [(#"[{"floor": 1, "factor": 1}]"#, "margin_factor_tiers[0].floor", "the first tier must start at 0"),
                                      (#"[{"floor": 0, "factor": 1}, {"floor": 0, "factor": 1.1}]"#, "margin_factor_tiers[1].floor", "floors must rise strictly"),
                                      (#"[{"floor": 0, "factor": 0}]"#, "margin_factor_tiers[0].factor", "must be in (0, 10]"),
                                      (#"[{"floor": 0, "factor": 1.1}, {"floor": 5, "factor": 1}]"#, "margin_factor_tiers[1].factor",
                                       "must not be below the tier before"),
                                      (#"[{"floor": 0, "multiplier": 1}]"#, "margin_factor_tiers[0]", "multiplier")] {
            let output = MarginCommand(accountData: Self.document(positions: "[]", tiers: tiers)).run()
            #expect(output.exitCode == 2)
            #expect(output.stdout.isEmpty)
            #expect(output.stderr.contains("option_margin.BTC.\(path)") && output.stderr.contains(reason), "\(output.stderr)")
        }
    }
}
