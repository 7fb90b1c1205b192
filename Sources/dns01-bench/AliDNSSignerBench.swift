import AliDNSProvider
import ArgumentParser
import Foundation

/// RPC signature V1 signatures per second: this project's signer next to the official Python
/// SDK's (aliyun-python-sdk-core's string-to-sign builder and HMAC-SHA1), on the same
/// AddDomainRecord request, measured in the same run.
struct AliDNSSignerBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "alidns-signer", abstract: "AliDNS RPC signature V1: signatures per second, Swift vs the official Python SDK.")

    @Option(help: "Signatures per round.") var signatures = 50_000
    @Option(help: "Rounds (the median is reported).") var rounds = 7
    @Option(help: "Python interpreter with aliyun-python-sdk-core installed (empty: skip).") var python = "python3"

    static let parameters = [
        RPCParameter("Action", "AddDomainRecord"), RPCParameter("DomainName", "example.com"),
        RPCParameter("Format", "JSON"), RPCParameter("RR", "_acme-challenge.www"), RPCParameter("TTL", "600"),
        RPCParameter("Type", "TXT"), RPCParameter("Value", "LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM"),
        RPCParameter("Version", "2015-01-09"),
    ]

    func run() throws {
        let signer = RPCSignatureV1(accessKeyId: "LTAI5tExampleExample", accessKeySecret: "testsecret", securityToken: nil)
        var sink = 0
        let samples = measure(rounds: rounds) {
            for index in 0..<signatures {
                sink &+= signer.sign(method: "POST", parameters: Self.parameters, nonce: "nonce-\(index)", timestamp: "2016-02-23T12:46:24Z").signature.utf8.count
            }
        }
        precondition(sink > 0)
        let swiftRate = Double(signatures) / median(samples).seconds
        print("signer                              signatures/s (median of \(rounds))")
        print("\("dns01-webhook RPCSignatureV1".padded(36))\(Int(swiftRate))")
        guard !python.isEmpty, let pythonRate = try pythonRate() else { return }
        print("\("aliyun-python-sdk-core".padded(36))\(Int(pythonRate))")
        print("ratio Swift / Python: \(format2(swiftRate / pythonRate))x")
    }

    /// The same request signed by the SDK in-process, timed by Python itself.
    private func pythonRate() throws -> Double? {
        let script = """
            import statistics, time
            from aliyunsdkcore.auth.algorithm import sha_hmac1
            from aliyunsdkcore.auth.composer import rpc_signature_composer as c
            compose = getattr(c, "__compose_string_to_sign")
            base = {\(Self.parameters.map { "\"\($0.name)\": \"\($0.value)\"" }.joined(separator: ", ")),
                    "AccessKeyId": "LTAI5tExampleExample", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
                    "Timestamp": "2016-02-23T12:46:24Z"}
            n = \(signatures / 10 + 1)
            samples = []
            for _ in range(\(rounds)):
                start = time.perf_counter()
                for i in range(n):
                    p = dict(base); p["SignatureNonce"] = "nonce-%d" % i
                    sha_hmac1.get_sign_string(compose("POST", p), "testsecret&")
                samples.append(time.perf_counter() - start)
            print(n / statistics.median(samples))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", script]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            print("(Python SDK not measured: \(python) exited with \(process.terminationStatus); install Tests/Peers/requirements-alidns.txt)")
            return nil
        }
        return Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
