import BallastCore
import BallastEngine
@testable import BallastIO
import Foundation
import Testing

/// `/v1/at-risk` orders pools on fresh figures. Found by fuzzing `ballast serve`: it chose and ordered pools by the
/// margin ratio the engine last stored, which lags within a state (a pool is re-evaluated when a move can change its
/// state), so a riskier pool was listed behind a safer one, or left out under a limit.
@Suite("At-risk pools ordered on fresh figures")
struct AtRiskOrderTests {
    /// BTC-PERP at 60,000, MM 0.5 % of notional (half of the 1 % IM), health bands 1.5 / 1.2 / 1.05 of uniMMR.
    /// Long: 6,100 USDC, long 1 BTC: ratio MM / margin balance = 300 / 6,100 = 0.0492. Short: 60,000 USDC, short
    /// 10 BTC: 3,000 / 60,000 = 0.05, the riskier. At 59,400 (−1 %): long 297 / 5,500 = 0.054, short 2,970 / 66,000 =
    /// 0.045; both stay far from the warning band (uniMMR 1.5), so the engine keeps their stored ratios. Fresh, the
    /// long is the riskier. Thin: 400 USDC, long 1 BTC: uniMMR 400 / 300 = 1.33, in the warning band; at 59,400 its
    /// margin balance is −200: bankrupt, listed before every healthy pool.
    @Test("pools are listed by their fresh margin ratio, and a limit keeps the riskiest")
    func freshOrder() throws {
        let engine = try HysteresisQueryTests.applying([
            #"{"seq": 1, "id": "o1", "time": "2026-01-01T00:00:00Z", "type": "open_account", "account": "long"}"#,
            #"{"seq": 2, "id": "d1", "time": "2026-01-01T00:00:00Z", "type": "deposit", "account": "long", "asset": "USDC", "amount": "6100"}"#,
            #"{"seq": 3, "id": "o2", "time": "2026-01-01T00:00:00Z", "type": "open_account", "account": "short"}"#,
            #"{"seq": 4, "id": "d2", "time": "2026-01-01T00:00:00Z", "type": "deposit", "account": "short", "asset": "USDC", "amount": "60000"}"#,
            #"{"seq": 5, "id": "f", "time": "2026-01-01T00:00:00Z", "type": "fill", "instrument": "BTC-PERP", "price": "60000", "size": "1", "buyer": {"account": "long"}}"#,
            #"{"seq": 6, "id": "g", "time": "2026-01-01T00:00:00Z", "type": "fill", "instrument": "BTC-PERP", "price": "60000", "size": "10", "seller": {"account": "short"}}"#,
            #"{"seq": 7, "id": "o3", "time": "2026-01-01T00:00:00Z", "type": "open_account", "account": "thin"}"#,
            #"{"seq": 8, "id": "d3", "time": "2026-01-01T00:00:00Z", "type": "deposit", "account": "thin", "asset": "USDC", "amount": "400"}"#,
            #"{"seq": 9, "id": "h", "time": "2026-01-01T00:00:00Z", "type": "fill", "instrument": "BTC-PERP", "price": "60000", "size": "1", "buyer": {"account": "thin"}}"#,
            #"{"seq": 10, "id": "p", "time": "2026-01-01T00:01:00Z", "type": "prices", "index": {"BTC": 59400}, "marks": {"BTC-PERP": 59400}}"#,
        ])
        let fresh = { (index: Int) in engine.freshStatus(of: .account(Int32(index))).cross.figures.marginRatio ?? 0 }
        #expect(abs(fresh(0) - 297.0 / 5_500) < 1e-9)
        #expect(abs(fresh(1) - 2_970.0 / 66_000) < 1e-9)
        // The premise: the move changed no state, so the engine kept the stored ratios, where the short is the riskier.
        let stored = { (index: Int) in engine.accountStatus[index].cross.figures.marginRatio ?? 0 }
        #expect(abs(stored(0) - 300.0 / 6_100) < 1e-9 && abs(stored(1) - 0.05) < 1e-9, "\(stored(0)) \(stored(1))")
        let root = try #require(try JSONSerialization.jsonObject(with: SystemQueries.atRisk(engine, limit: 2)) as? [String: Any])
        let entries = try #require(root["entries"] as? [[String: Any]])
        #expect(entries.map { $0["id"] as? String } == ["thin", "long"])
        #expect(entries.first?["state"] as? String == "bankrupt")
        #expect(abs((entries.last?["margin_ratio"] as? Double ?? 0) - 297.0 / 5_500) < 1e-9)
        let all = try #require(try JSONSerialization.jsonObject(with: SystemQueries.atRisk(engine, limit: 5)) as? [String: Any])
        #expect((all["entries"] as? [[String: Any]])?.map { $0["id"] as? String } == ["thin", "long", "short"])
        let none = try #require(try JSONSerialization.jsonObject(with: SystemQueries.atRisk(engine, limit: 0)) as? [String: Any])
        #expect((none["entries"] as? [Any])?.isEmpty == true)
        #expect(none["units"] as? Int == 3)
    }
}
