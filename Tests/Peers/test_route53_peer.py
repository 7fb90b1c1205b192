"""Tests for route53_peer.py, and probes that pin down what moto really does.

Every moto-behaviour test below backs a statement in route53_peer.py's header: if a
moto upgrade changes the behaviour, the test fails and the header must be updated.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import botocore.exceptions
import pytest
import requests

PEER = Path(__file__).with_name("route53_peer.py")
FAKE_AUTH = {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDX/20150830/us-east-1/route53/aws4_request, "
                              "SignedHeaders=host;x-amz-date, Signature=deadbeef",
             "X-Amz-Date": "20150830T123600Z"}
STS_FAKE_AUTH = {"Authorization": FAKE_AUTH["Authorization"].replace("/route53/", "/sts/")}
NS = "{https://route53.amazonaws.com/doc/2013-04-01/}"


def start_harness(*extra):
    proc = subprocess.Popen([sys.executable, str(PEER), *extra], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line, "harness printed nothing"
    info = json.loads(line)
    assert set(info) == {"port", "endpoint", "pid"}, info
    return proc, info


def port_open(port):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_closed(port, pid, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not port_open(port) and not os.path.exists(f"/proc/{pid}"):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def moto():
    proc, info = start_harness()
    yield info
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) == 0
    assert wait_closed(info["port"], info["pid"])


@pytest.fixture
def endpoint(moto):
    requests.post(moto["endpoint"] + "/moto-api/reset", timeout=5).raise_for_status()
    return moto["endpoint"]


def r53(endpoint, **kw):
    return boto3.client("route53", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=kw.get("key", "AKIDTEST"), aws_secret_access_key="secret",
                        aws_session_token=kw.get("token"))


def seed(endpoint, *args):
    res = subprocess.run([sys.executable, str(PEER), "seed", "--endpoint", endpoint, *args],
                         capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def txt_change(action, value, name="_acme-challenge.example.com.", ttl=10):
    return {"Action": action, "ResourceRecordSet": {
        "Name": name, "Type": "TXT", "TTL": ttl, "SetIdentifier": f'"{value}"', "MultiValueAnswer": True,
        "ResourceRecords": [{"Value": f'"{value}"'}]}}


def txt_sets(client, zone_id):
    sets = client.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return sorted((s["Name"], s.get("SetIdentifier"), s["ResourceRecords"][0]["Value"]) for s in sets
                  if s["Type"] == "TXT")


def client_error(fn):
    with pytest.raises(botocore.exceptions.ClientError) as info:
        fn()
    return info.value.response


# ---------------------------------------------------------------- the harness itself

def test_harness_endpoint_answers_route53(endpoint):
    assert endpoint.startswith("http://127.0.0.1:")
    assert r53(endpoint).list_hosted_zones()["HostedZones"] == []


def test_seed_creates_public_private_nested_and_many(endpoint):
    out = seed(endpoint, "--zones", "example.com,sub.example.com", "--private", "internal.example",
               "--many", "5")
    assert set(out["ids"]) == {"example.com", "sub.example.com", "internal.example"} | {
        f"z{i:03d}.paging.test" for i in range(5)}
    by_name = {z["name"]: z for z in out["zones"]}
    assert by_name["internal.example."]["private"] is True
    assert by_name["sub.example.com."]["private"] is False
    listed = r53(endpoint).list_hosted_zones()["HostedZones"]
    assert {z["Id"].rsplit("/", 1)[-1] for z in listed} == set(out["ids"].values())
    assert all(not v.startswith("/") for v in out["ids"].values())


def test_upsert_delete_round_trip_of_multivalue_txt(endpoint):
    zid = seed(endpoint, "--zones", "example.com")["ids"]["example.com"]
    c = r53(endpoint)
    info = c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={
        "Comment": "Managed by cert-manager", "Changes": [txt_change("UPSERT", "AAA")]})["ChangeInfo"]
    assert info["Id"] == "/change/C2682N5HXP0BZ4" and info["Status"] == "INSYNC"
    c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [txt_change("UPSERT", "BBB")]})
    c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [txt_change("UPSERT", "AAA")]})
    assert txt_sets(c, zid) == [("_acme-challenge.example.com.", '"AAA"', '"AAA"'),
                                ("_acme-challenge.example.com.", '"BBB"', '"BBB"')]
    c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [txt_change("DELETE", "AAA")]})
    assert txt_sets(c, zid) == [("_acme-challenge.example.com.", '"BBB"', '"BBB"')]
    assert c.get_change(Id="C2682N5HXP0BZ4")["ChangeInfo"]["Status"] == "INSYNC"


def test_sts_credentials_from_moto_work_against_its_route53(endpoint):
    r = requests.post(endpoint + "/", data={
        "Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15",
        "RoleArn": "arn:aws:iam::123456789012:role/dns", "RoleSessionName": "cert-manager",
        "WebIdentityToken": "not-even-a-jwt"}, timeout=5)
    assert r.status_code == 200, r.text
    from xml.etree import ElementTree as ET
    ns = "{https://sts.amazonaws.com/doc/2011-06-15/}"
    creds = ET.fromstring(r.text).find(f"{ns}AssumeRoleWithWebIdentityResult/{ns}Credentials")
    key = creds.find(f"{ns}AccessKeyId").text
    assert key.startswith("ASIA") and len(key) == 20
    assert len(creds.find(f"{ns}SecretAccessKey").text) == 40
    assert creds.find(f"{ns}Expiration").text.endswith("Z")
    result = ET.fromstring(r.text).find(f"{ns}AssumeRoleWithWebIdentityResult")
    assert result.find(f"{ns}SubjectFromWebIdentityToken") is None and result.find(f"{ns}Audience") is None
    c = r53(endpoint, key=key, token=creds.find(f"{ns}SessionToken").text)
    assert c.list_hosted_zones()["HostedZones"] == []


def test_sigterm_stops_harness_and_moto():
    proc, info = start_harness()
    assert port_open(info["port"])
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) == 0
    assert wait_closed(info["port"], info["pid"])


def test_stdin_eof_stops_harness_and_moto():
    proc, info = start_harness()
    proc.stdin.close()
    assert proc.wait(timeout=15) == 0
    assert wait_closed(info["port"], info["pid"])


def test_devnull_stdin_does_not_stop_harness():
    proc = subprocess.Popen([sys.executable, str(PEER)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            text=True)
    try:
        info = json.loads(proc.stdout.readline())
        time.sleep(0.5)
        assert proc.poll() is None and port_open(info["port"])
    finally:
        proc.terminate()
        assert proc.wait(timeout=15) == 0


# ---------------------------------------------------------------- what moto does (documented)

def test_moto_list_by_name_is_exact_filter_without_paging(endpoint):
    seed(endpoint, "--zones", "example.com,sub.example.com", "--many", "4")
    c = r53(endpoint)
    page = c.list_hosted_zones_by_name(DNSName="sub.example.com", MaxItems="1")
    assert [z["Name"] for z in page["HostedZones"]] == ["sub.example.com."]
    assert page["DNSName"] == "sub.example.com."
    for absent in ("IsTruncated", "NextDNSName", "NextHostedZoneId", "MaxItems"):
        assert absent not in page
    assert c.list_hosted_zones_by_name(DNSName="a.sub.example.com")["HostedZones"] == []
    everything = c.list_hosted_zones_by_name(MaxItems="2")
    assert [z["Name"] for z in everything["HostedZones"]] == [
        "example.com.", "sub.example.com.", "z000.paging.test.", "z001.paging.test.", "z002.paging.test.",
        "z003.paging.test."]
    assert "IsTruncated" not in everything


def test_moto_private_zone_is_flagged(endpoint):
    seed(endpoint, "--private", "internal.example")
    zones = r53(endpoint).list_hosted_zones_by_name(DNSName="internal.example")["HostedZones"]
    assert zones[0]["Config"]["PrivateZone"] is True


def test_moto_delete_of_missing_set_is_invalid_input_with_exact_xml(endpoint):
    zid = seed(endpoint, "--zones", "example.com")["ids"]["example.com"]
    body = ('<?xml version="1.0" encoding="UTF-8"?><ChangeResourceRecordSetsRequest '
            'xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes><Change>'
            '<Action>DELETE</Action><ResourceRecordSet><Name>_acme-challenge.example.com.</Name><Type>TXT</Type>'
            '<SetIdentifier>"ZZZ"</SetIdentifier><MultiValueAnswer>true</MultiValueAnswer><TTL>10</TTL>'
            '<ResourceRecords><ResourceRecord><Value>"ZZZ"</Value></ResourceRecord></ResourceRecords>'
            '</ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>')
    r = requests.post(f"{endpoint}/2013-04-01/hostedzone/{zid}/rrset", data=body, headers=FAKE_AUTH, timeout=5)
    assert r.status_code == 400
    assert r.headers["Content-Type"].startswith("application/xml")
    from xml.etree import ElementTree as ET
    root = ET.fromstring(r.content)
    assert root.tag == f"{NS}ErrorResponse"
    err = root.find(f"{NS}Error")
    assert [c.tag.replace(NS, "") for c in err] == ["Type", "Code", "Message", "message"]
    assert err.find(f"{NS}Type").text == "Sender" and err.find(f"{NS}Code").text == "InvalidInput"
    assert err.find(f"{NS}Message").text == (
        "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or "
        "TrafficPolicyInstanceId], but found none in Change with [Action=DELETE, "
        'Name=_acme-challenge.example.com., Type=TXT, SetIdentifier="ZZZ"]')
    assert len(root.find(f"{NS}RequestId").text) > 10


def test_moto_second_delete_succeeds_and_delete_by_id_ignores_name(endpoint):
    zid = seed(endpoint, "--zones", "example.com")["ids"]["example.com"]
    c = r53(endpoint)
    c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [
        txt_change("UPSERT", "SAME"), txt_change("UPSERT", "SAME", name="other.example.com.")]})
    c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [txt_change("DELETE", "SAME")]})
    assert txt_sets(c, zid) == []  # other.example.com. went too: DELETE matched SetIdentifier only
    c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [txt_change("DELETE", "SAME")]})
    wrong_ttl = client_error(lambda: c.change_resource_record_sets(
        HostedZoneId=zid, ChangeBatch={"Changes": [txt_change("DELETE", "SAME", ttl=60)]}))
    assert wrong_ttl["Error"]["Code"] == "InvalidInput"


def test_moto_create_after_upsert_duplicates_and_identical_create_is_refused(endpoint):
    zid = seed(endpoint, "--zones", "example.com")["ids"]["example.com"]
    c = r53(endpoint)
    c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [txt_change("UPSERT", "C")]})
    c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [txt_change("CREATE", "C")]})
    assert len(txt_sets(c, zid)) == 2
    err = client_error(lambda: c.change_resource_record_sets(
        HostedZoneId=zid, ChangeBatch={"Changes": [txt_change("CREATE", "C")]}))
    assert err["Error"]["Code"] == "InvalidChangeBatch"
    assert err["Error"]["Message"] == (
        "Tried to create resource record set [name='_acme-challenge.example.com.', type='TXT'] but it already exists")


def test_moto_name_outside_zone_and_unknown_zone(endpoint):
    zid = seed(endpoint, "--zones", "example.com")["ids"]["example.com"]
    c = r53(endpoint)
    err = client_error(lambda: c.change_resource_record_sets(
        HostedZoneId=zid, ChangeBatch={"Changes": [txt_change("UPSERT", "X", name="_acme-challenge.other.org.")]}))
    assert (err["Error"]["Code"], err["Error"]["Message"]) == (
        "InvalidChangeBatch", "RRSet with DNS name _acme-challenge.other.org. is not permitted in zone example.com.")
    err = client_error(lambda: c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [
        txt_change("UPSERT", "FIRST"), txt_change("UPSERT", "Y", name="_acme-challenge.other.org.")]}))
    assert err["Error"]["Code"] == "InvalidChangeBatch"
    assert txt_sets(c, zid) == [("_acme-challenge.example.com.", '"FIRST"', '"FIRST"')]  # not atomic
    err = client_error(lambda: c.change_resource_record_sets(
        HostedZoneId="ZNOPE", ChangeBatch={"Changes": [txt_change("UPSERT", "X")]}))
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert (err["Error"]["Code"], err["Error"]["Message"]) == ("NoSuchHostedZone", "No hosted zone found with ID: ZNOPE")


def test_moto_get_change_is_insync_for_any_id_and_echoes_raw_id(endpoint):
    r = requests.get(f"{endpoint}/2013-04-01/change/CFOO", headers=FAKE_AUTH, timeout=5)
    assert r.status_code == 200
    assert "<Id>CFOO</Id><Status>INSYNC</Status>" in r.text


def test_moto_routing_needs_authorization_but_never_checks_signature(endpoint):
    seed(endpoint, "--zones", "example.com")
    unsigned = requests.get(f"{endpoint}/2013-04-01/hostedzonesbyname?dnsname=example.com", timeout=5)
    assert unsigned.status_code == 404 and "<Code>NoSuchBucket</Code>" in unsigned.text
    garbage = requests.get(f"{endpoint}/2013-04-01/hostedzonesbyname?dnsname=example.com", headers=FAKE_AUTH,
                           timeout=5)
    assert garbage.status_code == 200 and "<Name>example.com.</Name>" in garbage.text


def test_moto_sts_assume_role_accepts_anything_and_web_identity_quirks(endpoint):
    form = {"Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": "not-an-arn",
            "RoleSessionName": "cert-manager", "DurationSeconds": "10"}
    r = requests.post(endpoint + "/", data=form, headers=STS_FAKE_AUTH, timeout=5)
    assert r.status_code == 200 and "<AssumeRoleResponse" in r.text
    unsigned = requests.post(endpoint + "/", data=form, timeout=5)
    assert "ListAllMyBucketsResult" in unsigned.text  # routed to S3
    web = {"Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15", "RoleSessionName": "cert-manager",
           "WebIdentityToken": "x"}
    assert requests.post(endpoint + "/", data=web, timeout=5).status_code == 500  # missing RoleArn
    long_web = dict(web, RoleArn="arn:aws:iam::123456789012:role/r", RoleSessionName="x" * 65)
    assert requests.post(endpoint + "/", data=long_web, timeout=5).status_code == 200  # not validated
    bad = requests.post(endpoint + "/", data=dict(form, RoleSessionName="x" * 65), headers=STS_FAKE_AUTH, timeout=5)
    assert bad.status_code == 400
    assert bad.text.startswith('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
                               '<Type>Sender</Type><Code>ValidationError</Code>')
