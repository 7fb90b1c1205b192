#!/usr/bin/env python3
"""Loopback DNS REST API for the shim's end-to-end tests (dns01-webhook, Apache-2.0).

Usage: rest_peer.py PORT_FILE TOKEN [LIFETIME_SECONDS]

A made-up provider API that dns_testapi.sh (a test-only dnsapi script) talks
to. Every /v1 call needs "Authorization: Bearer TOKEN" (else 401).
  GET    /v1/zones                          {"zones":[{"id","name"}]}
  GET    /v1/zones/<zid>/records?name=&type= {"records":[{"id","name","type","content","ttl"}]}
  POST   /v1/zones/<zid>/records            JSON {"name","type","content","ttl"} -> 201 {"record":{...}}
                                            (415 unless Content-Type is application/json)
  DELETE /v1/zones/<zid>/records/<rid>      204, or 404 {"error":"no such record"}
  GET    /_state                            (no auth) every record, for the test to inspect
  GET    /_log                              (no auth) "METHOD PATH" of every /v1 call
"""
import json
import os
import signal
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ZONES = [{"id": "z1", "name": "example.test"}, {"id": "z2", "name": "other.test"}]
RECORDS = {}  # rid -> record
LOG = []
LOCK = threading.Lock()
TOKEN = ""
NEXT = [1]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def _send(self, status, obj=None):
        out = b"" if obj is None else json.dumps(obj).encode()
        self.send_response(status)
        if obj is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        parts = [p for p in url.path.split("/") if p]
        with LOCK:
            if parts == ["_state"]:
                return self._send(200, {"records": sorted(RECORDS.values(), key=lambda r: r["id"])})
            if parts == ["_log"]:
                return self._send(200, {"log": LOG})
            if not parts or parts[0] != "v1":
                return self._send(404, {"error": "not found"})
            LOG.append("%s %s" % (self.command, url.path))
            if self.headers.get("Authorization") != "Bearer " + TOKEN:
                return self._send(401, {"error": "unauthorized"})
            if parts == ["v1", "zones"] and self.command == "GET":
                return self._send(200, {"zones": ZONES})
            if len(parts) >= 4 and parts[1] == "zones" and parts[3] == "records":
                zid = parts[2]
                if zid not in [z["id"] for z in ZONES]:
                    return self._send(404, {"error": "no such zone"})
                if len(parts) == 4 and self.command == "GET":
                    recs = [r for r in RECORDS.values() if r["zone"] == zid
                            and ("name" not in query or r["name"] == query["name"])
                            and ("type" not in query or r["type"] == query["type"])]
                    return self._send(200, {"records": sorted(recs, key=lambda r: r["id"])})
                if len(parts) == 4 and self.command == "POST":
                    if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                        return self._send(415, {"error": "json only"})
                    try:
                        req = json.loads(body)
                    except ValueError:
                        return self._send(400, {"error": "bad json"})
                    rid = "r%d" % NEXT[0]
                    NEXT[0] += 1
                    rec = {"id": rid, "zone": zid, "name": req["name"], "type": req["type"],
                           "content": req["content"], "ttl": req.get("ttl", 300)}
                    RECORDS[rid] = rec
                    return self._send(201, {"record": rec})
                if len(parts) == 5 and self.command == "DELETE":
                    if RECORDS.pop(parts[4], None) is None:
                        return self._send(404, {"error": "no such record"})
                    return self._send(204)
            return self._send(404, {"error": "not found"})

    do_GET = do_POST = do_PUT = do_DELETE = _handle


def main():
    global TOKEN
    port_file, TOKEN = sys.argv[1], sys.argv[2]
    lifetime = float(sys.argv[3]) if len(sys.argv) > 3 else 120.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
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
