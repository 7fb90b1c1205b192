import ArgumentParser
import DNSPodProvider
import Foundation
import ProviderKit

/// TC3-HMAC-SHA256 signatures per second: this project's signer next to the official Python SDK's
/// (tencentcloud-sdk-python-common's `AbstractClient._get_tc3_signature`: canonical request,
/// string to sign, key chain and HMAC), on the same CreateRecord request, measured in the same run.
struct DNSPodSignerBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dnspod-signer", abstract: "DNSPod TC3-HMAC-SHA256: signatures per second, Swift vs the official Python SDK.")

    @Option(help: "Signatures per round.") var signatures = 50_000
    @Option(help: "Rounds (the median is reported).") var rounds = 7
    @Option(help: "Python interpreter with tencentcloud-sdk-python-common installed (empty: skip).") var python = "python3"

    static let body = #"{"Domain": "example.com", "DomainId": 70000001, "SubDomain": "_acme-challenge.www", "RecordType": "TXT", "RecordLine": "\u9ed8\u8ba4", "Value": "LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM", "TTL": 600}"#

    func run() throws {
        let signer = TC3Signer(secretId: "AKIDEXAMPLE", secretKey: "testsecret", service: "dnspod")
        let request = APIRequest(
            method: "POST", url: "https://dnspod.tencentcloudapi.com/",
            headers: [
                .init("Content-Type", "application/json"), .init("Host", "dnspod.tencentcloudapi.com"), .init("X-TC-Action", "CreateRecord"),
            ], body: Array(Self.body.utf8))
        var sink = 0
        let samples = measure(rounds: rounds) {
            for index in 0..<signatures {
                sink &+= signer.sign(request, timestamp: 1_700_000_000 + Int64(index)).signature.utf8.count
            }
        }
        // A new signer for every signature: the key chain derived every time, as the SDK does.
        let freshSamples = measure(rounds: rounds) {
            for index in 0..<signatures {
                sink &+= TC3Signer(secretId: "AKIDEXAMPLE", secretKey: "testsecret", service: "dnspod").sign(request, timestamp: 1_700_000_000 + Int64(index)).signature.utf8.count
            }
        }
        precondition(sink > 0)
        let swiftRate = Double(signatures) / median(samples).seconds
        print("signer                              signatures/s (median of \(rounds))")
        print("\("dns01-webhook TC3Signer".padded(36))\(Int(swiftRate))")
        print("\("  (new signer, key chain each time)".padded(36))\(Int(Double(signatures) / median(freshSamples).seconds))")
        let script = """
            import statistics, time
            from datetime import datetime, timezone
            from tencentcloud.common.abstract_client import AbstractClient
            from tencentcloud.common.http.request import RequestInternal
            body = r'''\(Self.body)'''
            n = \(signatures / 10 + 1)
            samples = []
            for _ in range(\(rounds)):
                start = time.perf_counter()
                for i in range(n):
                    ts = 1700000000 + i
                    req = RequestInternal("dnspod.tencentcloudapi.com", "POST", "/")
                    req.header["Content-Type"] = "application/json"
                    req.header["Host"] = "dnspod.tencentcloudapi.com"
                    req.header["X-TC-Timestamp"] = str(ts)
                    req.data = body
                    date = datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d")
                    AbstractClient._get_tc3_signature(None, {}, req, date, "dnspod", "testsecret")
                samples.append(time.perf_counter() - start)
            print(n / statistics.median(samples))
            """
        guard !python.isEmpty, let pythonRate = try pythonRate(python: python, script: script, requirements: "Tests/Peers/requirements-more.txt") else { return }
        print("\("tencentcloud-sdk-python-common".padded(36))\(Int(pythonRate))")
        print("ratio Swift / Python: \(format2(swiftRate / pythonRate))x")
    }
}
