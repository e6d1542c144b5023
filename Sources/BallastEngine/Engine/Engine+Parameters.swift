import BallastCore

extension Engine {
    /// The highest accepted parameter version, pending or in force.
    public var latestParameterVersion: Int { pendingParameters.last?.version ?? parameterVersion }

    /// The parameters of the highest accepted version: the base a new parameter document is read over.
    public var latestParameters: RiskParameters { pendingParameters.last?.parameters ?? parameters }

    mutating func changeParameters(_ change: ParameterChange, time: Timestamp, sequence: UInt64) throws(EventRejection) {
        guard change.version > latestParameterVersion else {
            throw EventRejection(.staleVersion, field: "version", value: "\(change.version)",
                                 message: "parameter version \(change.version) is not above the latest version \(latestParameterVersion)")
        }
        if let last = pendingParameters.last, change.effective < last.effective {
            throw EventRejection(.invalidField, field: "effective", value: "\(change.effective)",
                                 message: "version \(change.version) would take effect at \(change.effective), before version \(last.version) (\(last.effective))")
        }
        guard change.parameters.instrumentMargin.count == catalog.instruments.count,
              change.parameters.collateral.count == catalog.assets.count,
              change.parameters.optionMargin.count == catalog.assets.count else {
            throw EventRejection(.invalidField, field: "parameters", value: "", message: "the parameters are not sized for this engine's catalog")
        }
        if change.parameters.portfolio == nil, accounts.contains(where: { $0.model == .portfolio }) || groups.contains(where: { $0.model == .portfolio }) {
            throw EventRejection(.invalidField, field: "parameters.portfolio", value: "",
                                 message: "portfolio-margined accounts exist: the new parameters must define portfolio margin")
        }
        pendingParameters.append(change)
    }

    /// Puts into force every pending change whose effective time the last accepted event reached, then re-evaluates
    /// every unit under the new parameters.
    mutating func activateDueParameters(sequence: UInt64) {
        var activated = false
        while let first = pendingParameters.first, first.effective <= lastTime {
            pendingParameters.removeFirst()
            parameters = first.parameters
            // The event's version and effective time are authoritative: reports name the set in force by them.
            parameters.info.version = "\(first.version)"
            parameters.info.effective = first.effective
            parameterVersion = first.version
            parameterHistory.append(ParameterRecord(version: first.version, effective: first.effective, activatedAt: sequence, document: first.document))
            activated = true
        }
        guard activated else { return }
        rebuildContext()
        slopes = MaintenanceSlopes(context: context)
        prices = PriceVector(context)
        reevaluateAll(sequence: sequence)
    }
}
