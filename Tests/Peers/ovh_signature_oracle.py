#!/usr/bin/env python3
"""Signing oracle over OVHcloud's OFFICIAL Python SDK (python-ovh 1.2.0, ``$1$`` signatures).

Protocol (JSON lines, one answer line per input line, flushed after each):

    in:  {"endpoint": "https://eu.api.ovh.com/1.0", "applicationKey": "...", "applicationSecret": "...",
          "consumerKey": "...", "method": "POST", "path": "/domain/zone/x/record?y=z",
          "data": <any JSON value, or null for no body>, "timestamp": 1700000000}
    out: {"url": "<the URL the SDK requested>", "body": "<the exact body text, empty for none>",
          "headers": {"X-Ovh-Application", "X-Ovh-Consumer", "X-Ovh-Timestamp", "X-Ovh-Signature"}}

The request goes through ``ovh.Client.raw_call``, the SDK's one signing path, with the
endpoint registered under a private name (python-ovh accepts only named endpoints), the
clock fixed at ``timestamp`` and the server time delta at 0, and the HTTP session replaced by
one that records what it was asked to send instead of sending it. Nothing here
re-implements the algorithm. A line that cannot be processed is answered with
``{"error": "..."}``; end of input ends the process with status 0.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Dict

import ovh
import ovh.client


class _Recorded(Exception):
    def __init__(self, captured: Dict[str, Any]):
        super().__init__("recorded")
        self.captured = captured


class _RecordingSession:
    """Stands in for requests.Session: records the call and stops it there."""

    def request(self, method, url, headers=None, data=None, timeout=None):  # noqa: D401 - requests' signature
        raise _Recorded({"method": method, "url": url, "headers": dict(headers or {}), "body": data or ""})


def sign(item: Dict[str, Any]) -> Dict[str, Any]:
    ovh.client.ENDPOINTS["oracle"] = item["endpoint"]
    client = ovh.Client(
        endpoint="oracle",
        application_key=item["applicationKey"],
        application_secret=item["applicationSecret"],
        consumer_key=item["consumerKey"],
    )
    client._time_delta = 0
    client._session = _RecordingSession()
    timestamp = int(item["timestamp"])
    real_time = ovh.client.time.time
    ovh.client.time.time = lambda: timestamp
    try:
        client.raw_call(item["method"], item["path"], item.get("data"), need_auth=True)
    except _Recorded as recorded:
        captured = recorded.captured
    finally:
        ovh.client.time.time = real_time
    headers = {k: v for k, v in captured["headers"].items() if k.lower().startswith("x-ovh-")}
    return {"url": captured["url"], "body": captured["body"], "headers": headers}


def main() -> int:
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            answer = sign(json.loads(line))
        except Exception as error:  # noqa: BLE001 - the caller needs a line either way
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
