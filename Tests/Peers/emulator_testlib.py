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

    def reset(self) -> None:
        self.admin("POST", "reset")


def start(script: str, tmp_path: Path, config: Optional[Dict[str, Any]] = None, *args: str) -> Running:
    cmd = [sys.executable, str(HERE / script), "--port", "0", *args]
    if config is not None:
        cfg = tmp_path / f"config-{uuid.uuid4().hex[:8]}.json"
        cfg.write_text(json.dumps(config))
        cmd += ["--config", str(cfg)]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line:
        raise AssertionError(f"{script} printed nothing; stderr: {proc.stderr.read()}")
    info = json.loads(line)
    assert set(info) == {"port", "host"} and info["host"] == "127.0.0.1", info
    return Running(proc, int(info["port"]))


def stop(running: Running, how: str = "sigterm") -> int:
    if how == "sigterm":
        running.proc.send_signal(signal.SIGTERM)
    elif how == "stdin":
        running.proc.stdin.close()
    code = running.proc.wait(timeout=10)
    for stream in (running.proc.stdin, running.proc.stdout, running.proc.stderr):
        if stream and not stream.closed:
            stream.close()
    return code
