import DNS01
import Foundation

/// Where the shim (`acmesh-run.sh` and `acmesh-shim.sh`, from `shims/acmesh`) is installed.
///
/// In order: `DNS01_ACMESH_SHIM_DIR` in the webhook's environment; `../libexec/dns01-webhook/acmesh`
/// next to the binary (the acmesh image flavour); `/usr/libexec/dns01-webhook/acmesh`; and, for
/// a development checkout, `shims/acmesh` in a directory above the binary.
public enum ShimLocation {
    public static let runnerName = "acmesh-run.sh"
    public static let variable = "DNS01_ACMESH_SHIM_DIR"

    public static func find(environment: [String: String], executable: String? = currentExecutable()) throws(DNS01Error) -> String {
        var candidates: [String] = []
        if let explicit = environment[variable], !explicit.isEmpty {
            guard hasRunner(explicit) else {
                throw DNS01Error(.providerUnavailable, "acmesh: \(variable) is \(explicit), which holds no \(runnerName)")
            }
            return explicit
        }
        if let executable {
            let binDirectory = (executable as NSString).deletingLastPathComponent
            candidates.append((binDirectory as NSString).appendingPathComponent("../libexec/dns01-webhook/acmesh"))
            candidates.append("/usr/libexec/dns01-webhook/acmesh")
            var directory = binDirectory
            for _ in 0..<4 {
                directory = (directory as NSString).deletingLastPathComponent
                candidates.append((directory as NSString).appendingPathComponent("shims/acmesh"))
            }
        } else {
            candidates.append("/usr/libexec/dns01-webhook/acmesh")
        }
        guard let found = candidates.first(where: hasRunner) else {
            throw DNS01Error(
                .providerUnavailable,
                "acmesh: the acme.sh shim (\(runnerName)) is not installed in this image: use the acmesh image flavour (the chart's image.flavor: acmesh), or set \(variable) to the directory holding shims/acmesh")
        }
        return (found as NSString).standardizingPath
    }

    static func hasRunner(_ directory: String) -> Bool {
        FileManager.default.isReadableFile(atPath: (directory as NSString).appendingPathComponent(runnerName))
    }

    public static func currentExecutable() -> String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
    }
}
