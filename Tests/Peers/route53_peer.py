#!/usr/bin/env python3
"""moto harness: a local Route53 + STS endpoint for the Swift tests.

CLI
---
``python3 Tests/Peers/route53_peer.py [serve] [--port N] [--log FILE] [--no-stdin-watch]``
    Starts ``moto_server -H 127.0.0.1 -p N`` (N = a free port unless given;
    a port taken between the probe and moto's bind is retried up to 5 times),
    polls until moto answers HTTP, then prints ONE line and flushes::

        {"port": 50123, "endpoint": "http://127.0.0.1:50123", "pid": 4242}

    (``pid`` is moto's).  It then waits, and stops moto (SIGTERM, SIGKILL after
    5 s) and exits 0 on SIGTERM, SIGINT, or EOF on stdin.  stdin is watched only
    when it is a pipe or socket (so a test that starts the harness with stdin
    from /dev/null or a terminal does not stop it at once); ``--no-stdin-watch``
    disables the watch.  moto is started with PR_SET_PDEATHSIG so it also dies
    if the harness is SIGKILLed.  If moto exits by itself the harness exits 1.
    moto's request log (werkzeug access lines) goes to ``--log`` (default:
    discarded).  Everything listens on 127.0.0.1 only.

``python3 Tests/Peers/route53_peer.py seed --endpoint URL [--zones a.com,b.a.com]
[--private internal.example[,...]] [--many N] [--many-suffix paging.test] [--vpc-id vpc-1]``
    Creates hosted zones through boto3 (dummy credentials, region us-east-1) and
    prints ONE JSON line::

        {"ids": {"example.com": "Z...", "sub.example.com": "Z...", "internal.example": "Z..."},
         "zones": [{"name": "example.com.", "id": "Z...", "private": false}, ...]}

    ids carry no ``/hostedzone/`` prefix.  ``--many N`` adds N public zones
    ``z000.<suffix>`` ... for paging tests.  Private zones are associated with
    ``--vpc-id`` in us-east-1.  Every call uses a fresh CallerReference, so seeding
    twice creates a second zone with the same name (as real Route53 allows).

Reset between tests: ``POST <endpoint>/moto-api/reset`` (moto's own endpoint) drops
all state (zones, records, journal).

What moto 5.2.1 really does (probed against ``moto_server``; the probes are the
tests in test_route53_peer.py, so a moto upgrade that changes any of this fails them)
------------------------------------------------------------------------------------
Routing and signatures
  * moto serves every service on one port and routes by the *credential scope*
    of the ``Authorization`` header (``.../<region>/route53/aws4_request``).  A
    Route53 request **without** ``Authorization`` is routed to S3 (answer: 404
    ``<Error><Code>NoSuchBucket</Code>...<BucketName>2013-04-01</BucketName>``).
    So a client must always send an ``Authorization`` header to reach Route53.
  * Signatures are **not checked** (default ``INITIAL_NO_AUTH_ACTION_COUNT=inf``):
    any syntactically plausible ``AWS4-HMAC-SHA256 Credential=AK/d/r/route53/aws4_request,
    SignedHeaders=..., Signature=deadbeef`` is accepted, any access key works.
    With auth switched on (``INITIAL_NO_AUTH_ACTION_COUNT=N``, IAM user + key +
    allow-all policy) a correct botocore-signed POST passes but correct
    botocore-signed empty-body GETs (ListHostedZones, ListHostedZonesByName) get
    403 with an empty error: moto's verification is unusable for Route53, so the
    harness leaves it off and signatures are proven by the oracle instead.
  * STS ``AssumeRoleWithWebIdentity`` / ``AssumeRoleWithSAML`` are recognised
    **unsigned** from the POST form body (``Action=...``); the same call as a GET
    query string, or an unsigned ``AssumeRole``, is routed to S3
    (``ListAllMyBucketsResult``).
ListHostedZonesByName  (``GET /2013-04-01/hostedzonesbyname``)
  * With ``dnsname``: an **exact-name filter** (trailing dot added), not a
    starting point -- ``dnsname=a.sub.example.com`` returns no zone even though
    ``sub.example.com`` exists, and zones sorting after it are not returned.
  * Without ``dnsname``: all zones, sorted by reversed labels.
  * **No paging**: ``maxitems``/``hostedzoneid`` are ignored; the response never
    has ``IsTruncated``, ``MaxItems``, ``NextDNSName`` or ``NextHostedZoneId``;
    ``DNSName`` is echoed (with trailing dot) only when given.  Paging (and
    "dnsname is a start point") must be tested against a fake of your own.
  * ``Config/PrivateZone`` is reported (``true`` for zones created with a VPC).
ChangeResourceRecordSets  (``POST /2013-04-01/hostedzone/<id>/rrset`` and ``.../rrset/``)
  * Response always ``ChangeInfo{Id=/change/C2682N5HXP0BZ4, Status=INSYNC,
    SubmittedAt}`` -- the same change id for every call.
  * UPSERT of multivalue TXT sets keys on (name, type, SetIdentifier): UPSERT
    of ``"A"`` then ``"B"`` gives two sets; UPSERT of ``"A"`` again replaces it.
  * DELETE is validated against moto's change *journal*, not the current
    records: it succeeds if any earlier CREATE/UPSERT had the same name, type,
    TTL and ResourceRecords (SetIdentifier is not compared).  So
      - DELETE of a set that never existed -> HTTP 400 ``InvalidInput``
        (real Route53: ``InvalidChangeBatch ... but it was not found``)
        with message ``Invalid request: Expected exactly one of [AliasTarget,
        all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found
        none in Change with [Action=DELETE, Name=<name>, Type=TXT,
        SetIdentifier=<sid or null>]``; a TTL/value mismatch gives the same;
      - DELETE of a set that *was* created and already deleted -> 200 (the
        journal still has it; real Route53 would say InvalidChangeBatch);
      - a DELETE with a SetIdentifier removes **every** set in the zone with
        that SetIdentifier, whatever its name and type.
  * CREATE of a set that exists is refused (``InvalidChangeBatch``, ``Tried to
    create resource record set [name='<name>', type='TXT'] but it already
    exists``) only if an *identical* CREATE is in the journal; CREATE after an
    UPSERT of the same set silently adds a duplicate set.
  * A name outside the zone -> 400 ``InvalidChangeBatch`` ``RRSet with DNS name
    <name> is not permitted in zone <zone>`` (checked while applying, so
    earlier changes of the same batch are already applied: not atomic).
  * Unknown zone -> 404 ``NoSuchHostedZone`` ``No hosted zone found with ID: <id>``.
  * More than 1,000 ResourceRecords (UPSERT counted twice) -> ``InvalidChangeBatch``
    ``Number of records limit of 1000 exceeded.``  No 32,000-character check,
    no throttling, no ``PriorRequestNotComplete``, no 5 req/s limit.
GetChange  (``GET /2013-04-01/change/<id>``)
  * Always 200 ``INSYNC`` for **any** id (no ``NoSuchChange``); the ``Id`` element
    echoes the path id as given (``CFOO``, *without* the ``/change/`` prefix).
STS  (``POST /``, form body, version 2011-06-15)
  * ``AssumeRole`` (must carry some ``Authorization`` header for routing, not
    verified): any RoleArn -- even a non-ARN string -- and any caller succeed.
  * ``AssumeRoleWithWebIdentity`` (unsigned): **any** ``WebIdentityToken`` is
    accepted (no JWT parsing, no audience/issuer check).  Missing ``RoleArn``
    -> HTTP 500 HTML page (a moto bug).  ``RoleSessionName`` is not validated
    here (65 chars pass); only ``AssumeRole`` answers a name > 64 chars with
    400 ``ValidationError``.  ``DurationSeconds`` is honoured without bounds
    (10 gives credentials expiring in 10 s: handy for refresh tests).
  * Credentials: random ``AccessKeyId`` ``ASIA...`` (20 chars), 40-char
    ``SecretAccessKey``, ``SessionToken`` starting ``FQoGZXIvYXdzEBYaD``,
    ``Expiration`` = now + DurationSeconds (default 3600), ISO 8601 with
    microseconds and ``Z``.  ``AssumedRoleUser{AssumedRoleId=AROA...:<session>
    (ARO123EXAMPLE123:<session> for web identity), Arn=arn:aws:sts::123456789012:
    assumed-role/<role name>/<session>}``, ``PackedPolicySize`` 6; the web-identity
    answer has **no** ``SubjectFromWebIdentityToken``, ``Audience`` or ``Provider``.
    Content-Type ``text/xml``, no XML declaration.  The returned credentials work
    against moto's Route53 (nothing is checked).
Error bodies
  * Route53 (``Content-Type: application/xml``)::

      <?xml version="1.0" encoding="utf-8"?>
      <ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type>
      <Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: ZNOPE</Message>
      <message>No hosted zone found with ID: ZNOPE</message></Error><RequestId>(52 random chars)</RequestId>
      </ErrorResponse>

    (one line in reality; note the extra lower-case ``<message>`` duplicate).
    moto never produces the ``<InvalidChangeBatch><Messages>`` shape.
  * STS: ``<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>
    <Type>Sender</Type><Code>ValidationError</Code><Message>...</Message></Error>
    <RequestId>...</RequestId></ErrorResponse>`` (no lower-case duplicate).

What botocore itself signs on these calls (for comparison with the oracle):
Route53 GET/POST sign only ``host;x-amz-date`` (+ ``x-amz-security-token``);
the rrset POST carries no Content-Type and its Content-Length is not signed;
STS signs ``content-type;host;x-amz-date``; ``amz-sdk-*`` and ``User-Agent``
are never signed.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _moto_command(port: int) -> list[str]:
    exe = os.path.join(os.path.dirname(sys.executable), "moto_server")
    if not os.access(exe, os.X_OK):
        exe = shutil.which("moto_server")
    if exe:
        return [exe, "-H", HOST, "-p", str(port)]
    return [sys.executable, "-c", "import sys; from moto.server import main; sys.exit(main())",
            "-H", HOST, "-p", str(port)]


def _set_pdeathsig():  # runs in the child between fork and exec
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/moto-api/data.json", timeout=1) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start_moto(port: int | None, log) -> tuple[subprocess.Popen, int]:
    last_error = "moto_server did not start"
    for _ in range(5):
        p = port or _free_port()
        proc = subprocess.Popen(_moto_command(p), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                preexec_fn=_set_pdeathsig)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                last_error = f"moto_server exited with {proc.returncode} on port {p}"
                break
            if _answers(p):
                return proc, p
            time.sleep(0.05)
        else:
            proc.kill()
            proc.wait()
            last_error = f"moto_server did not answer on port {p} within 30 s"
        if port:
            break
    raise RuntimeError(last_error)


def stop_moto(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def serve(args) -> int:
    log = open(args.log, "ab") if args.log else subprocess.DEVNULL
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        proc, port = start_moto(args.port, log)
    except RuntimeError as exc:
        print(json.dumps({"error": str(exc)}), flush=True)
        return 1
    print(json.dumps({"port": port, "endpoint": f"http://{HOST}:{port}", "pid": proc.pid}), flush=True)

    mode = os.fstat(0).st_mode if not sys.stdin.closed else 0
    if not args.no_stdin_watch and (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        def watch_stdin():
            while os.read(0, 4096):
                pass
            stop.set()
        threading.Thread(target=watch_stdin, daemon=True).start()

    rc = 0
    while not stop.wait(0.2):
        if proc.poll() is not None:
            print(f"route53_peer: moto_server exited with {proc.returncode}", file=sys.stderr)
            rc = 1
            break
    stop_moto(proc)
    return rc


def seed(args) -> int:
    import boto3  # imported here so `serve` starts fast

    client = boto3.client("route53", endpoint_url=args.endpoint, region_name="us-east-1",
                          aws_access_key_id="AKIDSEED", aws_secret_access_key="seed-secret")
    names = [(n, False) for n in _split(args.zones)] + [(n, True) for n in _split(args.private)]
    names += [(f"z{i:03d}.{args.many_suffix}", False) for i in range(args.many)]
    ids: dict[str, str] = {}
    zones = []
    for name, private in names:
        kw = {}
        if private:
            kw = dict(HostedZoneConfig={"Comment": "private test zone", "PrivateZone": True},
                      VPC={"VPCRegion": "us-east-1", "VPCId": args.vpc_id})
        zone = client.create_hosted_zone(Name=name, CallerReference=str(uuid.uuid4()), **kw)["HostedZone"]
        zone_id = zone["Id"].rsplit("/", 1)[-1]
        ids[name.rstrip(".")] = zone_id
        zones.append({"name": zone["Name"], "id": zone_id, "private": bool(zone["Config"].get("PrivateZone"))})
    print(json.dumps({"ids": ids, "zones": zones}), flush=True)
    return 0


def _split(text: str | None) -> list[str]:
    return [x.strip() for x in (text or "").split(",") if x.strip()]


def main(argv) -> int:
    if argv and argv[0] == "seed":
        p = argparse.ArgumentParser(prog="route53_peer.py seed")
        p.add_argument("--endpoint", required=True)
        p.add_argument("--zones", default="")
        p.add_argument("--private", default="")
        p.add_argument("--many", type=int, default=0)
        p.add_argument("--many-suffix", default="paging.test")
        p.add_argument("--vpc-id", default="vpc-0123456789abcdef0")
        return seed(p.parse_args(argv[1:]))
    if argv and argv[0] == "serve":
        argv = argv[1:]
    p = argparse.ArgumentParser(prog="route53_peer.py")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--log")
    p.add_argument("--no-stdin-watch", action="store_true")
    return serve(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
