/// How much of an asset's value counts as collateral: tiered haircuts on positive equity, a liability weight on
/// negative equity.
///
/// For equity `x ≥ 0` at index price `p`: **value = Σₖ clip(x − Lₖ, 0, Uₖ − Lₖ)·p·rₖ**, each slice at its own
/// ratio, with bounds in asset quantity (Bybit "collateral value ratio" tiers) or in valuation currency (OKX
/// discount-rate tiers, Binance PM Pro). For `x < 0`: **value = x·p·w**, `w ≥ 1` the liability weight (Binance
/// PM counts borrowing at 100 %). A schedule never values collateral above its raw value `x·p`.
public struct HaircutSchedule: Sendable, Hashable {
    /// The unit in which tier bounds are expressed.
    public enum TierBound: String, Sendable, Hashable, CaseIterable {
        /// Bounds in units of the asset (Bybit).
        case quantity
        /// Bounds in the valuation currency (OKX, Binance PM Pro).
        case value
    }

    /// A slice of collateral counted at one ratio.
    public struct Tier: Sendable, Hashable {
        /// Where the slice starts, in the bound unit.
        public var floor: Double
        /// The share of the slice's value that counts, in [0, 1].
        public var ratio: Double
    }

    /// The unit of the tier floors.
    public var bound: TierBound
    /// Slices, floors ascending from 0.
    public var tiers: [Tier]
    /// The weight applied to a negative equity (≥ 1).
    public var liabilityWeight: Double
    /// Provenance.
    public var info: ParameterSetInfo

    /// Creates a schedule.
    /// - Throws: ``ParameterError`` for floors not ascending from 0, ratios outside [0, 1], or a weight below 1.
    public init(bound: TierBound, floors: [Double], ratios: [Double], liabilityWeight: Double = 1, info: ParameterSetInfo = .inline) throws(ParameterError) {
        guard !floors.isEmpty, floors.count == ratios.count else {
            throw ParameterError(field: "tiers", value: "\(floors.count) floors, \(ratios.count) ratios", reason: "every tier needs a floor and a ratio")
        }
        guard floors[0] == 0 else { throw ParameterError(field: "tiers[0].floor", value: "\(floors[0])", reason: "the first tier must start at 0") }
        for k in floors.indices {
            guard floors[k].isFinite, k == 0 || floors[k] > floors[k - 1] else {
                throw ParameterError(field: "tiers[\(k)].floor", value: "\(floors[k])", reason: "floors must be finite and strictly ascending")
            }
            guard ratios[k].isFinite, ratios[k] >= 0, ratios[k] <= 1 else {
                throw ParameterError(field: "tiers[\(k)].ratio", value: "\(ratios[k])", reason: "must be in [0, 1]")
            }
        }
        guard liabilityWeight.isFinite, liabilityWeight >= 1 else {
            throw ParameterError(field: "liability_weight", value: "\(liabilityWeight)", reason: "must be ≥ 1")
        }
        self.bound = bound
        self.tiers = zip(floors, ratios).map { Tier(floor: $0, ratio: $1) }
        self.liabilityWeight = liabilityWeight
        self.info = info
    }

    /// Full value, no haircut, liabilities at 100 %.
    public static let fullValue = HaircutSchedule(uncheckedFloors: [0], ratios: [1], info: ParameterSetInfo(
        name: "full-value", version: "1", effective: Timestamp(millisecondsSinceEpoch: 0)))

    private init(uncheckedFloors: [Double], ratios: [Double], info: ParameterSetInfo) {
        bound = .quantity
        tiers = zip(uncheckedFloors, ratios).map { Tier(floor: $0, ratio: $1) }
        liabilityWeight = 1
        self.info = info
    }

    /// Whether every slice counts in full and liabilities at 100 %: then value = x·p exactly.
    public var isFullValue: Bool { liabilityWeight == 1 && tiers.allSatisfy { $0.ratio == 1 } }

    /// The collateral value of equity `quantity` at index price `price`, in the valuation currency.
    public func value(quantity: Double, price: Double) -> Double {
        if quantity < 0 { return quantity * price * liabilityWeight }
        if tiers.count == 1 { return quantity * price * tiers[0].ratio }
        var total = 0.0
        forEachSlice(quantity: quantity, price: price) { _, sliceValue, ratio in total += sliceValue * ratio }
        return total
    }

    /// Calls `body(tier, raw slice value, ratio)` for each non-empty slice of a positive equity.
    public func forEachSlice(quantity: Double, price: Double, _ body: (Int, Double, Double) -> Void) {
        let measure = bound == .quantity ? quantity : quantity * price
        for k in tiers.indices {
            let lower = tiers[k].floor
            guard measure > lower else { break }
            let upper = k + 1 < tiers.count ? tiers[k + 1].floor : Double.infinity
            let slice = min(measure, upper) - lower
            body(k, bound == .quantity ? slice * price : slice, tiers[k].ratio)
        }
    }
}
