#if FUZZING
import CLibFuzzer
import Foundation

/// What a fuzz target's main is when built with `-DFUZZING` (scripts/fuzz): libFuzzer's driver,
/// with its usual command line, calling `body` once per input. libFuzzer is linked without its
/// own main (`libclang_rt.fuzzer_no_main`) because SwiftPM links every executable's main
/// under another name, which libFuzzer's main would collide with.
public enum FuzzDriver {
    public static func main(_ entry: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, entry))
    }
}
#endif
