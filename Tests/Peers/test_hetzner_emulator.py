"""Tests for hetzner_emulator.py, proven against Hetzner's OFFICIAL Python SDK (hcloud).

The SDK (``hcloud.Client(token=..., api_endpoint=...)`` and its ``zones``
API) drives the emulator: zone lookup, rrset listing and paging, the
server-side ``add_records``/``remove_records`` actions and their polling, the
error shapes the SDK parses, its automatic retry on ``rate_limit_exceeded``;
raw requests check what the SDK hides (status codes, RateLimit headers, the
``/v1/actions?id=`` polling hcloud-go uses).

Run: python3 -m pytest -q Tests/Peers/test_hetzner_emulator.py
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import emulator_testlib as lib  # noqa: E402
import hetzner_emulator as emu  # noqa: E402

from hcloud import APIException, Client  # noqa: E402
from hcloud.actions import ActionFailedException  # noqa: E402
from hcloud.exp.zone import format_txt_record  # noqa: E402
from hcloud.zones import ZoneRecord, ZoneRRSet  # noqa: E402

TOKEN = "hetzner-test-token"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = lib.start("hetzner_emulator.py", tmp_path_factory.mktemp("hetzner"), emu.DEFAULT_CONFIG)
    yield running
    assert lib.stop(running) == 0


@pytest.fixture(autouse=True)
def fresh(request):
    if "server" in request.fixturenames:
        request.getfixturevalue("server").reset()
    yield


def client(server: lib.Running, token: str = TOKEN) -> Client:
    return Client(token=token, api_endpoint=server.base + "/v1", poll_interval=0.02)


def rrset(c: Client, name: str = "_acme-challenge", zone: str = "example.com") -> ZoneRRSet:
    return ZoneRRSet(name=name, type="TXT", zone=c.zones.get(zone))


def add(c: Client, value: str, name: str = "_acme-challenge", ttl: Optional[int] = 300) -> None:
    action = c.zones.add_rrset_records(rrset(c, name), [ZoneRecord(value=format_txt_record(value))], ttl=ttl)
    assert action.status == "running"  # the answer to the POST itself
    action.wait_until_finished()
    assert action.status == "success"


def remove(c: Client, value: str, name: str = "_acme-challenge") -> None:
    c.zones.remove_rrset_records(rrset(c, name), [ZoneRecord(value=format_txt_record(value))]).wait_until_finished()


def values(c: Client, name: str = "_acme-challenge") -> List[str]:
    return [r.value for r in c.zones.get_rrset(c.zones.get("example.com"), name, "TXT").records]


def api_error(fn, *args, **kwargs) -> APIException:
    with pytest.raises(APIException) as info:
        fn(*args, **kwargs)
    return info.value


def raw(server: lib.Running, method: str, path: str, body: Optional[Dict[str, Any]] = None, token: str = TOKEN):
    data = json.dumps(body).encode() if body is not None else None
    status, headers, payload = server.http(method, "/v1" + path, data,
                                           {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return status, headers, json.loads(payload) if payload else None


# ---------------------------------------------------------------------------
# 1. Zones and rrsets through the SDK
# ---------------------------------------------------------------------------


def test_zone_lookup(server):
    c = client(server)
    assert [z.name for z in c.zones.get_all(name="example.com")] == ["example.com"]
    assert c.zones.get_all(name="example") == []  # the name filter is exact
    zone = c.zones.get("example.com")
    assert c.zones.get(zone.id).name == "example.com" and zone.mode == "primary" and zone.status == "ok"
    page = c.zones.get_list(per_page=1)
    assert len(page.zones) == 1 and page.meta.pagination.next_page == 2 and page.meta.pagination.total_entries == 2
    assert api_error(c.zones.get, "other.example").code == "not_found"  # another project's zone


def test_add_and_remove_records_are_server_side_per_value(server):
    c = client(server)
    assert api_error(c.zones.get_rrset, c.zones.get("example.com"), "_acme-challenge", "TXT").code == "not_found"
    add(c, "apex-key")
    add(c, "wildcard-key")  # apex + wildcard at one name
    got = c.zones.get_rrset(c.zones.get("example.com"), "_acme-challenge", "TXT")
    assert got.ttl == 300 and got.id == "_acme-challenge/TXT" and [r.value for r in got.records] == ['"apex-key"', '"wildcard-key"']
    remove(c, "apex-key")
    assert values(c) == ['"wildcard-key"']
    remove(c, "wildcard-key")  # the last value: the rrset goes away
    assert api_error(values, c).code == "not_found"
    counts = server.state(log=False)["okCounts"]
    assert counts["add_records"] == 2 and counts["remove_records"] == 2


def test_add_remove_errors(server):
    c = client(server)
    add(c, "k")
    dup = api_error(c.zones.add_rrset_records, rrset(c), [ZoneRecord(value='"k"')])
    assert dup.code == "invalid_input" and dup.message == "duplicate value '\"k\"'"
    assert dup.details == {"fields": [{"name": "records[0].records[1].value", "messages": ["duplicate value '\"k\"'"]}]}
    unquoted = api_error(c.zones.add_rrset_records, rrset(c), [ZoneRecord(value="bare")])
    assert unquoted.code == "invalid_input"
    missing = api_error(c.zones.remove_rrset_records, rrset(c), [ZoneRecord(value='"absent"')])
    assert missing.code == "invalid_input"
    gone = api_error(c.zones.remove_rrset_records, rrset(c, "nothing-here"), [ZoneRecord(value='"k"')])
    assert gone.code == "not_found"
    long_value = "x" * 300
    add(c, long_value, name="long")
    assert values(c, "long") == ['"' + "x" * 255 + '" "' + "x" * 45 + '"']
    assert api_error(c.zones.add_rrset_records, rrset(c, "long"), [ZoneRecord(value='"' + "y" * 256 + '"')]).code == "invalid_input"


def test_remove_missing_value_can_be_ignored(tmp_path):
    running = lib.start("hetzner_emulator.py", tmp_path, dict(emu.DEFAULT_CONFIG, removeMissingValue="ignore"))
    try:
        c = client(running)
        add(c, "k")
        remove(c, "absent")
        assert values(c) == ['"k"']
    finally:
        assert lib.stop(running, "stdin") == 0


def test_concurrent_adds_never_lose_a_value(server):
    c = client(server)
    zone = c.zones.get("example.com")
    errors: List[BaseException] = []
    start = threading.Barrier(6)

    def writer(i: int) -> None:
        try:
            mine = client(server)
            start.wait(timeout=10)
            mine.zones.add_rrset_records(ZoneRRSet(name="_acme-challenge", type="TXT", zone=zone),
                                         [ZoneRecord(value=f'"key-{i}"')], ttl=300).wait_until_finished()
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    assert sorted(values(c)) == sorted(f'"key-{i}"' for i in range(6))


def test_rrset_crud_and_listing(server):
    c = client(server)
    zone = c.zones.get("example.com")
    created = c.zones.create_rrset(zone, name="www", type="TXT", ttl=600, records=[ZoneRecord(value='"hello"')])
    created.action.wait_until_finished()
    assert api_error(c.zones.create_rrset, zone, name="www", type="TXT").code == "uniqueness_error"
    status, _, body = raw(server, "PUT", f"/zones/{zone.id}/rrsets/www/TXT", {"records": [{"value": '"x"'}]})
    assert status == 422 and body["error"]["code"] == "invalid_input"
    for i in range(30):
        server.admin("POST", "seed", {"records": [{"zone": "example.com", "name": f"seed-{i:02d}", "values": ['"v"']}]})
    page = c.zones.get_rrset_list(zone, type=["TXT"], per_page=10, page=2)
    assert len(page.rrsets) == 10 and page.meta.pagination.last_page == 4 and page.meta.pagination.total_entries == 31
    assert len(c.zones.get_rrset_all(zone, type=["TXT"])) == 31
    assert [r.name for r in c.zones.get_rrset_all(zone, name="www")] == ["www"]
    assert {r.type for r in c.zones.get_rrset_all(zone, name="@")} == {"SOA", "NS"}
    c.zones.delete_rrset(c.zones.get_rrset(zone, "www", "TXT")).action.wait_until_finished()
    assert api_error(c.zones.get_rrset, zone, "www", "TXT").code == "not_found"


# ---------------------------------------------------------------------------
# 2. Actions
# ---------------------------------------------------------------------------


def test_actions_run_then_succeed_and_can_fail(tmp_path):
    running = lib.start("hetzner_emulator.py", tmp_path, dict(emu.DEFAULT_CONFIG, actionDelayMs=300))
    try:
        c = client(running)
        zone = c.zones.get("example.com")
        action = c.zones.add_rrset_records(ZoneRRSet(name="a", type="TXT", zone=zone), [ZoneRecord(value='"v"')])
        status, _, body = raw(running, "GET", f"/actions?id={action.id}")
        assert body["actions"][0]["status"] == "running" and body["actions"][0]["command"] == "add_rrset_records"
        action.wait_until_finished()
        status, _, body = raw(running, "GET", f"/actions/{action.id}")
        assert body["action"]["status"] == "success" and body["action"]["progress"] == 100
        assert body["action"]["resources"] == [{"id": zone.id, "type": "zone"}]
        running.admin("POST", "action-failures", {"count": 1, "code": "action_failed", "message": "nope"})
        failing = c.zones.add_rrset_records(ZoneRRSet(name="b", type="TXT", zone=zone), [ZoneRecord(value='"v"')])
        with pytest.raises(ActionFailedException):
            failing.wait_until_finished()
        assert api_error(c.zones.get_rrset, zone, "b", "TXT").code == "not_found"
    finally:
        assert lib.stop(running) == 0


# ---------------------------------------------------------------------------
# 3. Authentication, rate limit, faults
# ---------------------------------------------------------------------------


def test_tokens(server):
    error = api_error(client(server, "wrong-token").zones.get_all)
    assert error.code == "unauthorized"
    status, _, body = raw(server, "GET", "/zones", token="wrong-token")
    assert status == 401 and body == {"error": {"code": "unauthorized", "message": "unable to authenticate", "details": None}}
    ro = client(server, "hetzner-readonly-token")
    assert ro.zones.get("example.com").name == "example.com"
    assert api_error(ro.zones.add_rrset_records, rrset(ro), [ZoneRecord(value='"v"')]).code == "token_readonly"
    assert "hetzner-test-token" not in json.dumps(server.state())


def test_real_rate_limit_bucket(tmp_path):
    running = lib.start("hetzner_emulator.py", tmp_path, dict(emu.DEFAULT_CONFIG, rateLimit=3))
    try:
        running.admin("POST", "clock", {"now": 1700000000})
        seen = [raw(running, "GET", "/zones") for _ in range(4)]
        assert [s for s, _, _ in seen] == [200, 200, 200, 429]
        assert [h["RateLimit-Remaining"] for _, h, _ in seen] == ["2", "1", "0", "0"]
        assert seen[0][1]["RateLimit-Limit"] == "3" and int(seen[0][1]["RateLimit-Reset"]) == 1700000001
        assert seen[3][2]["error"]["code"] == "rate_limit_exceeded"
        running.admin("POST", "clock", {"now": 1700000001})  # one request per second comes back
        assert raw(running, "GET", "/zones")[0] == 200
        assert raw(running, "GET", "/zones")[0] == 429
    finally:
        assert lib.stop(running) == 0


def test_injected_faults_and_sdk_retry(server):
    c = client(server)
    c.zones.get("example.com")
    server.admin("POST", "faults", {"throttle": 1, "actions": ["add_records"]})
    add(c, "after-retry")  # the SDK retries rate_limit_exceeded by itself
    server.admin("POST", "faults", {"error5xx": 1, "actions": ["add_records"]})
    assert api_error(c.zones.add_rrset_records, rrset(c), [ZoneRecord(value='"x"')]).code == "server_error"
    state = server.state()
    adds = [e for e in state["requests"] if e["action"] == "add_records"]
    assert [(e["status"], e["outcome"]) for e in adds] == [(429, "rate_limit_exceeded"), (201, "OK"), (500, "server_error")]
    assert values(c) == ['"after-retry"']


def test_stdin_eof_stops_the_process(tmp_path):
    running = lib.start("hetzner_emulator.py", tmp_path)
    assert lib.stop(running, "stdin") == 0
