import AliDNSProvider
import DNS01
import ExecProvider
import HTTPProvider
import MemoryProvider
import Route53Provider
import RFC2136Provider

extension ProviderRegistry {
    /// Every provider plugin shipped in the binary. Adding a provider is one line here.
    public static func builtIn() -> ProviderRegistry {
        var registry = ProviderRegistry()
        registry.register(MemoryProviderPlugin())
        registry.register(AliDNSProviderPlugin())
        registry.register(Route53ProviderPlugin())
        registry.register(ExecProviderPlugin())
        registry.register(HTTPProviderPlugin())
        registry.register(RFC2136ProviderPlugin())
        return registry
    }
}
