import Foundation

/// The certificates `Tests/Peers/pki.py` makes (CAs, front-proxy and client certificates,
/// two serving certificates), generated once per test process and shared read-only.
public struct TestPKI: Sendable {
    public let files: [String: String]

    public subscript(_ name: String) -> String {
        guard let path = files[name] else { fatalError("pki.py produced no \(name); it has: \(files.keys.sorted())") }
        return path
    }

    // Made once, blocking its first user (and any test that asks meanwhile) for the second
    // pki.py takes: cheaper than making every use of a certificate path `async`.
    public static let shared: TestPKI = {
        do {
            let directory = try makeTemporaryDirectory("webhook-pki")
            let result = try runCommandBlocking(python, ["Tests/Peers/pki.py", directory])
            guard result.status == 0, let data = result.stdout.data(using: .utf8),
                let files = try JSONSerialization.jsonObject(with: data) as? [String: String]
            else { fatalError("pki.py failed: \(result.stderr)") }
            return TestPKI(files: files)
        } catch {
            fatalError("pki.py could not run: \(error)")
        }
    }()
}
