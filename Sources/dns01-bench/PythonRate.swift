import Foundation

/// Runs a Python `script` that prints one number (signatures per second, timed by Python itself)
/// and returns it; `nil`, with a note, when the interpreter or the SDK it imports is missing.
func pythonRate(python: String, script: String, requirements: String) throws -> Double? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python, "-c", script]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        print("(Python SDK not measured: \(python) exited with \(process.terminationStatus); install \(requirements))")
        return nil
    }
    return Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
}
