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

    /// The value of `position` with a long option's value counted at `longOptionWeight`.
    /// - Throws: ``MarginError`` if the instrument has no usable price.
    public init(_ position: Position, _ risk: InstrumentRisk, longOptionWeight: Double = 1) throws(MarginError) {
        if let problem = risk.problem { throw problem }
        let contracts = Double(position.size) * risk.sizeUnit
        let cost = Double(position.cost) * 1e-18
        self.contracts = contracts
        var exactValue: Int128?
        if let perUnit = risk.exactValuePerSizeUnit {
            let (product, overflow) = perUnit.multipliedReportingOverflow(by: Int128(position.size))
            if !overflow { exactValue = product }
        }
        exactUnrealisedPnL = exactValue.map { $0 - position.cost }
        switch risk.form {
        case .linear:
            signedValue = contracts * risk.multiplier * risk.mark
            if let exactValue {
                exactEquity = exactValue - position.cost
                markValue = 0
                unrealisedPnL = Double(exactEquity) * 1e-18
            } else {
                exactEquity = -position.cost
                markValue = signedValue
                unrealisedPnL = signedValue - cost
            }
        case .inverse:
            signedValue = contracts * risk.multiplier / risk.mark
            exactEquity = position.cost
            markValue = -signedValue
            unrealisedPnL = cost - signedValue
        case .option:
            let value = contracts * risk.multiplier * risk.mark
            signedValue = value
            unrealisedPnL = exactUnrealisedPnL.map { Double($0) * 1e-18 } ?? value - cost
            let counted = contracts >= 0 ? longOptionWeight : 1
            if let exactValue, counted == 1 {
                exactEquity = exactValue - position.cost
                markValue = 0
            } else {
                exactEquity = -position.cost
                markValue = value * counted
            }
        case .spot:
            throw .spotPosition(instrument: "spot pair")
        }
    }
}
