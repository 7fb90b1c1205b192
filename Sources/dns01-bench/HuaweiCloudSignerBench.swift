import ArgumentParser
import Foundation
import HuaweiCloudProvider
import ProviderKit

/// SDK-HMAC-SHA256 signatures per second: this project's signer next to the official Python SDK's
/// (huaweicloudsdkcore's `Signer.sign`), on the same CreateRecordSet request, measured in the
/// same run.
struct HuaweiCloudSignerBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "huaweicloud-signer", abstract: "Huawei Cloud SDK-HMAC-SHA256: signatures per second, Swift vs the official Python SDK.")

    @Option(help: "Signatures per round.") var signatures = 50_000
    @Option(help: "Rounds (the median is reported).") var rounds = 7
    @Option(help: "Python interpreter with huaweicloudsdkcore installed (empty: skip).") var python = "python3"

    static let body = #"{"name":"_acme-challenge.www.example.com.","type":"TXT","ttl":300,"records":["\"LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM\""]}"#
    static let path = "/v2/zones/ff80808277ac1d2b0177d9f3a3e5b9b6/recordsets"

    func run() throws {
        let signer = SDKHMACSigner(accessKey: "HWAKEXAMPLE", secretKey: "testsecret")
        let request = APIRequest(
            method: "POST", url: "https://dns.cn-north-4.myhuaweicloud.com\(Self.path)",
            headers: [
                .init("Content-Type", "application/json"), .init("Host", "dns.cn-north-4.myhuaweicloud.com"), .init("User-Agent", "dns01-webhook"),
            ], body: Array(Self.body.utf8))
        var sink = 0
        let samples = measure(rounds: rounds) {
            for index in 0..<signatures {
                sink &+= signer.sign(request, sdkDate: SDKDate.string(fromEpochSeconds: 1_700_000_000 + Int64(index))).signature.utf8.count
            }
        }
        // A new signer for every signature: the HMAC key set up every time, as the SDK does.
        let freshSamples = measure(rounds: rounds) {
            for index in 0..<signatures {
                sink &+= SDKHMACSigner(accessKey: "HWAKEXAMPLE", secretKey: "testsecret").sign(request, sdkDate: SDKDate.string(fromEpochSeconds: 1_700_000_000 + Int64(index))).signature.utf8.count
            }
        }
        precondition(sink > 0)
        let swiftRate = Double(signatures) / median(samples).seconds
        print("signer                              signatures/s (median of \(rounds))")
        print("\("dns01-webhook SDKHMACSigner".padded(36))\(Int(swiftRate))")
        print("\("  (new signer, key set up each time)".padded(36))\(Int(Double(signatures) / median(freshSamples).seconds))")
        let script = """
            import statistics, time
            from datetime import datetime, timezone
            from huaweicloudsdkcore.auth.credentials import BasicCredentials
            from huaweicloudsdkcore.sdk_request import SdkRequest
            from huaweicloudsdkcore.signer.signer import Signer
            body = r\'\'\'\(Self.body)\'\'\'.encode("utf-8")
            signer = Signer(BasicCredentials("HWAKEXAMPLE", "testsecret"))
            n = \(signatures / 10 + 1)
            samples = []
            for _ in range(\(rounds)):
                start = time.perf_counter()
                for i in range(n):
                    date = datetime.fromtimestamp(1700000000 + i, tz=timezone.utc).strftime("%Y%m%dT%H%M%SZ")
                    request = SdkRequest(method="POST", schema="https", host="dns.cn-north-4.myhuaweicloud.com",
                                         resource_path="\(Self.path)", query_params=[],
                                         header_params={"Content-Type": "application/json", "Host": "dns.cn-north-4.myhuaweicloud.com",
                                                        "User-Agent": "dns01-webhook", "X-Sdk-Date": date}, body=body)
                    signer.sign(request)
                samples.append(time.perf_counter() - start)
            print(n / statistics.median(samples))
            """
        guard !python.isEmpty, let pythonRate = try pythonRate(python: python, script: script, requirements: "Tests/Peers/requirements-more.txt") else { return }
        print("\("huaweicloudsdkcore".padded(36))\(Int(pythonRate))")
        print("ratio Swift / Python: \(format2(swiftRate / pythonRate))x")
    }
}
