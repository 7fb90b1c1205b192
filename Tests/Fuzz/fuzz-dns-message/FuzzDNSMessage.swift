// libFuzzer target: a DNS message as a nameserver answers (the RFC 2136 provider and the
// propagation check read them), decoded, its TXT data read, re-encoded, and checked as a
// TSIG-signed answer (Tests/Fuzz/README.md). Built by scripts/fuzz (-DFUZZING) it runs libFuzzer;
// otherwise it replays the inputs named on its command line.
import DNSWire
import FuzzSupport

let signer = TSIGSigner(key: TSIGKey(name: "fuzz-key", algorithm: .hmacSHA256, secret: Array(repeating: 0x5A, count: 32)))

/// One input: the bytes of an answer. Any of them must decode or throw, never crash or hang.
func fuzzOne(_ input: UnsafeRawBufferPointer) {
    let bytes = Array(input)
    if let message = try? DNSMessage.decode(bytes) {
        for record in message.answers + message.authorities + message.additionals {
            _ = record.txtValue
        }
        _ = try? message.encoded()
    }
    _ = try? signer.verify(bytes, requestMAC: Array(repeating: 0xA5, count: 32), at: 1_700_000_000)
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
        FuzzReplay.main("fuzz-dns-message", fuzzOne)
        #endif
    }
}
