import DNS01

/// Counts provider requests for the current challenge's scope (`ProviderCallScope`).
public enum ProviderRequests {
    /// Runs `request` (one try of something that is not an HTTP request: a DNS UPDATE, a
    /// program) and reports it to the current scope's recorder under `operation`: `success`
    /// when it returns, `error` when it throws. Outside a scope, or before the dispatcher routed
    /// the challenge, it only runs `request`.
    public static func measure<T: Sendable>(_ operation: String, _ request: () async throws -> T) async throws -> T {
        guard let (recorder, provider) = recording() else { return try await request() }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let value = try await request()
            recorder.providerRequest(provider: provider, operation: operation, outcome: .success, duration: clock.now - start)
            return value
        } catch {
            if !(error is CancellationError) {
                recorder.providerRequest(provider: provider, operation: operation, outcome: .error, duration: clock.now - start)
            }
            throw error
        }
    }

    /// Sends one HTTP request through `transport` and reports it under `operation`, with the
    /// outcome `judge` gives the answer (by default: 2xx `success`, 429 `throttled`, anything
    /// else `error`); a failure to get an answer is an `error`.
    public static func send(
        _ request: APIRequest,
        through transport: any HTTPTransport,
        timeout: Duration,
        operation: String,
        judge: (APIResponse) -> ProviderRequestOutcome = { ProviderRequestOutcome(status: $0.status) }
    ) async throws -> APIResponse {
        guard let (recorder, provider) = recording() else { return try await transport.send(request, timeout: timeout) }
        let clock = ContinuousClock()
        let start = clock.now
        let response: APIResponse
        do {
            response = try await transport.send(request, timeout: timeout)
        } catch {
            if !(error is CancellationError) {
                recorder.providerRequest(provider: provider, operation: operation, outcome: .error, duration: clock.now - start)
            }
            throw error
        }
        recorder.providerRequest(provider: provider, operation: operation, outcome: judge(response), duration: clock.now - start)
        return response
    }

    private static func recording() -> (any ProviderRequestRecorder, String)? {
        guard let scope = ProviderCallScope.current, let recorder = scope.recorder, let provider = scope.provider else { return nil }
        return (recorder, provider)
    }
}

extension ProviderRequestOutcome {
    /// 2xx `success`, 429 `throttled`, anything else `error`.
    public init(status: Int) {
        self = (200..<300).contains(status) ? .success : status == 429 ? .throttled : .error
    }
}

extension ProviderRequests {
    /// The operation label of a REST request: its method and path, with every segment that
    /// names an instance (a zone, a record, an id: anything with a digit, a dot, an `@`, a
    /// percent-escape, or longer than 32 characters, except an API version such as `v2` or
    /// `1.0`) replaced by `{}`, so the label has few values: `GET /v4/zones/{}/dns_records`.
    /// The query is left out.
    public static func restOperation(method: String, path: String) -> String {
        let pathOnly = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let segments = pathOnly.split(separator: "/", omittingEmptySubsequences: false).map { segment -> Substring in
            if isVersion(segment) { return segment }
            let names = segment.contains { $0.isNumber || $0 == "." || $0 == "@" || $0 == "%" || $0 == ":" } || segment.count > 32
            return names ? "{}" : segment
        }
        let template = segments.joined(separator: "/")
        return "\(method) \(template.isEmpty ? "/" : template)"
    }

    /// `v1`, `v2`, `1.0`: an API version, not an instance.
    private static func isVersion(_ segment: Substring) -> Bool {
        if segment.count <= 3, segment.first == "v", segment.count > 1, segment.dropFirst().allSatisfy(\.isNumber) { return true }
        let parts = segment.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isNumber) }
    }
}
