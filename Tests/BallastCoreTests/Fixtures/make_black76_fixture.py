#!/usr/bin/env python3
"""Generate black76_quantlib.json: Black-76 reference values from QuantLib.

Regenerate (from the repository root):
    pip install QuantLib==1.44
    python3 Tests/BallastCoreTests/Fixtures/make_black76_fixture.py
Optional: --mpmath-check (needs mpmath) also prints the fixture's error against 50-digit arithmetic.

Deterministic: fixed seed, no wall-clock or environment input. See README.md
beside this file for the conventions the fixture follows.
"""

import json
import math
import os
import random
import sys

import QuantLib as ql

SEED = 20261122
CASES_PER_CATEGORY = 150  # random cases per (option, settlement); edge cases come on top
EXPECTED_QUANTLIB = "1.44"

PRICE_FLOOR = 1e-8  # exclude linear value / (D*F) below this (deep OTM)
VEGA_FLOOR = 1e-8   # exclude vega / F below this (implied vol ill-conditioned)

THETA_RTOL = 1e-12  # QuantLib theta vs closed form
FD_RTOL = 1e-5      # inverse delta/gamma vs finite differences of QuantLib prices
IV_ACCURACY = 1e-14  # absolute accuracy on the std dev passed to the implied-vol solver
IV_MAX_EVALS = 100

STATS = {"theta_rel": 0.0, "vega_rel": 0.0, "fd_delta_inv_rel": 0.0, "fd_gamma_inv_rel": 0.0}

CATEGORIES = [("call", "linear"), ("put", "linear"), ("call", "inverse"), ("put", "inverse")]
QL_TYPE = {"call": ql.Option.Call, "put": ql.Option.Put}

# Hand-picked edge cases: (forward, strike, vol, time, rate). Each is emitted in
# all four categories.
EDGE_CASES = [
    (50000.0, 50000.0, 0.8, 30.0 / 365.0, 0.0),       # ATM, one month
    (2000.0, 2000.0, 0.6, 0.5, 0.05),                 # ATM with a positive rate
    (60000.0, 60000.0, 3.0, 1.0 / 8760.0, 0.0),       # T = 1 hour, sigma 300%, ATM
    (60000.0, 61200.0, 3.0, 1.0 / 8760.0, 0.0),       # T = 1 hour, sigma 300%, K/F = 1.02
    (100.0, 100.0, 0.05, 2.0, 0.0),                   # T = 2 years, sigma 5%, ATM
    (100.0, 110.0, 0.05, 2.0, 0.1),                   # T = 2 years, sigma 5%, K/F = 1.1, r = 10%
    (150.0, 120.0, 0.25, 1.0, -0.02),                 # negative rate
    (200000.0, 80000.0, 3.0, 2.0, 0.0),               # widest corner: F max, K/F = 0.4, sigma 300%, T 2y
]

CONVENTIONS = (
    "Black-76 on forward F, strike K, annualised volatility vol, time in years, continuously "
    "compounded rate; discount D = exp(-rate*time); values from QuantLib BlackCalculator with "
    "stdDev = vol*sqrt(time). linear settlement: price = V in quote currency per 1 unit of underlying, "
    "delta = dV/dF (deltaForward), gamma = d2V/dF2 (gammaForward), vega = dV/dvol per 1.00 of vol "
    "(not per 1%), theta = dV/d(calendar time) per year with F fixed = rate*V - D*F*phi(d1)*vol/(2*sqrt(time)) "
    "(negative for long options when rate = 0). inverse (coin-settled) settlement: price = V/F in coin, "
    "delta = dV/dF/F - V/F^2, gamma = d2V/dF2/F - 2*(dV/dF)/F^2 + 2*V/F^3, vega = vega/F, theta = theta/F. "
    "implied_vol = blackFormulaImpliedStdDev(option, K, F, linear V, D)/sqrt(time), for both settlements; "
    "vol is the input. Cases with V/(D*F) < 1e-8 or vega/F < 1e-8 are excluded."
)


def norm_pdf(x):
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def calculator(option, forward, strike, std_dev, discount):
    payoff = ql.PlainVanillaPayoff(QL_TYPE[option], strike)
    return ql.BlackCalculator(payoff, forward, std_dev, discount)


def inverse_price(option, forward, strike, std_dev, discount):
    return calculator(option, forward, strike, std_dev, discount).value() / forward


def fd_derivatives(option, forward, strike, std_dev, discount):
    """First and second derivative of V/F in F by central differences at steps h, h/2, h/4,
    Richardson-extrapolated twice (error O(h^6)). h = 0.05*F*stdDev is large enough that the
    rounding noise of QuantLib's deep-OTM prices (about eps*F absolute, from F*N(d1) - K*N(d2))
    stays below 1e-5 of gamma at the 1e-8 price floor; smaller steps fail there."""
    f = lambda x: inverse_price(option, x, strike, std_dev, discount)
    p0 = f(forward)
    h = 0.05 * forward * std_dev
    deltas, gammas = [], []
    for step in (h, h / 2.0, h / 4.0):
        up, dn = f(forward + step), f(forward - step)
        deltas.append((up - dn) / (2.0 * step))
        gammas.append((up - 2.0 * p0 + dn) / (step * step))
    for level in (1, 2):
        k = 4.0**level
        deltas = [(k * deltas[i + 1] - deltas[i]) / (k - 1.0) for i in range(len(deltas) - 1)]
        gammas = [(k * gammas[i + 1] - gammas[i]) / (k - 1.0) for i in range(len(gammas) - 1)]
    return deltas[0], gammas[0]


def close(a, b, rtol, scale=None):
    scale = max(abs(a), abs(b)) if scale is None else scale
    return abs(a - b) <= rtol * scale


def evaluate(option, forward, strike, vol, time, rate):
    """Return (linear dict, inverse dict, implied_vol) or the exclusion reason as a string."""
    discount = math.exp(-rate * time)
    std_dev = vol * math.sqrt(time)
    bc = calculator(option, forward, strike, std_dev, discount)
    value = bc.value()
    delta = bc.deltaForward()
    gamma = bc.gammaForward()
    vega = bc.vega(time)
    theta = bc.theta(forward, time)  # spot = forward: no carry term; per year, dV/d(calendar time)

    too_cheap = value / (discount * forward) < PRICE_FLOOR
    too_flat = vega / forward < VEGA_FLOOR
    if too_cheap or too_flat:
        return "both" if too_cheap and too_flat else ("price" if too_cheap else "vega")

    # theta: QuantLib vs the closed form, to THETA_RTOL of the size of the two terms (they can
    # cancel when rate != 0), widened by QuantLib's own rounding, which is measurable in two places:
    #  - gammaForward()/vega() are sums of two terms that cancel; they lose about eps*|ln(K/F)|/stdDev^2;
    #  - theta() uses -ln(D)/T in place of rate; ln(exp(-rate*T)) keeps only about eps/|rate*T| of rate.
    # d1 is written exactly as BlackCalculator forms it, so that phi(d1) matches to the ulp.
    eps = sys.float_info.epsilon
    d1 = math.log(forward / strike) / std_dev + 0.5 * std_dev
    cancel = abs(math.log(strike / forward)) / (std_dev * std_dev)
    decay = discount * forward * norm_pdf(d1) * vol / (2.0 * math.sqrt(time))
    carry = abs(rate * value)
    theta_closed = rate * value - decay
    theta_tol = (THETA_RTOL * (carry + decay) + 16.0 * eps * cancel * decay
                 + (16.0 * eps * carry / abs(rate * time) if rate != 0.0 else 0.0))
    assert abs(theta - theta_closed) <= theta_tol, (
        "theta", option, forward, strike, vol, time, rate, theta, theta_closed)
    STATS["theta_rel"] = max(STATS["theta_rel"], abs(theta - theta_closed) / (carry + decay))

    # vega: QuantLib's is per 1.00 of vol (not per 1%) and includes the discount.
    vega_closed = discount * forward * norm_pdf(d1) * math.sqrt(time)
    assert abs(vega - vega_closed) <= (THETA_RTOL + 16.0 * eps * cancel) * vega_closed, (
        "vega", option, forward, strike, vol, time, rate, vega, vega_closed)
    STATS["vega_rel"] = max(STATS["vega_rel"], abs(vega / vega_closed - 1.0))

    inv = {
        "price": value / forward,
        "delta": delta / forward - value / forward**2,
        "gamma": gamma / forward - 2.0 * delta / forward**2 + 2.0 * value / forward**3,
        "vega": vega / forward,
        "theta": theta / forward,
    }
    fd_delta, fd_gamma = fd_derivatives(option, forward, strike, std_dev, discount)
    for name, exact, fd in (("delta_inv", inv["delta"], fd_delta), ("gamma_inv", inv["gamma"], fd_gamma)):
        assert close(exact, fd, FD_RTOL), (name, option, forward, strike, vol, time, rate, exact, fd)
        STATS[f"fd_{name}_rel"] = max(STATS[f"fd_{name}_rel"], abs(fd / exact - 1.0))

    implied_std = ql.blackFormulaImpliedStdDev(
        QL_TYPE[option], strike, forward, value, discount, 0.0, ql.nullDouble(), IV_ACCURACY, IV_MAX_EVALS)
    implied_vol = implied_std / math.sqrt(time)

    lin = {"price": value, "delta": delta, "gamma": gamma, "vega": vega, "theta": theta}
    return lin, inv, implied_vol


def mpmath_check(cases):
    """Optional (--mpmath-check; needs `pip install mpmath`): the largest relative error of the
    fixture's QuantLib numbers against the same formulas in 50-digit arithmetic. Informational:
    it says how tight a test comparing against this fixture can be. Writes nothing."""
    from mpmath import mp, mpf, exp, log, ncdf, npdf, sqrt
    mp.dps = 50
    worst = {}
    for c in cases:
        F, K, vol, T, r = (mpf(c[k]) for k in ("forward", "strike", "vol", "time", "rate"))
        D, sd, w = exp(-r * T), vol * sqrt(T), (1 if c["option"] == "call" else -1)
        d1 = log(F / K) / sd + sd / 2
        d2 = d1 - sd
        v = D * w * (F * ncdf(w * d1) - K * ncdf(w * d2))
        dv = D * w * ncdf(w * d1)
        g = D * npdf(d1) / (F * sd)
        ref = {"price": v, "delta": dv, "gamma": g, "vega": D * F * npdf(d1) * sqrt(T),
               "theta": r * v - D * F * npdf(d1) * vol / (2 * sqrt(T))}
        if c["settlement"] == "inverse":
            ref = {"price": v / F, "delta": dv / F - v / F**2, "gamma": g / F - 2 * dv / F**2 + 2 * v / F**3,
                   "vega": ref["vega"] / F, "theta": ref["theta"] / F}
        ref["implied_vol"] = vol
        for key, exact in ref.items():
            err = float(abs(mpf(c[key]) - exact) / abs(exact))
            slot = (c["settlement"], key)
            worst[slot] = max(worst.get(slot, 0.0), err)
    for settlement in ("linear", "inverse"):
        print(f"mpmath check, max relative error, {settlement}: "
              + ", ".join(f"{k} {e:.1e}" for (s, k), e in worst.items() if s == settlement))


def log_uniform(rng, lo, hi):
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def draw(rng):
    forward = log_uniform(rng, 100.0, 200000.0)
    strike = forward * log_uniform(rng, 0.4, 2.5)
    time = log_uniform(rng, 1.0 / 8760.0, 2.0)
    vol = log_uniform(rng, 0.05, 3.0)
    rate = 0.0 if rng.random() < 0.8 else rng.uniform(-0.02, 0.1)
    return forward, strike, vol, time, rate


def make_case(case_id, option, settlement, params, result):
    forward, strike, vol, time, rate = params
    lin, inv, implied_vol = result
    greeks = lin if settlement == "linear" else inv
    case = {"id": case_id, "option": option, "settlement": settlement,
            "forward": forward, "strike": strike, "vol": vol, "time": time, "rate": rate}
    case.update(greeks)
    case["implied_vol"] = implied_vol
    for key, x in case.items():
        assert not isinstance(x, float) or math.isfinite(x), (case_id, key, x)
    return case


def main():
    version = ql.__version__
    print(f"QuantLib {version}")
    if version != EXPECTED_QUANTLIB:
        print(f"warning: fixture was made with QuantLib {EXPECTED_QUANTLIB}; output may differ in the last bits",
              file=sys.stderr)

    rng = random.Random(SEED)
    cases = []
    excluded = {"price": 0, "vega": 0, "both": 0}
    excluded_by_category = {c: 0 for c in CATEGORIES}

    for params in EDGE_CASES:
        for option, settlement in CATEGORIES:
            result = evaluate(option, *params)
            assert not isinstance(result, str), ("edge case excluded", option, params, result)
            cases.append(make_case(len(cases) + 1, option, settlement, params, result))

    for i in range(CASES_PER_CATEGORY * len(CATEGORIES)):
        option, settlement = CATEGORIES[i % len(CATEGORIES)]
        while True:
            params = draw(rng)
            result = evaluate(option, *params)
            if not isinstance(result, str):
                break
            excluded[result] += 1
            excluded_by_category[(option, settlement)] += 1
        cases.append(make_case(len(cases) + 1, option, settlement, params, result))

    iv_dev = max(abs(c["implied_vol"] / c["vol"] - 1.0) for c in cases)
    counts = {f"{o}/{s}": sum(1 for c in cases if c["option"] == o and c["settlement"] == s) for o, s in CATEGORIES}
    print(f"cases: {len(cases)} {counts}")
    print(f"excluded: price only {excluded['price']}, vega only {excluded['vega']}, both {excluded['both']}, "
          f"total {sum(excluded.values())}; by category "
          + ", ".join(f"{o}/{s} {n}" for (o, s), n in excluded_by_category.items()))
    print(f"max |implied_vol/vol - 1| = {iv_dev:.3e}")
    print("max relative gaps: " + ", ".join(f"{k} {v:.2e}" for k, v in STATS.items()))

    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "black76_quantlib.json")
    header = {"generator": "make_black76_fixture.py", "quantlib_version": version, "conventions": CONVENTIONS}
    lines = ["{"]
    for key, value in header.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value)},")
    lines.append('  "cases": [')
    body = [f"    {json.dumps(c, allow_nan=False)}" for c in cases]
    lines.append(",\n".join(body))
    lines.append("  ]")
    lines.append("}")
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")

    # Round-trip check: the file parses and every float survives exactly.
    with open(out, encoding="utf-8") as fh:
        assert json.load(fh)["cases"] == cases
    print(f"wrote {out} ({os.path.getsize(out)} bytes)")
    if "--mpmath-check" in sys.argv[1:]:
        mpmath_check(cases)


if __name__ == "__main__":
    main()
