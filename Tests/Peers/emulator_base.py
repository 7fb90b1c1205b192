#!/usr/bin/env python3
"""Shared plumbing for the DNS provider emulators (stdlib only).

Every emulator here (acmedns, akamai, azuredns, clouddns, cloudflare,
digitalocean, dnspod, gandi, hetzner, huaweicloud, ovh ``_emulator.py``)
subclasses :class:`BaseEmulator` and adds the provider's API; this module gives
them the same process contract and the same ``/__admin`` API:

* ``--port 0 --host 127.0.0.1 --config F --verbose --no-stdin-watch``; on start
  exactly one JSON line ``{"port": N, "host": "127.0.0.1"}`` on stdout; exit 0
  on SIGTERM/SIGINT and on EOF of stdin when stdin is a pipe or socket (a test
  that dies closes the pipe and takes the peer with it; /dev/null and terminals
  are never watched).  Per-request logs go to stderr only with --verbose.
  ``--host`` must be a loopback address.
* ``GET /__admin/state[?log=0]`` -> ``{"emulator", "records", "faults",
  "clock", "counts", "okCounts", "statusCounts", "requests", ...}`` plus the
  emulator's own keys (:meth:`BaseEmulator.state_extra`); never secrets.
  ``records`` is absent when the emulator's data is not one record list.
  ``counts``: API calls per action, whatever their outcome; ``okCounts``: the
  ones answered below 400 with outcome ``OK``; ``statusCounts``: per action and
  HTTP status.  Each ``requests`` entry is ``{seq, time, method, path, query,
  action, status, outcome, fault, principal}`` plus the emulator's notes.
* ``POST /__admin/faults`` -> replace the fault plan (see :class:`FaultPlan`);
  ``GET /__admin/faults`` shows what is left of it.
* ``POST /__admin/reset`` -> records back to the configured seeds; faults,
  clock, counts and log cleared (and whatever ``on_reset`` clears).
* ``POST /__admin/seed`` -> provider-specific foreign records.
* ``POST /__admin/clock`` -> ``{"now": epoch-or-ISO}`` freezes,
  ``{"offsetSeconds": N}`` shifts, ``{}`` restores the wall clock.

Nothing here is provider specific except through the hooks the subclasses
implement (``api``, ``fault_response`` or its default's ``throttle_error``,
``server_error`` and ``injected_error``, ``state_records``, ``state_extra``,
``seed``, ``reset_records``, ``on_reset``, ``admin_extra``).
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
from urllib.parse import parse_qsl, urlencode, urlsplit

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

    def set_from_admin(self, data: Dict[str, Any]) -> None:
        """``{"now": epoch-or-ISO}`` freezes; otherwise ``offsetSeconds`` (default 0) shifts."""
        if data.get("now") is not None:
            self.frozen = parse_time(data["now"])
        else:
            self.frozen = None
            self.offset = float(data.get("offsetSeconds", 0))


@dataclass
class Fault:
    """One injected failure, for :meth:`BaseEmulator.fault_response`.

    ``kind`` is ``throttle`` (``status`` 429, ``extra["retryAfter"]`` the plan's
    ``retryAfterSeconds``), ``error5xx`` (``status`` the plan's ``error5xxStatus``,
    None when the plan names none: each emulator has its own default) or ``error``
    (``extra`` the ``errors`` entry, ``status`` its ``status`` or 400)."""

    kind: str
    status: Optional[int]
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class FaultPlan:
    """Faults for the next matching API calls.

    JSON (``POST /__admin/faults``), all fields optional::

        {"throttle": N,          # next N matching calls get the provider's real throttling answer
         "retryAfterSeconds": S, # the wait a throttle advertises, where the emulator's answer names one (1)
         "error5xx": N,          # then N calls get a 5xx in the provider's shape
         "error5xxStatus": 503,  # (absent: the emulator's own default)
         "errors": [{"status": 400, "code": "...", "message": "..."}],  # then these, in order
         "delayMs": 200, "delayCount": 1,   # delay matching calls (delayCount of them, or all)
         "actions": ["CreateRecord"],       # only these actions (the names in counts; absent = all)
         "methods": ["POST"]}               # only these HTTP methods (absent = all)

    Faults hit only calls that passed authentication (like a real throttle, which
    counts a caller it knows), except where an emulator says otherwise (acme-dns).
    The fields an ``errors`` entry needs are the emulator's
    (:attr:`BaseEmulator.fault_error_fields`).
    """

    throttle: int = 0
    retry_after: float = 1.0
    error5xx: int = 0
    error5xx_status: Optional[int] = None
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
            error5xx_status=(int(body["error5xxStatus"]) if body.get("error5xxStatus") is not None else None),
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
    """Counts calls per key in sliding windows, for real (non-injected) rate limits."""

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


class Request:
    """One parsed HTTP request, plus what the emulator learned about it.

    ``target`` is the request target exactly as sent (path, params and query),
    ``query`` the decoded ``(name, value)`` pairs of ``raw_query``, ``headers``
    lower-case names (repeated field lines joined with ``,``).  The emulator fills
    ``action``, ``principal``, ``outcome`` (``OK`` or the provider's error code),
    ``fault`` and ``note`` (extra keys for the log entry) for the request log.
    """

    def __init__(self, method: str, target: str, headers: Dict[str, str], body: bytes,
                 client_ip: str = "127.0.0.1"):
        self.method = method.upper()
        self.target = target
        parts = urlsplit(target)
        self.path = parts.path or "/"
        self.raw_query = parts.query
        self.query = parse_qsl(parts.query, keep_blank_values=True)
        self.headers = headers  # lower-case names
        self.body = body
        self.client_ip = client_ip
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
    """An answer: ``body`` is JSON-encoded (non-ASCII kept) unless ``raw`` bytes are
    given; ``Content-Type`` is added only when there is a body or ``raw``."""

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


def json_response(status: int, obj: Any, headers: Optional[Dict[str, str]] = None,
                  content_type: str = "application/json") -> Response:
    """``obj`` as ``json.dumps`` writes it (ASCII), ``Content-Type`` first then ``headers``."""
    out = {"Content-Type": content_type}
    out.update(headers or {})
    return Response(status, headers=out, raw=json.dumps(obj).encode("utf-8"))


class ApiFailure(Exception):
    """Raised by emulator code to answer with a ready-made provider error."""

    def __init__(self, response: Response, outcome: str):
        super().__init__(outcome)
        self.response = response
        self.outcome = outcome


class BaseEmulator:
    """Transport-independent core: ``handle()`` takes a parsed request.

    Subclasses implement :meth:`api` and the provider's fault answers, either
    :meth:`fault_response` or the three hooks its default calls.  API code calls
    :meth:`apply_faults` (returns the fault's answer, or None) or :meth:`fault_point`
    (raises it as :class:`ApiFailure`) once a request is authenticated.
    """

    name = "emulator"
    default_config: Dict[str, Any] = {}
    #: keys every ``errors`` entry of a fault plan must have (the provider's error code).
    fault_error_fields: Tuple[str, ...] = ("code",)
    #: query parameters whose values the request log hides (secrets sent in a query).
    secret_query_params: Tuple[str, ...] = ()

    def __init__(self, config: Optional[Dict[str, Any]] = None) -> None:
        self.lock = threading.RLock()
        self.config = copy.deepcopy(config if config is not None else self.default_config)
        self.clock = Clock()
        self.faults = FaultPlan()
        self.request_log: List[Dict[str, Any]] = []
        self.request_seq = 0
        self.counts: Dict[str, int] = {}
        self.ok_counts: Dict[str, int] = {}
        self.status_counts: Dict[str, Dict[str, int]] = {}
        self.port = 0  # set by run() once bound
        self.configure()
        self.reset_records()

    # -- hooks ------------------------------------------------------------
    def configure(self) -> None:
        """Read self.config (accounts, keys, zones)."""

    def reset_records(self) -> None:
        """(Re)build the record state from the config."""

    def api(self, req: Request) -> Response:
        raise NotImplementedError

    def fault_response(self, req: Request, fault: Fault) -> Response:
        """The provider's answer to an injected fault; by default the three hooks below."""
        if fault.kind == "throttle":
            return self.throttle_error(req)
        if fault.kind == "error5xx":
            return self.server_error(req, fault.status)
        return self.injected_error(req, fault.extra)

    def throttle_error(self, req: Request) -> Response:
        raise NotImplementedError

    def server_error(self, req: Request, status: Optional[int]) -> Response:
        raise NotImplementedError

    def injected_error(self, req: Request, entry: Dict[str, Any]) -> Response:
        raise NotImplementedError

    def state_records(self) -> Any:
        """The ``records`` of the admin state; None leaves the key out."""
        return None

    def state_extra(self) -> Dict[str, Any]:
        return {}

    def seed(self, data: Dict[str, Any]) -> Any:
        raise ValueError("seeding is not supported by this emulator")

    def on_reset(self) -> None:
        """Extra state to clear on /__admin/reset (issued credentials...)."""

    def admin_extra(self, req: Request, data: Dict[str, Any]) -> Optional[Response]:
        """More ``/__admin`` routes; None: not one of them."""
        return None

    # -- faults ---------------------------------------------------------------
    def apply_faults(self, req: Request, action: Optional[str] = None) -> Optional[Response]:
        """Consume the fault plan for an authenticated call (``action`` names it, else
        ``req.action``): sleeps any delay, then returns the fault's answer or None."""
        if action is not None:
            req.action = action
        with self.lock:
            delay, fault = self.faults.take(req.action or "", req.method)
        if delay:
            time.sleep(delay)
        if fault is None:
            if delay:
                req.fault = "delay"
            return None
        req.fault = fault.kind
        # the default outcome; fault_response may name the provider's code instead
        req.outcome = str((fault.extra.get("code") if fault.kind == "error" else None) or fault.kind)
        return self.fault_response(req, fault)

    def fault_point(self, req: Request) -> None:
        """:meth:`apply_faults` for code that answers errors by raising :class:`ApiFailure`."""
        resp = self.apply_faults(req)
        if resp is not None:
            raise ApiFailure(resp, req.outcome)

    # -- requests -------------------------------------------------------------
    def handle(self, method: str, target: str, headers: Dict[str, str], body: bytes,
               client_ip: str = "127.0.0.1") -> Response:
        req = Request(method, target, headers, body, client_ip)
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

    def _logged_query(self, req: Request) -> str:
        if not any(k in self.secret_query_params for k, _ in req.query):
            return req.raw_query
        return urlencode([(k, "(hidden)" if k in self.secret_query_params else v) for k, v in req.query])

    def _log_request(self, req: Request, resp: Response) -> None:
        with self.lock:
            self.request_seq += 1
            action = req.action or f"{req.method} {req.path}"
            self.counts[action] = self.counts.get(action, 0) + 1
            per_status = self.status_counts.setdefault(action, {})
            per_status[str(resp.status)] = per_status.get(str(resp.status), 0) + 1
            if resp.status < 400 and req.outcome == "OK":
                self.ok_counts[action] = self.ok_counts.get(action, 0) + 1
            entry = {"seq": self.request_seq, "time": iso8601(time.time(), millis=True), "method": req.method,
                     "path": req.path, "query": self._logged_query(req), "action": action, "status": resp.status,
                     "outcome": req.outcome, "fault": req.fault, "principal": req.principal}
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
        if not isinstance(data, dict):
            return Response(400, {"error": "body is not a JSON object"})
        route = (req.method, req.path.rstrip("/"))
        try:
            with self.lock:
                if route == ("GET", "/__admin/state"):
                    state: Dict[str, Any] = {"emulator": self.name}
                    records = self.state_records()
                    if records is not None:
                        state["records"] = records
                    state.update({"faults": self.faults.to_json(), "clock": self.clock.to_json(),
                                  "counts": dict(self.counts), "okCounts": dict(self.ok_counts),
                                  "statusCounts": copy.deepcopy(self.status_counts)})
                    state.update(self.state_extra())
                    if req.q("log", "1") != "0":
                        state["requests"] = list(self.request_log)
                    return Response(200, state)
                if route == ("POST", "/__admin/faults"):
                    plan = FaultPlan.from_json(data)
                    for entry in plan.errors:
                        for name in self.fault_error_fields:
                            if name not in entry:
                                raise ValueError(f"each entry of errors needs a {name}")
                    self.faults = plan
                    return Response(200, {"faults": self.faults.to_json()})
                if route == ("GET", "/__admin/faults"):
                    return Response(200, {"faults": self.faults.to_json()})
                if route == ("POST", "/__admin/reset"):
                    self.faults = FaultPlan()
                    self.clock = Clock()
                    self.request_log = []
                    self.counts = {}
                    self.ok_counts = {}
                    self.status_counts = {}
                    self.reset_records()
                    self.on_reset()
                    return Response(200, {"ok": True})
                if route == ("POST", "/__admin/seed"):
                    return Response(200, {"seeded": self.seed(data)})
                if route == ("POST", "/__admin/clock"):
                    self.clock.set_from_admin(data)
                    return Response(200, {"clock": self.clock.to_json()})
                extra = self.admin_extra(req, data)
                if extra is not None:
                    return extra
        except (ValueError, KeyError, TypeError) as err:
            return Response(400, {"error": f"{type(err).__name__}: {err}"})
        return Response(404, {"error": f"no admin route {req.method} {req.path}"})


# ---------------------------------------------------------------------------
# HTTP transport and process contract
# ---------------------------------------------------------------------------


def make_handler(emulator: Any, verbose: bool):
    """A request handler class serving ``emulator.handle(method, target, headers, body,
    client_ip)`` (a :class:`BaseEmulator`, or a wrapper with the same method and ``name``)."""

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
                # repeated field lines combine into one, comma-joined (RFC 9110 section 5.3)
                headers[lk] = value if lk not in headers else headers[lk] + "," + value
            resp = emulator.handle(self.command, self.path, headers, body, client_ip=self.client_address[0])
            self.send_response(resp.status)
            for key, value in resp.headers.items():
                self.send_header(key, value)
            bodiless = resp.status in (204, 304) or 100 <= resp.status < 200
            if not bodiless:
                self.send_header("Content-Length", str(len(resp.body)))
            self.end_headers()
            if self.command != "HEAD" and not bodiless:
                self.wfile.write(resp.body)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve

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
    """The command line, the server and the process contract of the module docstring."""
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

    stop_on_signal_or_stdin_close(stop, watch_stdin=not args.no_stdin_watch)
    sys.stdout.write(json.dumps({"port": emulator.port, "host": args.host}) + "\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


def request_id() -> str:
    return str(uuid.uuid4())
