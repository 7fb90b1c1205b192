#!/usr/bin/env python3
"""Shared plumbing for the DNS provider emulators (stdlib only).

Each emulator (dnspod_emulator.py, huaweicloud_emulator.py, hetzner_emulator.py,
ovh_emulator.py, gandi_emulator.py) subclasses :class:`BaseEmulator` and adds
the provider's API; this module gives them the same process contract and the
same ``/__admin`` API:

* ``--port 0 --host 127.0.0.1 --config F --verbose --no-stdin-watch``; on start
  exactly one JSON line ``{"port": N, "host": "127.0.0.1"}`` on stdout; exit 0
  on SIGTERM/SIGINT and on EOF of stdin when stdin is a pipe or socket (a test
  that dies closes the pipe and takes the peer with it; /dev/null and terminals
  are never watched).  Per-request logs go to stderr only with --verbose.
* ``GET /__admin/state[?log=0]`` -> ``{"records", "faults", "clock",
  "counts", "okCounts", "requests", ...}`` (never secrets).
* ``POST /__admin/faults`` -> replace the fault plan (see :class:`FaultPlan`).
* ``POST /__admin/reset`` -> records back to the configured seeds, faults,
  clock, counts and log cleared.
* ``POST /__admin/seed`` -> provider-specific foreign records.
* ``POST /__admin/clock`` -> ``{"now": epoch-or-ISO}`` freezes,
  ``{"offsetSeconds": N}`` shifts, ``{}`` restores the wall clock.

Nothing here is provider specific except through the hooks the subclasses
implement (``api``, ``throttle_error``, ``server_error``, ``injected_error``,
``state_records``, ``seed``, ``reset_records``).
"""

from __future__ import annotations

import argparse
import calendar
import copy
import json
import os
import signal
import stat
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple
from urllib.parse import parse_qsl, urlsplit

REQUEST_LOG_LIMIT = 5000


def iso8601(epoch: float, millis: bool = False) -> str:
    base = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch))
    if millis:
        base += ".%03d" % int((epoch % 1) * 1000)
    return base + "Z"


def parse_time(value: Any) -> float:
    """Epoch seconds from a number or ``YYYY-MM-DDTHH:MM:SS[.fff]Z``."""
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    try:
        return float(text)
    except ValueError:
        pass
    if text.endswith("Z"):
        text = text[:-1]
    frac = 0.0
    if "." in text:
        text, _, rest = text.partition(".")
        frac = float("0." + rest) if rest.isdigit() else 0.0
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%S")) + frac


class Clock:
    """Wall clock with an adjustable offset, or frozen at a fixed instant."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.frozen: Optional[float] = None

    def now(self) -> float:
        return self.frozen if self.frozen is not None else time.time() + self.offset

    def to_json(self) -> Dict[str, Any]:
        return {"now": iso8601(self.now()), "epoch": int(self.now()), "offsetSeconds": self.offset,
                "frozen": self.frozen is not None}


@dataclass
class FaultPlan:
    """Faults for the next matching API calls (calls that passed authentication).

    JSON (``POST /__admin/faults``)::

        {"throttle": N, "error5xx": N, "errors": [{"status": 400, "code": "...", "message": "..."}],
         "delayMs": 200, "delayCount": 1, "actions": ["CreateRecord"], "error5xxStatus": 503}

    Matching calls get, in order: ``throttle`` of the provider's real
    throttling answer, then ``error5xx`` server errors, then the ``errors``
    list (each rendered in the provider's error shape).  ``delayMs`` delays
    matching calls (``delayCount`` of them, or all).  ``actions`` restricts the
    plan to those action names (the names used in ``counts``); absent = all.
    """

    throttle: int = 0
    error5xx: int = 0
    error5xx_status: Optional[int] = None
    errors: List[Dict[str, Any]] = field(default_factory=list)
    delay_ms: int = 0
    delay_count: Optional[int] = None
    actions: Optional[List[str]] = None

    @classmethod
    def from_json(cls, body: Dict[str, Any]) -> "FaultPlan":
        plan = cls(
            throttle=int(body.get("throttle", 0)),
            error5xx=int(body.get("error5xx", 0)),
            error5xx_status=(int(body["error5xxStatus"]) if body.get("error5xxStatus") is not None else None),
            errors=[dict(e) for e in body.get("errors", [])],
            delay_ms=int(body.get("delayMs", 0)),
            delay_count=(int(body["delayCount"]) if body.get("delayCount") is not None else None),
            actions=(list(body["actions"]) if body.get("actions") else None),
        )
        for entry in plan.errors:
            if "code" not in entry:
                raise ValueError("each entry of errors needs a code")
        return plan

    def to_json(self) -> Dict[str, Any]:
        return {"throttle": self.throttle, "error5xx": self.error5xx, "error5xxStatus": self.error5xx_status,
                "errors": self.errors, "delayMs": self.delay_ms, "delayCount": self.delay_count,
                "actions": self.actions}

    def take(self, action: str) -> Tuple[float, Optional[str], Optional[Dict[str, Any]]]:
        """Consume the plan for one call: (delay seconds, fault kind, error entry)."""
        if self.actions is not None and action not in self.actions:
            return 0.0, None, None
        delay = 0.0
        if self.delay_ms > 0 and (self.delay_count is None or self.delay_count > 0):
            delay = self.delay_ms / 1000.0
            if self.delay_count is not None:
                self.delay_count -= 1
        if self.throttle > 0:
            self.throttle -= 1
            return delay, "throttle", None
        if self.error5xx > 0:
            self.error5xx -= 1
            return delay, "error5xx", None
        if self.errors:
            return delay, "error", self.errors.pop(0)
        return delay, ("delay" if delay else None), None


class Request:
    """One parsed HTTP request, plus what the emulator learned about it."""

    def __init__(self, method: str, target: str, headers: Dict[str, str], body: bytes):
        self.method = method.upper()
        self.target = target
        parts = urlsplit(target)
        self.path = parts.path or "/"
        self.raw_query = parts.query
        self.query = parse_qsl(parts.query, keep_blank_values=True)
        self.headers = headers  # lower-case names
        self.body = body
        self.action: Optional[str] = None
        self.principal: Optional[str] = None
        self.outcome: str = "OK"
        self.fault: Optional[str] = None
        self.note: Dict[str, Any] = {}

    def q(self, name: str, default: Optional[str] = None) -> Optional[str]:
        for key, value in self.query:
            if key == name:
                return value
        return default

    def q_all(self, name: str) -> List[str]:
        return [v for k, v in self.query if k == name]

    def header(self, name: str, default: Optional[str] = None) -> Optional[str]:
        return self.headers.get(name.lower(), default)

    def json(self) -> Any:
        if not self.body.strip():
            return None
        return json.loads(self.body.decode("utf-8"))


class Response:
    def __init__(self, status: int, body: Any = None, headers: Optional[Dict[str, str]] = None,
                 content_type: str = "application/json", raw: Optional[bytes] = None):
        self.status = status
        self.headers = dict(headers or {})
        if raw is not None:
            self.body = raw
        elif body is None:
            self.body = b""
        else:
            self.body = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if self.body or raw is not None:
            self.headers.setdefault("Content-Type", content_type)


class ApiFailure(Exception):
    """Raised by emulator code to answer with a ready-made provider error."""

    def __init__(self, response: Response, outcome: str):
        super().__init__(outcome)
        self.response = response
        self.outcome = outcome


class BaseEmulator:
    """Transport-independent core: ``handle()`` takes a parsed request."""

    name = "emulator"
    default_config: Dict[str, Any] = {}

    def __init__(self, config: Optional[Dict[str, Any]] = None) -> None:
        self.lock = threading.RLock()
        self.config = copy.deepcopy(config if config is not None else self.default_config)
        self.clock = Clock()
        self.faults = FaultPlan()
        self.request_log: List[Dict[str, Any]] = []
        self.counts: Dict[str, int] = {}
        self.ok_counts: Dict[str, int] = {}
        self.seq = 0
        self.configure()
        self.reset_records()

    # -- hooks ------------------------------------------------------------
    def configure(self) -> None:
        """Read self.config (accounts, keys, zones)."""

    def reset_records(self) -> None:
        """(Re)build the record state from the config."""

    def api(self, req: Request) -> Response:
        raise NotImplementedError

    def throttle_error(self, req: Request) -> Response:
        raise NotImplementedError

    def server_error(self, req: Request, status: Optional[int]) -> Response:
        raise NotImplementedError

    def injected_error(self, req: Request, entry: Dict[str, Any]) -> Response:
        raise NotImplementedError

    def state_records(self) -> Any:
        return []

    def state_extra(self) -> Dict[str, Any]:
        return {}

    def seed(self, data: Dict[str, Any]) -> Any:
        raise ValueError("seeding is not supported by this emulator")

    def on_reset(self) -> None:
        """Extra state to clear on /__admin/reset (issued credentials...)."""

    # -- shared helpers -----------------------------------------------------
    def fault_point(self, req: Request) -> None:
        """Call once a request is authenticated and its action known."""
        with self.lock:
            delay, kind, entry = self.faults.take(req.action or "")
        if delay:
            time.sleep(delay)
        if kind in (None, "delay"):
            if kind:
                req.fault = kind
            return
        req.fault = kind
        req.outcome = str((entry or {}).get("code") or kind)  # hooks may name the provider's code
        if kind == "throttle":
            resp = self.throttle_error(req)
        elif kind == "error5xx":
            resp = self.server_error(req, self.faults.error5xx_status)
        else:
            resp = self.injected_error(req, entry or {})
        raise ApiFailure(resp, req.outcome)

    def handle(self, method: str, target: str, headers: Dict[str, str], body: bytes) -> Response:
        req = Request(method, target, headers, body)
        if req.path.startswith("/__admin/") or req.path == "/__admin":
            return self.admin(req)
        try:
            resp = self.api(req)
        except ApiFailure as failure:
            resp = failure.response
            req.outcome = failure.outcome
        except Exception as err:  # an emulator bug: say so loudly, in no provider's shape
            sys.stderr.write(f"{self.name}: internal error on {method} {req.path}: {err!r}\n")
            import traceback
            traceback.print_exc(file=sys.stderr)
            resp = Response(500, {"emulatorInternalError": repr(err)})
            req.outcome = "EmulatorInternalError"
        self._log_request(req, resp)
        return resp

    def _log_request(self, req: Request, resp: Response) -> None:
        with self.lock:
            self.seq += 1
            action = req.action or f"{req.method} {req.path}"
            self.counts[action] = self.counts.get(action, 0) + 1
            if resp.status < 400 and req.outcome == "OK":
                self.ok_counts[action] = self.ok_counts.get(action, 0) + 1
            entry = {"seq": self.seq, "time": iso8601(time.time(), millis=True), "method": req.method,
                     "path": req.path, "action": action, "status": resp.status, "outcome": req.outcome,
                     "principal": req.principal}
            if req.fault:
                entry["fault"] = req.fault
            if req.note:
                entry.update(req.note)
            self.request_log.append(entry)
            if len(self.request_log) > REQUEST_LOG_LIMIT:
                del self.request_log[: len(self.request_log) - REQUEST_LOG_LIMIT]

    # -- admin --------------------------------------------------------------
    def admin(self, req: Request) -> Response:
        try:
            data = req.json() or {}
        except (ValueError, UnicodeDecodeError) as err:
            return Response(400, {"error": f"body is not JSON: {err}"})
        route = (req.method, req.path.rstrip("/"))
        try:
            with self.lock:
                if route == ("GET", "/__admin/state"):
                    state = {"emulator": self.name, "records": self.state_records(),
                             "faults": self.faults.to_json(), "clock": self.clock.to_json(),
                             "counts": dict(self.counts), "okCounts": dict(self.ok_counts)}
                    state.update(self.state_extra())
                    if req.q("log", "1") != "0":
                        state["requests"] = list(self.request_log)
                    return Response(200, state)
                if route == ("POST", "/__admin/faults"):
                    self.faults = FaultPlan.from_json(data)
                    return Response(200, {"faults": self.faults.to_json()})
                if route == ("GET", "/__admin/faults"):
                    return Response(200, {"faults": self.faults.to_json()})
                if route == ("POST", "/__admin/reset"):
                    self.faults = FaultPlan()
                    self.clock = Clock()
                    self.request_log = []
                    self.counts = {}
                    self.ok_counts = {}
                    self.reset_records()
                    self.on_reset()
                    return Response(200, {"ok": True})
                if route == ("POST", "/__admin/seed"):
                    return Response(200, {"seeded": self.seed(data)})
                if route == ("POST", "/__admin/clock"):
                    if "now" in data:
                        self.clock.frozen = parse_time(data["now"])
                    else:
                        self.clock.frozen = None
                        self.clock.offset = float(data.get("offsetSeconds", 0))
                    return Response(200, {"clock": self.clock.to_json()})
                extra = self.admin_extra(req, data)
                if extra is not None:
                    return extra
        except (ValueError, KeyError, TypeError) as err:
            return Response(400, {"error": str(err)})
        return Response(404, {"error": f"no admin route {req.method} {req.path}"})

    def admin_extra(self, req: Request, data: Dict[str, Any]) -> Optional[Response]:
        return None


# ---------------------------------------------------------------------------
# HTTP transport and process contract
# ---------------------------------------------------------------------------


def make_handler(emulator: BaseEmulator, verbose: bool):
    class Handler(BaseHTTPRequestHandler):
        server_version = f"{emulator.name}/1"
        protocol_version = "HTTP/1.1"

        def _read_body(self) -> bytes:
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                chunks = []
                while True:
                    size_line = self.rfile.readline()
                    size = int(size_line.split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        break
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                return b"".join(chunks)
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length > 0 else b""

        def _serve(self) -> None:
            body = self._read_body()
            headers: Dict[str, str] = {}
            for key, value in self.headers.items():
                lk = key.lower()
                headers[lk] = value if lk not in headers else headers[lk] + "," + value
            resp = emulator.handle(self.command, self.path, headers, body)
            self.send_response(resp.status)
            for key, value in resp.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(resp.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(resp.body)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

        def log_message(self, fmt: str, *args: Any) -> None:
            if verbose:
                sys.stderr.write(f"{emulator.name}: " + (fmt % args) + "\n")

    return Handler


def load_config(path: Optional[str], default: Dict[str, Any]) -> Dict[str, Any]:
    if not path:
        return copy.deepcopy(default)
    with open(path, "r", encoding="utf-8") as handle:
        return json.load(handle)


def stop_on_signal_or_stdin_close(stop: Callable[..., None], watch_stdin: bool) -> None:
    """Calls ``stop`` on SIGTERM/SIGINT and, when stdin is a pipe or socket (the test that
    started the emulator), once it closes: an emulator never outlives its test."""
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        mode = os.fstat(0).st_mode
    except OSError:
        mode = 0
    if watch_stdin and (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        def watch() -> None:
            try:
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            stop()
        threading.Thread(target=watch, daemon=True).start()


def run(factory: Callable[[Dict[str, Any]], BaseEmulator], default_config: Dict[str, Any],
        description: str, argv: Optional[Iterable[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--port", type=int, default=0, help="TCP port (0: pick a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--config", help="JSON config file (default: the built-in test config)")
    parser.add_argument("--verbose", action="store_true", help="log each HTTP request to stderr")
    parser.add_argument("--no-stdin-watch", action="store_true", help="do not exit when stdin reaches EOF")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.host != "localhost" and not args.host.startswith("127."):
        parser.error("the emulator is a test peer: bind it to a loopback address only")
    emulator = factory(load_config(args.config, default_config))
    server = ThreadingHTTPServer((args.host, args.port), make_handler(emulator, args.verbose))
    server.daemon_threads = True

    stopping = threading.Event()

    def stop(*_: Any) -> None:
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    stop_on_signal_or_stdin_close(stop, watch_stdin=not args.no_stdin_watch)
    sys.stdout.write(json.dumps({"port": server.server_address[1], "host": args.host}) + "\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


def request_id() -> str:
    return str(uuid.uuid4())
