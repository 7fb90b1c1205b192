import AggregatedAPIServer
import AsyncHTTPClient
import Foundation
import NIOSSL
import ServerTestSupport
import Synchronization
import Testing
import TestSupport

/// Shared by the load workers.
private final class LoadState: Sendable {
    let stop = Atomic<Bool>(false)
    let failures = Mutex<[String]>([])
    let completed = Atomic<Int>(0)
}

@Suite("Serving certificate reload")
struct CertificateReloadTests {
    /// Replaces `destination` in one step, as a Secret volume update does.
    private func replace(_ destination: String, with source: String) throws {
        let staging = destination + ".new"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.copyItem(atPath: source, toPath: staging)
        _ = rename(staging, destination)
    }

    /// Copies serving certificate A to files the test may replace; returns them and A's serial.
    private func servingFilesA() throws -> (certificate: String, key: String, serial: [UInt8]) {
        let pki = TestPKI.shared
        let directory = try makeTemporaryDirectory("serving")
        let certificate = "\(directory)/tls.crt", key = "\(directory)/tls.key"
        try FileManager.default.copyItem(atPath: pki["servingACert"], toPath: certificate)
        try FileManager.default.copyItem(atPath: pki["servingAKey"], toPath: key)
        return (certificate, key, try NIOSSLCertificate.fromPEMFile(pki["servingACert"])[0].serialNumber)
    }

    @Test("certificate files replaced under load: new handshakes get the new certificate and no request fails")
    func reloadUnderLoad() async throws {
        let pki = TestPKI.shared
        let (certificate, key, serialA) = try servingFilesA()
        let serialB = try NIOSSLCertificate.fromPEMFile(pki["servingBCert"])[0].serialNumber
        #expect(serialA != serialB)

        var options = ServerOptions.flagsOnly
        options.certificateFile = certificate
        options.keyFile = key
        try await withWebhookServer(options) { server in
            #expect(try await servedCertificateSerial(port: server.port) == serialA)
            let load = LoadState()
            try await withThrowingTaskGroup(of: Void.self) { workers in
                for worker in 0..<6 {
                    workers.addTask {
                        // Even workers keep their connection alive; odd ones reconnect every time.
                        let headers = worker.isMultiple(of: 2) ? [] : [("Connection", "close")]
                        while !load.stop.load(ordering: .relaxed) {
                            do {
                                let answer = try await send(.POST, server.url + "/apis/acme.example.com/v1alpha1/memory", as: .alice, headers: headers, body: challengePayload(key: "w\(worker)"))
                                if answer.challengeSucceeded != true { load.failures.withLock { $0.append("worker \(worker): \(answer.status) \(answer.body)") } }
                            } catch {
                                load.failures.withLock { $0.append("worker \(worker): \(error)") }
                            }
                            load.completed.add(1, ordering: .relaxed)
                        }
                    }
                }
                let before = await eventually { load.completed.load(ordering: .relaxed) >= 30 }
                #expect(before)
                // The certificate first, then the key: for a moment they do not match, and the
                // server must keep serving the old pair until both are new.
                try replace(certificate, with: pki["servingBCert"])
                try await Task.sleep(for: .milliseconds(250))
                try replace(key, with: pki["servingBKey"])
                let switched = await eventually { (try? await servedCertificateSerial(port: server.port)) == serialB }
                #expect(switched)
                let countAtSwitch = load.completed.load(ordering: .relaxed)
                let after = await eventually { load.completed.load(ordering: .relaxed) >= countAtSwitch + 30 }
                #expect(after)
                load.stop.store(true, ordering: .relaxed)
                try await workers.waitForAll()
            }
            #expect(load.failures.withLock { $0 } == [])
            #expect(server.logs.text.contains("serving certificate reloaded"))
        }
    }

    @Test("a key that does not match the certificate is refused and the old pair keeps serving")
    func mismatchedPairKeepsServing() async throws {
        let pki = TestPKI.shared
        let (certificate, key, serialA) = try servingFilesA()
        var options = ServerOptions.flagsOnly
        options.certificateFile = certificate
        options.keyFile = key
        try await withWebhookServer(options) { server in
            try replace(key, with: pki["aliceKey"])
            let warned = await eventually { server.logs.text.contains("serving certificate not reloaded") }
            #expect(warned)
            #expect(try await servedCertificateSerial(port: server.port) == serialA)
            #expect(try await send(.GET, server.url + "/readyz").status == 200)
        }
    }

    @Test("a client CA file given by flag is re-read when it changes; an unusable one keeps the CAs in force")
    func clientCAFileReload() async throws {
        let pki = TestPKI.shared
        let caFile = try makeTemporaryDirectory("client-ca") + "/ca.crt"
        try FileManager.default.copyItem(atPath: pki["wrongCACert"], toPath: caFile)
        var options = ServerOptions()
        options.authentication = AuthenticationFlags(clientCAFile: caFile, skipLookup: true)
        try await withWebhookServer(options) { server in
            let discovery = server.url + "/apis/acme.example.com/v1alpha1"
            // alice's certificate is from the cluster CA, which the file does not hold yet.
            #expect(try await send(.GET, discovery, as: .alice).status == 401)

            try replace(caFile, with: pki["clusterCACert"])
            #expect(try await eventually(timeout: .seconds(10)) { try await send(.GET, discovery, as: .alice).status == 200 })

            let garbage = caFile + ".garbage"
            try "not a certificate\n".write(toFile: garbage, atomically: true, encoding: .utf8)
            try replace(caFile, with: garbage)
            #expect(await eventually(timeout: .seconds(10)) { server.logs.text.contains("a CA file given by flag cannot be used") })
            #expect(try await send(.GET, discovery, as: .alice).status == 200)
        }
    }
}
