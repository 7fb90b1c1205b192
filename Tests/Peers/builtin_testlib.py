"""Test helpers shared by the built-in provider emulator tests: start an
emulator as a subprocess (stdin is a pipe, as the Swift tests start peers, so
the emulator dies with the test), talk to its admin endpoints, stop it."""

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
    def __init__(self, proc: subprocess.Popen, port: int):
        self.proc = proc
        self.port = port
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
    cmd = [sys.executable, str(HERE / script), "--port", "0"]
    if config is not None:
        assert tmp_path is not None
        cfg = tmp_path / f"config-{uuid.uuid4().hex[:8]}.json"
        cfg.write_text(json.dumps(config))
        cmd += ["--config", str(cfg)]
    cmd += list(args)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line:
        proc.wait(timeout=5)
        raise AssertionError(f"{script} printed nothing; stderr: {proc.stderr.read()}")
    info = json.loads(line)
    assert info["host"] == "127.0.0.1" and set(info) == {"port", "host"}, info
    return Running(proc, int(info["port"]))


def stop(running: Running, how: str = "term") -> int:
    if how == "term":
        running.proc.send_signal(signal.SIGTERM)
    elif how == "int":
        running.proc.send_signal(signal.SIGINT)
    elif how == "eof":
        running.proc.stdin.close()
    code = running.proc.wait(timeout=5)
    for stream in (running.proc.stdin, running.proc.stdout, running.proc.stderr):
        if stream and not stream.closed:
            stream.close()
    return code


def check_process_rules(script: str) -> None:
    """The emulator prints only the port line and exits 0 on SIGTERM, SIGINT and stdin EOF."""
    for how in ("term", "int", "eof"):
        running = start(script)
        status, _, _ = running.http("GET", "/__admin/state")
        assert status == 200
        assert stop(running, how) == 0, how
    extra = start(script)
    try:
        extra.proc.send_signal(signal.SIGTERM)
        assert extra.proc.wait(timeout=5) == 0
        assert extra.proc.stdout.read() == ""  # nothing after the port line
    finally:
        stop(extra, "none")
