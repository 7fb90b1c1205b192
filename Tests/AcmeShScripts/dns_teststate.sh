#!/usr/bin/env sh
# shellcheck disable=SC2034
# Test-only dnsapi script written for dns01-webhook's tests (Apache-2.0) in the
# style of acme.sh's dnsapi scripts. Its "API" is a file of records
# ($STATE_RECORDS, "fqdn value id" lines); add saves the record id with
# _savedomainconf and rm deletes by that id only, so rm cannot work without
# the state add left. It also writes what it sees into $STATE_PROBE.
dns_teststate_info='State fixture (dns01-webhook tests)
Options:
 STATE_RECORDS Path of the records file
 STATE_Token Token the "API" wants
Optional:
 STATE_PROBE File to describe the environment in. Optional.
 STATE_MODE hang, fail or ok. Default: "ok".
'

dns_teststate_add() {
  fulldomain=$1
  txtvalue=$2
  _ts_probe
  _ts_mode || return $?
  [ "$STATE_Token" = "state-secret-token" ] || { _err "token $STATE_Token refused"; return 1; }
  _ts_id="id$(_time)$$"
  printf "%s %s %s\n" "$fulldomain" "$txtvalue" "$_ts_id" >>"$STATE_RECORDS"
  _savedomainconf "TS_ID_$(printf "%s" "$txtvalue" | _digest sha256 hex | cut -c 1-16)" "$_ts_id"
  _saveaccountconf_mutable STATE_Token "$STATE_Token"
  return 0
}

dns_teststate_rm() {
  fulldomain=$1
  txtvalue=$2
  _ts_probe
  _ts_mode || return $?
  _ts_key="TS_ID_$(printf "%s" "$txtvalue" | _digest sha256 hex | cut -c 1-16)"
  _ts_id=$(_readdomainconf "$_ts_key")
  if [ -z "$_ts_id" ]; then
    _err "no saved record id for this value: the state of add is lost"
    return 1
  fi
  grep -v " $_ts_id\$" "$STATE_RECORDS" >"$STATE_RECORDS.new"
  mv "$STATE_RECORDS.new" "$STATE_RECORDS"
  _cleardomainconf "$_ts_key"
  return 0
}

_ts_mode() {
  case "${STATE_MODE:-ok}" in
    hang)
      sleep 30 &
      echo $! >"$STATE_RECORDS.child"
      wait
      ;;
    fail)
      _info "about to fail"
      _err "first complaint"
      _err "the API said: token $STATE_Token is not valid"
      return 3
      ;;
  esac
  return 0
}

_ts_probe() {
  [ -n "$STATE_PROBE" ] || return 0
  {
    echo "HOME=$HOME"
    echo "PWD=$(pwd)"
    env | cut -d = -f 1 | sort | sed 's/^/VAR /'
  } >"$STATE_PROBE"
}
