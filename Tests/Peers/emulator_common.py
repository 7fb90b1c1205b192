"""Shared plumbing for the built-in provider emulators (Cloudflare, DigitalOcean,
ACME-DNS, Akamai Edge DNS): the HTTP server loop, the stdin/signal shutdown
rules, the fault plan, the request log and the admin endpoints.

Only the Python standard library is used so every emulator starts fast.

House rules implemented here (same as the other peers under Tests/Peers):

* ``--port 0`` picks a free port, ``--host`` must be a loopback address,
  ``--config F`` loads a JSON config, ``--verbose`` logs each request to
  stderr.  Nothing but one JSON line ``{"port": N, "host": "127.0.0.1"}`` is
  ever written to stdout, and it is flushed at once.
* The process exits 0 on SIGTERM or SIGINT, and on EOF of stdin when stdin is
  a pipe or a socket (so a peer started by a test dies with the test that held
  the pipe; ``--no-stdin-watch`` turns that off).  With stdin from /dev/null
  or a terminal it is not watched.

Admin endpoints (unauthenticated, JSON in and out, not part of any real API):

* ``GET  /__admin/state[?log=0]``: the emulator's records plus ``faults``,
  ``requests`` (the request log) and ``counts`` / ``statusCounts`` (API calls
  per action, and per action and HTTP status).
* ``POST /__admin/faults``: replace the fault plan (see :class:`FaultPlan`).
  ``GET /__admin/faults`` shows what is left of it.
* ``POST /__admin/reset``: records back to the config's seeds, faults, rate
  limit windows, clock and request log cleared.
* ``POST /__admin/seed``: add records directly (shape per emulator).
* ``POST /__admin/clock``: ``{"offsetSeconds": N}`` shifts the emulator's
  clock, ``{"now": epochSeconds}`` freezes it, ``{}`` restores it.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import signal
import stat
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple
from urllib.parse import parse_qsl, urlsplit

REQUEST_LOG_LIMIT = 5000

Response = Tuple[int, Dict[str, str], bytes]


def json_response(status: int, obj: Any, headers: Optional[Dict[str, str]] = None,
                  content_type: str = "application/json") -> Response:
    out = {"Content-Type": content_type}
    out.update(headers or {})
    return status, out, json.dumps(obj).encode("utf-8")


class Clock:
    """Wall clock with an adjustable offset, or frozen at a fixed instant."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.frozen: Optional[float] = None

    def now(self) -> float:
        return self.frozen if self.frozen is not None else time.time() + self.offset

    def to_json(self) -> Dict[str, Any]:
        return {"now": self.now(), "offsetSeconds": self.offset, "frozen": self.frozen is not None}

    def set_from_admin(self, data: Dict[str, Any]) -> None:
        if "now" in data and data["now"] is not None:
            self.frozen = float(data["now"])
        else:
            self.frozen = None
            self.offset = float(data.get("offsetSeconds", 0))


@dataclass
class Fault:
    """One injected failure: what the emulator answers instead of the API."""

    kind: str  # "throttle" | "error5xx" | "error"
    status: int
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class FaultPlan:
    """Faults for the next matching API calls (``POST /__admin/faults``).

    Body fields (all optional)::

        {"throttle": N,          # next N matching calls get the provider's real 429
         "retryAfterSeconds": S, # the wait the throttle advertises (default 1)
         "error5xx": N,          # then N calls get a 5xx in the provider's shape
         "error5xxStatus": 503,
         "errors": [{"status": 403, ...provider specific...}],  # then these, in order
         "delayMs": 200, "delayCount": 1,   # delay matching calls (count, or all)
         "actions": ["dns_records.create"], # only these actions (default: all)
         "methods": ["POST"]}               # only these HTTP methods (default: all)

    Faults hit only calls that passed authentication (like a real throttle,
    which counts a caller it knows), except in acme-dns which has no
    pre-authentication stage worth separating.
    """

    throttle: int = 0
    retry_after: float = 1.0
    error5xx: int = 0
    error5xx_status: int = 503
    errors: List[Dict[str, Any]] = field(default_factory=list)
    delay_ms: int = 0
    delay_count: Optional[int] = None
    actions: Optional[List[str]] = None
    methods: Optional[List[str]] = None

    @classmethod
    def from_json(cls, body: Dict[str, Any]) -> "FaultPlan":
        return cls(
            throttle=int(body.get("throttle", 0)),
            retry_after=float(body.get("retryAfterSeconds", 1)),
            error5xx=int(body.get("error5xx", 0)),
            error5xx_status=int(body.get("error5xxStatus", 503)),
            errors=[dict(e) for e in body.get("errors", [])],
            delay_ms=int(body.get("delayMs", 0)),
            delay_count=(int(body["delayCount"]) if body.get("delayCount") is not None else None),
            actions=(list(body["actions"]) if body.get("actions") else None),
            methods=([m.upper() for m in body["methods"]] if body.get("methods") else None),
        )

    def to_json(self) -> Dict[str, Any]:
        return {"throttle": self.throttle, "retryAfterSeconds": self.retry_after,
                "error5xx": self.error5xx, "error5xxStatus": self.error5xx_status,
                "errors": self.errors, "delayMs": self.delay_ms, "delayCount": self.delay_count,
                "actions": self.actions, "methods": self.methods}

    def matches(self, action: str, method: str) -> bool:
        if self.actions is not None and action not in self.actions:
            return False
        if self.methods is not None and method.upper() not in self.methods:
            return False
        return True

    def take(self, action: str, method: str) -> Tuple[float, Optional[Fault]]:
        """Consume the plan for one call: (delay seconds, fault or None)."""
        if not self.matches(action, method):
            return 0.0, None
        delay = 0.0
        if self.delay_ms > 0 and (self.delay_count is None or self.delay_count > 0):
            delay = self.delay_ms / 1000.0
            if self.delay_count is not None:
                self.delay_count -= 1
        if self.throttle > 0:
            self.throttle -= 1
            return delay, Fault("throttle", 429, {"retryAfter": self.retry_after})
        if self.error5xx > 0:
            self.error5xx -= 1
            return delay, Fault("error5xx", self.error5xx_status)
        if self.errors:
            entry = self.errors.pop(0)
            return delay, Fault("error", int(entry.get("status", 400)), entry)
        return delay, None


class SlidingWindowLimiter:
    """Counts calls per key in fixed windows, for real (non-injected) rate limits."""

    def __init__(self, limits: Iterable[Tuple[int, float]]):
        self.limits = [(int(n), float(w)) for n, w in limits if n and w]
        self.calls: Dict[str, List[float]] = {}

    def reset(self) -> None:
        self.calls.clear()

    def window_state(self, key: str, window: float, now: float) -> Tuple[int, float]:
        """(calls counted in the last ``window`` seconds, when the oldest of them expires)."""
        in_window = [t for t in self.calls.get(key, []) if t > now - window]
        return len(in_window), (in_window[0] + window) if in_window else now + window

    def check(self, key: str, now: float) -> Tuple[bool, int, int, float]:
        """Record a call; returns (allowed, limit, remaining, reset_epoch) for the
        tightest limit.  A refused call is not counted."""
        if not self.limits:
            return True, 0, 0, now
        history = self.calls.setdefault(key, [])
        longest = max(w for _, w in self.limits)
        while history and history[0] <= now - longest:
            history.pop(0)
        answers = []
        for limit, window in self.limits:
            in_window = [t for t in history if t > now - window]
            reset = (in_window[0] + window) if in_window else (now + window)
            answers.append((len(in_window) < limit, limit, limit - len(in_window), reset))
        refused = [a for a in answers if not a[0]]
        if refused:
            allowed, limit, _, reset = max(refused, key=lambda a: a[3])
            return False, limit, 0, reset
        history.append(now)
        allowed, limit, left, reset = min(answers, key=lambda a: a[2])
        return True, limit, left - 1, reset


class EmulatorBase:
    """Transport-independent core: subclasses implement :meth:`api` and the
    provider-specific fault answers; this class does admin, log and faults."""

    name = "emulator"

    def __init__(self, config: Dict[str, Any]) -> None:
        self.lock = threading.RLock()
        self.config = copy.deepcopy(config)
        self.clock = Clock()
        self.faults = FaultPlan()
        self.request_log: List[Dict[str, Any]] = []
        self.request_seq = 0
        self.counts: Dict[str, int] = {}
        self.status_counts: Dict[str, Dict[str, int]] = {}
        self.port = 0
        self.reset_state()

    # -- to override --------------------------------------------------------

    def reset_state(self) -> None:
        """Records back to the config's seeds."""

    def api(self, req: "Request") -> Response:  # pragma: no cover - abstract
        raise NotImplementedError

    def fault_response(self, req: "Request", fault: Fault) -> Response:  # pragma: no cover
        raise NotImplementedError

    def admin_seed(self, data: Dict[str, Any]) -> Any:
        raise ValueError("this emulator has no seed endpoint")

    def admin_records(self) -> Dict[str, Any]:
        return {}

    def admin_extra(self, method: str, route: str, data: Dict[str, Any]) -> Optional[Response]:
        return None

    # -- shared machinery ----------------------------------------------------

    def apply_faults(self, req: "Request", action: str) -> Optional[Response]:
        """Called by subclasses after authentication succeeded."""
        req.action = action
        with self.lock:
            delay, fault = self.faults.take(action, req.method)
        if delay:
            time.sleep(delay)
        if fault is None:
            if delay:
                req.fault = "delay"
            return None
        req.fault = fault.kind
        return self.fault_response(req, fault)

    def handle(self, method: str, raw_path: str, headers: Dict[str, str], body: bytes,
               client_ip: str) -> Response:
        parts = urlsplit(raw_path)
        if parts.path.startswith("/__admin/") or parts.path == "/__admin":
            return self._admin(method, parts.path, parts.query, body)
        req = Request(method=method.upper(), raw_path=raw_path, path=parts.path, query=parts.query,
                      headers=headers, body=body, client_ip=client_ip)
        try:
            status, out_headers, payload = self.api(req)
        except Exception as err:  # an emulator bug: answer 500 and log it
            sys.stderr.write(f"{self.name}: internal error: {err!r}\n")
            import traceback
            traceback.print_exc(file=sys.stderr)
            status, out_headers, payload = 500, {"Content-Type": "text/plain"}, b"emulator bug\n"
            req.outcome = "emulator-bug"
        self._log(req, status)
        return status, out_headers, payload

    def _log(self, req: "Request", status: int) -> None:
        with self.lock:
            self.request_seq += 1
            action = req.action or "unknown"
            self.counts[action] = self.counts.get(action, 0) + 1
            per = self.status_counts.setdefault(action, {})
            per[str(status)] = per.get(str(status), 0) + 1
            entry = {"seq": self.request_seq, "time": round(self.clock.now(), 3), "method": req.method,
                     "path": req.path, "query": req.query, "action": action, "status": status,
                     "outcome": req.outcome, "fault": req.fault, "principal": req.principal}
            if req.note:
                entry["note"] = req.note
            self.request_log.append(entry)
            if len(self.request_log) > REQUEST_LOG_LIMIT:
                del self.request_log[: len(self.request_log) - REQUEST_LOG_LIMIT]

    def _admin(self, method: str, path: str, query: str, body: bytes) -> Response:
        try:
            data = json.loads(body.decode("utf-8")) if body.strip() else {}
        except (ValueError, UnicodeDecodeError) as err:
            return json_response(400, {"error": f"body is not JSON: {err}"})
        route = path.rstrip("/")
        try:
            with self.lock:
                if (method, route) == ("GET", "/__admin/state"):
                    include_log = dict(parse_qsl(query)).get("log", "1") != "0"
                    state = self.admin_records()
                    state.update({"faults": self.faults.to_json(), "clock": self.clock.to_json(),
                                  "counts": dict(self.counts),
                                  "statusCounts": copy.deepcopy(self.status_counts)})
                    if include_log:
                        state["requests"] = list(self.request_log)
                    return json_response(200, state)
                if (method, route) == ("POST", "/__admin/faults"):
                    self.faults = FaultPlan.from_json(data)
                    return json_response(200, {"faults": self.faults.to_json()})
                if (method, route) == ("GET", "/__admin/faults"):
                    return json_response(200, {"faults": self.faults.to_json()})
                if (method, route) == ("POST", "/__admin/reset"):
                    self.faults = FaultPlan()
                    self.request_log = []
                    self.request_seq = 0
                    self.counts = {}
                    self.status_counts = {}
                    self.clock = Clock()
                    self.reset_state()
                    return json_response(200, {"ok": True})
                if (method, route) == ("POST", "/__admin/seed"):
                    return json_response(200, {"seeded": self.admin_seed(data)})
                if (method, route) == ("POST", "/__admin/clock"):
                    self.clock.set_from_admin(data)
                    return json_response(200, {"clock": self.clock.to_json()})
                extra = self.admin_extra(method, route, data)
                if extra is not None:
                    return extra
        except (ValueError, KeyError, TypeError) as err:
            return json_response(400, {"error": f"{type(err).__name__}: {err}"})
        return json_response(404, {"error": f"no admin route {method} {path}"})


@dataclass
class Request:
    method: str
    raw_path: str
    path: str
    query: str
    headers: Dict[str, str]  # lower-case names
    body: bytes
    client_ip: str
    action: Optional[str] = None
    outcome: Optional[str] = None
    fault: Optional[str] = None
    principal: Optional[str] = None
    note: Optional[str] = None

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name.lower())

    def params(self) -> List[Tuple[str, str]]:
        return parse_qsl(self.query, keep_blank_values=True)


def make_handler(emulator: EmulatorBase, verbose: bool):
    class Handler(BaseHTTPRequestHandler):
        server_version = f"{emulator.name}/1"
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            headers: Dict[str, str] = {}
            for key, value in self.headers.items():
                lower = key.lower()
                # Repeated headers are joined like Go's Header.Get would see the first;
                # keep the first one, which is what the real servers' frameworks read.
                headers.setdefault(lower, value)
            status, out_headers, payload = emulator.handle(self.command, self.path, headers, body,
                                                           self.client_address[0])
            self.send_response(status)
            for key, value in out_headers.items():
                self.send_header(key, value)
            if status not in (204, 304) and not (100 <= status < 200):
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD" and status not in (204, 304):
                self.wfile.write(payload)

        do_GET = _serve
        do_POST = _serve
        do_PUT = _serve
        do_PATCH = _serve
        do_DELETE = _serve
        do_HEAD = _serve
        do_OPTIONS = _serve

        def log_message(self, fmt: str, *args: Any) -> None:
            if verbose:
                sys.stderr.write(f"{emulator.name}: " + (fmt % args) + "\n")

    return Handler


def load_config(path: Optional[str], default: Dict[str, Any]) -> Dict[str, Any]:
    if not path:
        return copy.deepcopy(default)
    with open(path, "r", encoding="utf-8") as handle:
        return json.load(handle)


def main(argv: Optional[Iterable[str]], description: str, default_config: Dict[str, Any],
         factory: Callable[[Dict[str, Any]], EmulatorBase]) -> int:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--port", type=int, default=0, help="TCP port (0: pick a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--config", help="JSON config file (default: the built-in test config)")
    parser.add_argument("--verbose", action="store_true", help="log each HTTP request to stderr")
    parser.add_argument("--no-stdin-watch", action="store_true",
                        help="do not exit when stdin (a pipe or socket) reaches EOF")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.host != "localhost" and not args.host.startswith("127."):
        parser.error("the emulator is a test peer: bind it to a loopback address only")
    emulator = factory(load_config(args.config, default_config))
    server = ThreadingHTTPServer((args.host, args.port), make_handler(emulator, args.verbose))
    server.daemon_threads = True
    emulator.port = server.server_address[1]
    stopping = threading.Event()

    def stop(*_: Any) -> None:
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        mode = os.fstat(0).st_mode
    except OSError:
        mode = 0
    if not args.no_stdin_watch and (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        def watch_stdin() -> None:
            try:
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            stop()
        threading.Thread(target=watch_stdin, daemon=True).start()
    sys.stdout.write(json.dumps({"port": emulator.port, "host": args.host}) + "\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0
