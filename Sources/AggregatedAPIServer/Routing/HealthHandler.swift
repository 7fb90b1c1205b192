import Foundation

/// `/healthz`, `/livez`, `/readyz` as the Kubernetes API server answers them: `ok`, or 500
/// with one `[+]`/`[-]` line per check (`?verbose` lists them on success too). A failing
/// check's reason is logged, not sent: these paths need no authentication.
struct HealthHandler: Sendable {
    let readiness: Readiness

    func respond(_ check: Endpoint.HealthCheck, only: String?, verbose: Bool) -> APIResponse {
        var results = [(name: String, failure: String?)]()
        results.append(("ping", nil))
        if check != .livez {
            results += readiness.checks(includingShutdown: check == .readyz)
        }
        if let only {
            guard let result = results.first(where: { $0.name == only }) else {
                return APIResponse.text("404 page not found\n", status: .notFound)
            }
            return result.failure == nil ? APIResponse.text("ok") : APIResponse.text("internal server error: \(only) check failed\n", status: .internalServerError)
        }
        let failed = results.contains { $0.failure != nil }
        guard failed || verbose else { return APIResponse.text("ok") }
        var body = ""
        for result in results {
            body += result.failure == nil ? "[+]\(result.name) ok\n" : "[-]\(result.name) failed: reason withheld\n"
        }
        body += failed ? "\(check.rawValue) check failed\n" : "\(check.rawValue) check passed\n"
        return APIResponse.text(body, status: failed ? .internalServerError : .ok)
    }
}
