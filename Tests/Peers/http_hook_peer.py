#!/usr/bin/env python3
"""A DNS web hook in lego's ``httpreq`` style, for the ``http`` provider's tests (stdlib only).

Usage::

    python3 Tests/Peers/http_hook_peer.py [--cert F --key F] [--basic USER:PASS | --bearer TOKEN]
                                         [--fail-first N]

Serves on 127.0.0.1 and a free port, prints ``{"port": N}`` on one line, and exits when its
stdin closes.

- ``POST <any prefix>/present`` and ``/cleanup`` with a JSON body ``{"fqdn", "value", ...}``
  add or remove that one value (idempotent) and answer 200 ``{}``; a wrong or missing
  credential answers 401; a body without ``fqdn``/``value`` answers 400.
- A path containing ``/reject/`` answers 403 with a body that echoes the request's
  Authorization header (as careless servers do), to prove the client redacts it.
- A path containing ``/redirect/`` answers 302 to ``/elsewhere/``.
- ``--fail-first N``: the first N POSTs answer 503, to prove bounded retries.
- ``GET /state`` answers ``{"records": {fqdn: [values]}, "posts": [{"path", "authorization", "body"}]}``.
"""

from __future__ import annotations

import argparse
import json
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--basic")
    parser.add_argument("--bearer")
    parser.add_argument("--fail-first", type=int, default=0)
    options = parser.parse_args(argv)

    import base64

    expected = None
    if options.basic:
        expected = "Basic " + base64.b64encode(options.basic.encode()).decode()
    elif options.bearer:
        expected = "Bearer " + options.bearer

    lock = threading.Lock()
    records: dict[str, list[str]] = {}
    posts: list[dict] = []
    failures_left = [options.fail_first]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

        def answer(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode() if not isinstance(body, bytes) else body
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/state":
                with lock:
                    self.answer(200, {"records": records, "posts": posts})
            else:
                self.answer(404, {"error": "not found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            authorization = self.headers.get("Authorization")
            with lock:
                posts.append({"path": self.path, "authorization": authorization or "", "body": raw.decode(errors="replace"),
                              "contentType": self.headers.get("Content-Type") or ""})
                if failures_left[0] > 0:
                    failures_left[0] -= 1
                    self.answer(503, {"error": "try again"})
                    return
            if "/reject/" in self.path:
                self.answer(403, f"forbidden for {authorization}\nsee the logs".encode())
                return
            if "/redirect/" in self.path:
                self.answer(302, {}, {"Location": "/elsewhere/present"})
                return
            if expected is not None and authorization != expected:
                self.answer(401, {"error": "bad credentials"})
                return
            try:
                body = json.loads(raw)
                fqdn, value = body["fqdn"], body["value"]
            except (ValueError, KeyError, TypeError):
                self.answer(400, {"error": "need fqdn and value"})
                return
            action = self.path.rstrip("/").rsplit("/", 1)[-1]
            with lock:
                values = records.setdefault(fqdn, [])
                if action == "present":
                    if value not in values:
                        values.append(value)
                elif action == "cleanup":
                    if value in values:
                        values.remove(value)
                    if not values:
                        del records[fqdn]
                else:
                    self.answer(404, {"error": f"unknown action {action}"})
                    return
            self.answer(200, {})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if options.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(options.cert, options.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"port": server.server_address[1]}), flush=True)
    sys.stdin.read()  # until the test closes our stdin
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
