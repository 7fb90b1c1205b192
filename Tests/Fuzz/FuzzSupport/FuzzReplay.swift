import Foundation

/// What a fuzz target is when built without `-DFUZZING`: a replayer that runs every input named
/// on its command line (a file, or every file under a directory) once through the target's
/// entry point and exits 0, so a corpus doubles as a regression test. A crash or a trap in the
/// entry point ends the process with a signal, which is the failure. `-v` names each input
/// before running it, to find the one that crashes.
public enum FuzzReplay {
    public static func main(_ name: String, _ body: (UnsafeRawBufferPointer) -> Void) -> Never {
        var paths = Array(CommandLine.arguments.dropFirst())
        let verbose = paths.first == "-v"
        if verbose { paths.removeFirst() }
        guard !paths.isEmpty, !paths.contains(where: { $0.hasPrefix("-") }) else {
            fail("usage: \(name) [-v] FILE_OR_DIR...  (runs each input once; built with -DFUZZING it is a libFuzzer target)", status: 2)
        }
        let started = ContinuousClock.now
        var count = 0
        var total = 0
        var slowest: (path: String, time: Duration) = ("", .zero)
        for path in paths {
            for file in inputs(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else { fail("\(name): cannot read \(file)") }
                if verbose { print(file) }
                let start = ContinuousClock.now
                data.withUnsafeBytes(body)
                let time = ContinuousClock.now - start
                if time > slowest.time { slowest = (file, time) }
                count += 1
                total += data.count
            }
        }
        guard count > 0 else { fail("\(name): no inputs under \(paths.joined(separator: " "))") }
        print("\(name): replayed \(count) inputs (\(total) bytes) in \(seconds(ContinuousClock.now - started)), slowest \(seconds(slowest.time)) (\(slowest.path))")
        exit(0)
    }

    /// `path` itself, or the regular files under it in name order (hidden files skipped).
    private static func inputs(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { fail("no such file or directory: \(path)") }
        guard isDirectory.boolValue else { return [path] }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { fail("cannot list \(path)") }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let file = (path as NSString).appendingPathComponent(relative)
            var isSubdirectory: ObjCBool = false
            let hidden = relative.split(separator: "/").contains { $0.hasPrefix(".") }
            if !hidden, FileManager.default.fileExists(atPath: file, isDirectory: &isSubdirectory), !isSubdirectory.boolValue {
                files.append(file)
            }
        }
        return files.sorted()
    }

    private static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        return String(format: "%.3fs", Double(whole) + Double(attoseconds) / 1e18)
    }

    private static func fail(_ message: String, status: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(status)
    }
}
