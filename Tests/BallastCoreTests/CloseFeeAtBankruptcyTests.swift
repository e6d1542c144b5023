import BallastCore
import Testing

/// The fee to close valued at the bankruptcy price from entry (``CloseFeeBasis/bankruptcy``, Bybit's "estimated fee to
/// close"): a constant part of both requirements while the position is unchanged.
@Suite("Fee to close at the bankruptcy price from entry")
struct CloseFeeAtBankruptcyTests {
    func schedule(maintenance: Double, maxLeverage: Double, basis: NotionalBasis = .mark, fee: Double) throws -> MarginSchedule {
        MarginSchedule(shape: .tiered(try TierTable(floors: [0], maxLeverages: [maxLeverage], maintenanceRates: [maintenance])),
                       notionalBasis: basis, closeFeeRate: fee, closeFeeBasis: .bankruptcy)
    }

    /// One linear position in "BTCUSDT" (USDT-settled, BTC index = mark) and its figures.
    func linearFigures(size: String, entry: String, mark: Double, leverage: Double?, schedule: MarginSchedule) throws -> PositionFigures {
        var market = TestMarket()
        try market.asset("USDT", decimals: 6, price: 1)
        try market.asset("BTC", price: mark)
        try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", mark: mark, schedule: schedule)
        return try PositionFigures(try market.position("BTCUSDT", size: size, entry: entry, leverage: leverage), in: market.context())
    }

    /// Bybit, "Order Cost (USDT Contract)": long 1 BTC at 8,000 with 50x, taker fee 0.075 %. Bankruptcy price
    /// 8,000 × (1 − 0.02) = 7,840; fee to close 1 × 7,840 × 0.00075 = 5.88 USDT; initial margin 8,000/50 = 160 (here
    /// plus the fee: 165.88). The short: 8,000 × 1.02 × 0.00075 = 6.12.
    @Test("Bybit USDT order cost: long 1 BTC at 8,000, 50x, 0.075 %: fee to close 5.88 (short 6.12)")
    func bybitUSDTOrderCost() throws {
        let long = try linearFigures(size: "1", entry: "8000", mark: 8_000, leverage: 50,
                                     schedule: try schedule(maintenance: 0.005, maxLeverage: 100, fee: 0.00075))
        #expect(abs(long.closeFee - 5.88) < 1e-9)
        #expect(abs(long.initial - 165.88) < 1e-9)
        #expect(abs(long.maintenance - (40 + 5.88)) < 1e-9)
        let short = try linearFigures(size: "-1", entry: "8000", mark: 8_000, leverage: 50,
                                      schedule: try schedule(maintenance: 0.005, maxLeverage: 100, fee: 0.00075))
        #expect(abs(short.closeFee - 6.12) < 1e-9)
    }

    /// Bybit, "Initial Margin Calculation (USDC Perpetual & Futures)": 0.5 BTC long at 50,000 with 10x, mark 50,500,
    /// taker fee 0.055 %: IM = 0.5 × 50,500/10 = 2,525 on the mark, estimated fee to close
    /// 0.5 × 50,000 × (1 − 1/10) × 0.00055 = 12.375, so the position's IM is 2,537.375 USDC. The fee does not follow the
    /// mark: at 60,000 it is still 12.375.
    @Test("Bybit USDC IM: 0.5 BTC at 50,000, 10x, mark 50,500, 0.055 %: IM 2,537.375, fee 12.375 at any mark")
    func bybitUSDCInitialMargin() throws {
        let fees = try schedule(maintenance: 0.005, maxLeverage: 100, fee: 0.00055)
        let figures = try linearFigures(size: "0.5", entry: "50000", mark: 50_500, leverage: 10, schedule: fees)
        #expect(abs(figures.closeFee - 12.375) < 1e-9)
        #expect(abs(figures.initial - 2_537.375) < 1e-9)
        let moved = try linearFigures(size: "0.5", entry: "50000", mark: 60_000, leverage: 10, schedule: fees)
        #expect(abs(moved.closeFee - 12.375) < 1e-9)
        #expect(abs(moved.initial - (3_000 + 12.375)) < 1e-9)
    }

    /// Without a chosen leverage the rate is the schedule's IM rate at the entry notional: a ladder 0–100,000 at 50x,
    /// then 10x. Long 3 BTC at 40,000 (entry notional 120,000: 10x), mark 30,000 (notional 90,000: the first tier):
    /// fee = 120,000 × (1 − 0.1) × 0.001 = 108, although the IM is 90,000/50 + 108 = 1,908.
    @Test("no leverage: the IM rate of the tier of the entry notional, whatever the tier at the mark")
    func rateAtEntryNotional() throws {
        let ladder = MarginSchedule(shape: .tiered(try TierTable(floors: [0, 100_000], maxLeverages: [50, 10], maintenanceRates: [0.01, 0.05])),
                                    closeFeeRate: 0.001, closeFeeBasis: .bankruptcy)
        let figures = try linearFigures(size: "3", entry: "40000", mark: 30_000, leverage: nil, schedule: ladder)
        #expect(abs(figures.closeFee - 108) < 1e-9)
        #expect(abs(figures.initial - 1_908) < 1e-9)
    }

    /// Bybit, "Order Cost (Inverse Contract)": long 10,000 BTCUSD (1 USD each) at 6,400 with 25x, taker 0.075 %:
    /// IM = 10,000/6,400/25 = 0.0625 BTC; fee to close = (10,000/6,400) × (1 + 1/25) × 0.00075 = 0.00121875 BTC (the page
    /// rounds the bankruptcy price 6,400 × 25/26 to 6,154 and prints 0.00121872). Short: × (1 − 1/25) = 0.001125.
    @Test("Bybit inverse order cost: long 10,000 BTCUSD at 6,400, 25x: fee to close 0.00121875 BTC (short 0.001125)")
    func bybitInverseOrderCost() throws {
        var market = TestMarket()
        try market.asset("BTC", price: 6_400)
        try market.perpetual("BTCUSD", underlying: "BTC", quote: "USD", settlement: .inverse, contractSize: "1", lot: "1", tick: "0.5",
                             mark: 6_400, schedule: try schedule(maintenance: 0.005, maxLeverage: 100, fee: 0.00075))
        let context = market.context()
        let long = try PositionFigures(try market.position("BTCUSD", size: "10000", entry: "6400", leverage: 25), in: context)
        #expect(abs(long.closeFee - 0.001_218_75) < 1e-15)
        #expect(abs(long.initial - (0.0625 + 0.001_218_75)) < 1e-15)
        let short = try PositionFigures(try market.position("BTCUSD", size: "-10000", entry: "6400", leverage: 25), in: context)
        #expect(abs(short.closeFee - 0.001_125) < 1e-15)
    }

    /// BYB-1 with the fee: long 1 BTC at 20,000, 50x, MMR 0.5 % on entry, taker 0.055 %. Fee F = 20,000 × 0.98 × 0.00055
    /// = 10.78. With Bybit's position margin W = IM + F = 410.78, the bankruptcy price is where W + (X − 20,000) = F:
    /// 19,600 = 20,000 × (1 − 1/50), and the liquidation price where W + (X − 20,000) = 100 + F: 19,700, BYB-1's LP (the
    /// fee is on both sides). Both come from the closed forms.
    @Test("isolated BYB-1 with a fee at the bankruptcy price: BP 19,600 = P0(1 − 1/lev), LP still 19,700")
    func isolatedBybit() throws {
        var market = TestMarket()
        try market.asset("USDT", decimals: 6, price: 1)
        try market.asset("BTC", price: 20_000)
        try market.perpetual("BTCUSDT", underlying: "BTC", quote: "USDT", mark: 20_000,
                             schedule: try schedule(maintenance: 0.005, maxLeverage: 100, basis: .entry, fee: 0.00055))
        let position = try market.position("BTCUSDT", size: "1", entry: "20000", leverage: 50,
                                           mode: .isolated(margin: try market.units("410.78", of: "USDT")))
        let account = try market.account(balances: [], positions: [position])
        let (liquidation, bankruptcy) = try LiquidationPriceSolver.prices(account: account, slot: 0, context: market.context())
        #expect(liquidation.closedForm && bankruptcy.closedForm)
        #expect(abs(try require(liquidation.price) - 19_700) < 1e-7)
        #expect(abs(try require(bankruptcy.price) - 19_600) < 1e-7)
    }

    // The random check of the isolated closed forms is CloseFeeTests.isolatedClosedForms(feeBasis: .bankruptcy).

    /// The cross bankruptcy search subtracts the constant fee: 10,000 USDT, long 2 BTC at 50,000, 10x, fee 0.075 % at the
    /// bankruptcy price: F = 100,000 × 0.9 × 0.00075 = 67.5; 10,000 + 2·(X − 50,000) = 67.5 → X = 45,033.75. The
    /// liquidation price with MMR 0.5 % on the mark: 10,000 + 2·(X − 50,000) = 2·X·0.005 + 67.5 → X = 90,067.5/1.99.
    @Test("cross: the fee is a constant in the liquidation and bankruptcy searches (by hand)")
    func crossSearch() throws {
        let (account, context) = try twoBitcoinLongCross(schedule: try schedule(maintenance: 0.005, maxLeverage: 20, fee: 0.00075))
        let figures = try PositionFigures(account.positions[0], in: context)
        #expect(abs(figures.closeFee - 67.5) < 1e-9)
        let (liquidation, bankruptcy) = try LiquidationPriceSolver.prices(account: account, slot: 0, context: context)
        #expect(abs(try require(liquidation.price) - 90_067.5 / 1.99) < 1e-6)
        #expect(abs(try require(bankruptcy.price) - 45_033.75) < 1e-6)
    }

    /// A leverage of 1 leaves nothing to lose for a linear long or an inverse short: the bankruptcy price is 0 (or
    /// infinite), so the fee is 0; the other side pays twice the entry value's fee.
    @Test("leverage 1: no fee where the bankruptcy price is 0 or infinite, twice it on the other side")
    func leverageOne() throws {
        let fees = try schedule(maintenance: 0.005, maxLeverage: 100, fee: 0.001)
        let long = try linearFigures(size: "1", entry: "10000", mark: 10_000, leverage: 1, schedule: fees)
        let short = try linearFigures(size: "-1", entry: "10000", mark: 10_000, leverage: 1, schedule: fees)
        #expect(long.closeFee == 0)
        #expect(abs(short.closeFee - 20) < 1e-9)
    }
}
