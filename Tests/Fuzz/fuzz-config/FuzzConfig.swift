// libFuzzer target: an operator's config document (serve --config, the CLI's --config), from its
// text to a routing table, and the same document read as an Issuer's config (Tests/Fuzz/README.md).
// Built by scripts/fuzz (-DFUZZING) it runs libFuzzer; otherwise it replays the inputs named on its
// command line.
import BuiltinProviders
import ConfigLoading
import FuzzSupport

let registry = ProviderRegistry.builtIn()

/// One input: the bytes of a config file. Any of them must load or throw, never crash or hang.
func fuzzOne(_ input: UnsafeRawBufferPointer) {
    // ConfigDocument.load refuses a file that is not UTF-8 before it parses.
    guard let text = String(validating: input, as: UTF8.self),
          let document = try? ConfigDocument.parse(text, source: "fuzz"),
          let operatorConfig = try? IssuerPolicy.operatorPolicy(in: document)
    else { return }
    _ = try? RoutingTable.decode(operatorConfig.rest, registry: registry, source: .operatorConfig)
    _ = try? RoutingTable.decode(operatorConfig.rest, registry: registry, source: .issuerConfig(policy: operatorConfig.policy))
}

@main
enum FuzzTarget {
    static func main() {
        #if FUZZING
        FuzzDriver.main { data, size in
            fuzzOne(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
        #else
        FuzzReplay.main("fuzz-config", fuzzOne)
        #endif
    }
}
