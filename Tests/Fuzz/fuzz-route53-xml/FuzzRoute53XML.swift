// libFuzzer target: a Route53 or STS response body, read by the provider's XML reader and every
// response reader on top of it (Tests/Fuzz/README.md). Built by scripts/fuzz (-DFUZZING) it runs
// libFuzzer; otherwise it replays the inputs named on its command line.
import FuzzSupport
import Route53Provider

/// One input: the bytes of a response body. Any of them must read or fail, never crash or hang.
func fuzzOne(_ input: UnsafeRawBufferPointer) {
    Route53XML.readAsEveryResponse(Array(input))
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
        FuzzReplay.main("fuzz-route53-xml", fuzzOne)
        #endif
    }
}
