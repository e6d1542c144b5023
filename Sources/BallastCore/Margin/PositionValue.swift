/// A position's value at one snapshot, in its settlement asset: what it adds to equity and its unrealised PnL.
/// This needs prices only, no margin parameters, so standard and portfolio margin share it.
///
/// Linear: value = q·m·P, UPnL = value − cost. Inverse: UPnL = cost − q·m/P (coin). Option: value = q·m·mark,
/// UPnL = value − cost. The contribution to equity is UPnL for futures and the (weighted) value less the cost for
/// options; its exact part (cost basis, and q·m·P when the mark is an exact decimal) is an integer at 10^-18.
public struct PositionValue: Sendable, Hashable {
    /// Signed size in contracts.
    public var contracts: Double
    /// Signed value at the mark in the settlement asset: q·m·P (linear), q·m/P coin (inverse), q·m·mark (option).
    public var signedValue: Double
    /// The exact part of the contribution to the settlement asset's equity, at 10^-18.
    public var exactEquity: Int128
    /// The rest of the contribution (inverse coin value, a moved mark, a weighted long option value).
    public var markValue: Double
    /// Unrealised PnL.
    public var unrealisedPnL: Double
    /// Unrealised PnL exactly at 10^-18 when the mark is an exact decimal and the form is product; `nil` otherwise.
    public var exactUnrealisedPnL: Int128?

    /// The value of `position` in `context`, with a long option's value counted at `longOptionWeight`.
    /// - Throws: ``MarginError`` if the instrument has no usable price.
    public init(_ position: borrowing Position, in context: borrowing RiskContext, longOptionWeight: Double = 1) throws(MarginError) {
        let id = position.instrument
        guard context.instruments[id.index].isUsable, !(context.instruments[id.index].form == .spot) else {
            throw context.problem(of: id) ?? .spotPosition(instrument: context.catalog[instrument: id].symbol)
        }
        let risk = context.instruments[id.index]
        self.init(PositionMath.value(size: position.size, cost: position.cost, risk: risk, longOptionWeight: longOptionWeight),
                  cost: position.cost, form: risk.form)
    }

    init(_ parts: PositionMath.Value, cost: Int128, form: InstrumentRisk.Form) {
        contracts = parts.contracts
        signedValue = parts.signedValue
        exactEquity = parts.exactEquity
        markValue = parts.markValue
        unrealisedPnL = parts.unrealisedPnL(cost: cost, form: form)
        exactUnrealisedPnL = parts.hasExactValue ? parts.exactValue &- cost : nil
    }
}
