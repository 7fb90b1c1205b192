import Foundation
import TestSupport

/// A lego-style hook script in a temporary directory. It keeps TXT records in `records`
/// (one `fqdn value` line each), logs what it was given, and misbehaves on request:
/// `fail` in MODE exits 3 after printing (including `$API_TOKEN`), `hang` starts a child
/// that sleeps and waits for it.
struct ExecScript {
    let directory: String
    var path: String { "\(directory)/hook.sh" }
    var records: String { "\(directory)/records" }
    var ranMarker: String { "\(directory)/ran" }

    init() throws {
        directory = try makeTemporaryDirectory("exec")
        try """
        #!/bin/sh
        set -eu
        dir=\(directory)
        touch "$dir/ran"
        printf '%s\\n' "$@" > "$dir/args"
        cat > "$dir/stdin"
        env | grep '^DNS01_' | sort > "$dir/env"
        case "${MODE:-ok}" in
          fail) echo "updating $2"; echo "API said: token $API_TOKEN is not valid" >&2; exit 3 ;;
          hang) sleep 30 & echo $! > "$dir/child"; wait ;;
          noisy) i=0; while [ $i -lt 3000 ]; do echo "line $i of noise"; i=$((i+1)); done; echo "the real error"; exit 1 ;;
        esac
        touch "$dir/records"
        grep -vxF "$2 $3" "$dir/records" > "$dir/records.new" || true
        if [ "$1" = present ]; then echo "$2 $3" >> "$dir/records.new"; fi
        mv "$dir/records.new" "$dir/records"
        echo "done $1"
        """.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    func read(_ name: String) -> String {
        (try? String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8)) ?? ""
    }

    var recordLines: [String] { read("records").split(separator: "\n").map(String.init) }

    var hasRun: Bool { FileManager.default.fileExists(atPath: ranMarker) }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
