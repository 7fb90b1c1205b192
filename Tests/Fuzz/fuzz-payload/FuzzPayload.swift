// libFuzzer target: a ChallengePayload request body, as the webhook receives it from the
// kube-apiserver (Tests/Fuzz/README.md). Built by scripts/fuzz (-DFUZZING) it runs libFuzzer;
// otherwise it replays the inputs named on its command line.
import FuzzSupport
import NIOCore
import ChallengeAPI

/// One input: any bytes must decode or throw a PayloadError, never crash or hang.
func fuzzOne(_ input: UnsafeRawBufferPointer) {
    _ = try? ChallengePayload.decode(ByteBuffer(bytes: input))
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
        FuzzReplay.main("fuzz-payload", fuzzOne)
        #endif
    }
}
