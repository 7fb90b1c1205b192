import AliDNSProvider
import DNS01
import MemoryProvider
import Route53Provider

extension ProviderRegistry {
    /// Every provider plugin shipped in the binary. Adding a provider is one line here.
    public static func builtIn() -> ProviderRegistry {
        var registry = ProviderRegistry()
        registry.register(MemoryProviderPlugin())
        registry.register(AliDNSProviderPlugin())
        registry.register(Route53ProviderPlugin())
        return registry
    }
}
