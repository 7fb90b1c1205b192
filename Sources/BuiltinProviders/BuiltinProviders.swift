// `ProviderRegistry.builtIn()` is generated into this module at build time from Package.swift's
// `providers` list (Plugins/ProviderRegistryGenerator); this file only re-exports the SDK.
@_exported import DNS01
