import Hummingbird

/// The per-request context Hummingbird creates; the webhook keeps its own state in the
/// responder, so this carries only Hummingbird's core storage.
public struct WebhookRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }
}
