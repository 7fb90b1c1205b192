"""Test helpers shared by the provider emulator tests (start, stop, admin calls).

Peers are started the way the Swift tests start them: ``--port 0``, a pipe as
stdin (closing it stops the peer), the port read from the single JSON line on
stdout.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

HERE = Path(__file__).resolve().parent


class Running:
    """An emulator subprocess plus a tiny raw HTTP client for it."""

    def __init__(self, proc: subprocess.Popen, port: int):
        self.proc = proc
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.base = f"http://127.0.0.1:{port}"

    def http(self, method: str, path: str, body: Optional[bytes] = None,
             headers: Optional[Dict[str, str]] = None) -> Tuple[int, Dict[str, str], bytes]:
        req = urllib.request.Request(self.base + path, data=body, method=method)
        for key, value in (headers or {}).items():
            req.add_header(key, value)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, dict(resp.headers.items()), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers.items()), err.read()

    def admin(self, method: str, route: str, payload: Optional[Dict[str, Any]] = None) -> Any:
        body = json.dumps(payload).encode() if payload is not None else (b"" if method == "POST" else None)
        status, _, data = self.http(method, "/__admin/" + route, body, {"Content-Type": "application/json"})
        assert status == 200, data
        return json.loads(data)

    def state(self, log: bool = True) -> Dict[str, Any]:
        return self.admin("GET", "state" if log else "state?log=0")

    def faults(self, **plan: Any) -> None:
        self.admin("POST", "faults", plan)

    def reset(self) -> None:
        self.admin("POST", "reset")


def start(script: str, tmp_path: Optional[Path] = None, config: Optional[Dict[str, Any]] = None,
          *args: str) -> Running:
    """Starts ``Tests/Peers/<script>``; ``config`` (written under ``tmp_path``) replaces its default."""
    cmd = [sys.executable, str(HERE / script), "--port", "0", *args]
    if config is not None:
        assert tmp_path is not None, "a config needs a tmp_path to be written to"
        cfg = tmp_path / f"config-{uuid.uuid4().hex[:8]}.json"
        cfg.write_text(json.dumps(config))
        cmd += ["--config", str(cfg)]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line:
        proc.wait(timeout=10)
        raise AssertionError(f"{script} printed nothing; stderr: {proc.stderr.read()}")
    info = json.loads(line)
    assert set(info) == {"port", "host"} and info["host"] == "127.0.0.1", info
    return Running(proc, int(info["port"]))


def stop(running: Running, how: str = "sigterm") -> int:
    """Stops the peer by ``sigterm``, ``sigint`` or ``stdin`` (closing its pipe); any
    other ``how`` just waits for it.  Returns the exit status."""
    if how == "sigterm":
        running.proc.send_signal(signal.SIGTERM)
    elif how == "sigint":
        running.proc.send_signal(signal.SIGINT)
    elif how == "stdin":
        running.proc.stdin.close()
    code = running.proc.wait(timeout=10)
    for stream in (running.proc.stdin, running.proc.stdout, running.proc.stderr):
        if stream and not stream.closed:
            stream.close()
    return code


def check_process_rules(script: str) -> None:
    """The emulator prints only the port line and exits 0 on SIGTERM, SIGINT and stdin EOF."""
    for how in ("sigterm", "sigint", "stdin"):
        running = start(script)
        status, _, _ = running.http("GET", "/__admin/state")
        assert status == 200
        assert stop(running, how) == 0, how
    extra = start(script)
    try:
        extra.proc.send_signal(signal.SIGTERM)
        assert extra.proc.wait(timeout=10) == 0
        assert extra.proc.stdout.read() == ""  # nothing after the port line
    finally:
        stop(extra, "none")
