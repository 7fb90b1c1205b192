#!/usr/bin/env python3
"""Loopback HTTP peer for the shim's _get/_post tests (dns01-webhook, Apache-2.0).

Usage: http_peer.py PORT_FILE [LIFETIME_SECONDS [CERT_PEM KEY_PEM]]

Binds 127.0.0.1 on a free port, writes the port to PORT_FILE, serves until
SIGTERM or until LIFETIME_SECONDS (default 120) pass; with a certificate and
key it speaks HTTPS instead. Every request is
answered with a JSON echo of what arrived:
  {"method", "path", "headers": [[name, value], ...], "body", "body_hex"}
Paths:
  /status/<code>   answer with that status (429 adds Retry-After: 7)
  /redirect/<n>    302 chain of n hops ending at /echo
  anything else    200
Every answer carries "X-Peer: http_peer".
"""
import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path
        status = 200
        extra = []
        if path.startswith("/redirect/"):
            n = int(path.split("/")[2])
            target = "/echo" if n <= 1 else "/redirect/%d" % (n - 1)
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path.startswith("/status/"):
            status = int(path.split("/")[2])
            if status == 429:
                extra.append(("Retry-After", "7"))
        echo = {
            "method": self.command,
            "path": path,
            "headers": [[k, v] for k, v in self.headers.items()],
            "body": body.decode("utf-8", "replace"),
            "body_hex": body.hex(),
        }
        out = json.dumps(echo, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Peer", "http_peer")
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle


def main():
    port_file = sys.argv[1]
    lifetime = float(sys.argv[2]) if len(sys.argv) > 2 else 120.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if len(sys.argv) > 4:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    timer = threading.Timer(lifetime, lambda: os._exit(0))
    timer.daemon = True
    timer.start()
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
