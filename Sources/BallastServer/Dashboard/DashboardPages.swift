import BallastCore
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// The dashboard's pages, rendered on the server from Mustache templates over the API's own JSON documents; the
/// pages then update themselves over the WebSocket streams (`static/dashboard.js`).
struct DashboardPages: Sendable {
    private let library: MustacheLibrary

    /// Loads the bundled templates.
    /// - Throws: ``APIError`` if a template is missing or does not parse.
    init() throws {
        var library = MustacheLibrary()
        for name in ["layout-head", "layout-foot", "overview", "account"] {
            guard let text = ServerResources.text("templates/\(name).mustache") else {
                throw APIError(.internalServerError, code: "missing_resource", message: "template \(name) is not bundled")
            }
            do {
                try library.register(text, named: name)
            } catch {
                throw APIError(.internalServerError, code: "bad_template", message: "template \(name): \(error)")
            }
        }
        self.library = library
    }

    /// The overview: system totals, pools by state, the riskiest pools, live signals.
    func overview(system: Data, atRisk: Data) -> String {
        var context: [String: Any] = ["title": "Ballast — overview", "page": "overview"]
        let systemContext = TemplateValue.context(system)
        context["system"] = systemContext
        if let summary = systemContext["summary"] as? [String: Any], let units = summary["units"] as? [String: Any] {
            context["units"] = HealthState.allCases.map { ["state": $0.rawValue, "count": units[$0.rawValue] ?? "0"] as [String: Any] }
        }
        var atRiskContext = TemplateValue.context(atRisk)
        // Each pool's link names its account as one path segment (an id may hold a space, a slash, a `?`).
        if var entries = atRiskContext["entries"] as? [[String: Any]] {
            for e in entries.indices {
                if let account = entries[e]["account"] as? String { entries[e]["account_path"] = account.pathSegmentEncoded }
            }
            atRiskContext["entries"] = entries
        }
        context["at_risk"] = atRiskContext
        return library.render(context, withTemplate: "overview") ?? ""
    }

    /// One account: headline, positions with liquidation prices, collateral, margin breakdown, and for a portfolio
    /// account the scenario chart of its worst underlying.
    func account(id: String, status: Data, report: Data) -> String {
        var context: [String: Any] = ["title": "Ballast — \(id)", "page": "account", "account": id]
        context["status"] = TemplateValue.context(status)
        let reportContext = TemplateValue.context(report)
        context["report"] = reportContext
        if let chart = ScenarioChart(report: report) { context["chart"] = chart.context }
        return library.render(context, withTemplate: "account") ?? ""
    }

    /// The login page (also the body of a 401 to a browser): a form posting the key, which sets the session cookie.
    static func loginResponse(status: HTTPResponse.Status, next: String, message: String?) -> Response {
        let note = message.map { "<p class=\"error\">\(escape($0))</p>" } ?? ""
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ballast — sign in</title>
            <link rel="stylesheet" href="/static/dashboard.css"></head><body class="login">
            <main><h1>Ballast</h1><p>Sign in with an API key (<code>ballast keys create --admin</code>).</p>\(note)
            <form method="post" action="/login"><input type="hidden" name="next" value="\(escape(next))">
            <input type="password" name="key" placeholder="bk_…" autocomplete="off" autofocus required>
            <button type="submit">Sign in</button></form></main></body></html>
            """
        return ContentResponse.html(html, status: status).response
    }

    /// HTML-escapes text.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
