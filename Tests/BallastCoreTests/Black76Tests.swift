import BallastCore
import Foundation
import Testing

/// One case of the QuantLib fixture (generated offline by Fixtures/make_black76_fixture.py).
struct QuantLibCase: Decodable, Sendable, CustomTestStringConvertible {
    var id: Int
    var option: String
    var settlement: String
    var forward: Double
    var strike: Double
    var vol: Double
    var time: Double
    var rate: Double
    var price: Double
    var delta: Double
    var gamma: Double
    var vega: Double
    var theta: Double
    var impliedVol: Double

    enum CodingKeys: String, CodingKey {
        case id, option, settlement, forward, strike, vol, time, rate, price, delta, gamma, vega, theta, impliedVol = "implied_vol"
    }

    var testDescription: String { "#\(id) \(option) \(settlement) F=\(forward) K=\(strike) σ=\(vol) T=\(time)" }

    var model: Black76 {
        Black76(right: option == "call" ? .call : .put, forward: forward, strike: strike, volatility: vol, time: time, rate: rate)
    }

    static let all: [QuantLibCase] = {
        struct Fixture: Decodable { var cases: [QuantLibCase] }
        guard let url = Bundle.module.url(forResource: "black76_quantlib", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let fixture = try? JSONDecoder().decode(Fixture.self, from: data) else { return [] }
        return fixture.cases
    }()
}

/// |a − b| ≤ tolerance × max(|b|, floor): relative, with an absolute floor for values near zero.
func close(_ a: Double, _ b: Double, relative tolerance: Double, floor: Double = 0) -> Bool {
    abs(a - b) <= tolerance * max(abs(b), floor)
}

@Suite("Black-76 against QuantLib")
struct Black76Tests {
    @Test("the fixture is present and large enough")
    func fixture() {
        #expect(QuantLibCase.all.count >= 500)
        #expect(Set(QuantLibCase.all.map { $0.option + $0.settlement }).count == 4)
    }

    /// Prices, greeks and implied volatility agree with QuantLib 1.44 (BlackCalculator, blackFormulaImpliedStdDev).
    /// Tolerance: 1e-9 relative. For the price, relative to max(|price|, D·F·1e-2): QuantLib's own deep out-of-the-money
    /// prices carry up to 7e-9 relative error against 50-digit arithmetic (Fixtures/README.md), which a purely relative
    /// bound would attribute to us.
    @Test("prices and greeks agree with QuantLib to 1e-9", arguments: QuantLibCase.all)
    func pricesAndGreeks(_ c: QuantLibCase) {
        let model = c.model
        let scale = model.discount * c.forward
        if c.settlement == "linear" {
            #expect(close(model.price, c.price, relative: 1e-9, floor: scale * 1e-2))
            #expect(close(model.delta, c.delta, relative: 1e-9, floor: 1e-6))
            #expect(close(model.gamma, c.gamma, relative: 1e-9))
            #expect(close(model.vega, c.vega, relative: 1e-9))
            #expect(close(model.theta, c.theta, relative: 1e-9))
        } else {
            #expect(close(model.inversePrice, c.price, relative: 1e-9, floor: model.discount * 1e-2))
            #expect(close(model.inverseDelta, c.delta, relative: 1e-9, floor: 1e-6 / c.forward))
            #expect(close(model.inverseGamma, c.gamma, relative: 1e-9, floor: 1e-3 * abs(model.gamma / c.forward)))
            #expect(close(model.inverseVega, c.vega, relative: 1e-9))
            #expect(close(model.inverseTheta, c.theta, relative: 1e-9))
        }
    }

    @Test("implied volatility recovers the input volatility to 1e-9 relative", arguments: QuantLibCase.all)
    func impliedVolatility(_ c: QuantLibCase) throws {
        let model = c.model
        let linearPrice = c.settlement == "linear" ? c.price : c.price * c.forward
        let implied = try Black76.impliedVolatility(right: model.right, price: linearPrice, forward: c.forward, strike: c.strike,
                                                    time: c.time, rate: c.rate)
        // The fixture price is QuantLib's; its own error (≤ 7e-9 relative) divided by vega bounds how well any solver
        // can recover σ from it. Accept 1e-9 relative, or the error that price noise of 1e-9·D·F implies.
        let conditioning = 1e-9 * model.discount * c.forward / max(model.vega, 1e-300)
        #expect(abs(implied - c.vol) <= max(1e-9 * c.vol, conditioning))
        #expect(abs(implied - c.impliedVol) <= max(1e-7 * c.vol, 2 * conditioning), "and agrees with QuantLib's implied volatility")
    }

    @Test("put-call parity C − P = D·(F − K) and expiry intrinsic value")
    func parity() {
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<500 {
            let f = Double.random(in: 100...100_000, using: &rng)
            let k = f * Double.random(in: 0.5...2, using: &rng)
            let t = Double.random(in: 0.001...2, using: &rng)
            let s = Double.random(in: 0.05...3, using: &rng)
            let r = Double.random(in: -0.02...0.1, using: &rng)
            let call = Black76(right: .call, forward: f, strike: k, volatility: s, time: t, rate: r)
            var put = call
            put.right = .put
            #expect(abs((call.price - put.price) - call.discount * (f - k)) <= 1e-9 * f)
            #expect(abs((call.delta - put.delta) - call.discount) <= 1e-12)
        }
        let expired = Black76(right: .put, forward: 90, strike: 100, volatility: 0.5, time: 0)
        #expect(expired.price == 10)
        #expect(expired.delta == -1)
        #expect(expired.gamma == 0)
    }

    @Test("implied volatility reports why it cannot be found")
    func impliedVolatilityErrors() {
        #expect(throws: ImpliedVolatilityError.belowIntrinsic(price: 5, intrinsic: 10)) {
            try Black76.impliedVolatility(right: .call, price: 5, forward: 110, strike: 100, time: 1)
        }
        #expect(throws: ImpliedVolatilityError.aboveUpperBound(price: 120, bound: 110)) {
            try Black76.impliedVolatility(right: .call, price: 120, forward: 110, strike: 100, time: 1)
        }
        #expect(throws: ImpliedVolatilityError.invalidInput(field: "time", value: 0)) {
            try Black76.impliedVolatility(right: .call, price: 12, forward: 110, strike: 100, time: 0)
        }
    }
}
