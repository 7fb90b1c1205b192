#!/usr/bin/env sh
# shellcheck disable=SC2034
# Test-only dnsapi script in the style of acme.sh's dnsapi scripts, written
# for dns01-webhook's shim tests (Apache-2.0): RFC 2136 updates through
# knsupdate (Knot) or nsupdate (BIND), TSIG key from a file.
dns_testnsupdate_info='RFC 2136 test fixture
Options:
 NSUPDATE_SERVER Server address
 NSUPDATE_KEY Path to the TSIG key file (knsupdate/nsupdate -k format)
Optional:
 NSUPDATE_SERVER_PORT Port. Default: "53".
 NSUPDATE_ZONE Zone to update. Default: let the server find it.
'

dns_testnsupdate_add() {
  fulldomain=$1
  txtvalue=$2
  _testnsupdate_creds || return 1
  _info "adding ${fulldomain}. 60 in txt \"${txtvalue}\""
  _testnsupdate_send "update add ${fulldomain}. 60 in txt \"${txtvalue}\"" || {
    _err "error updating domain"
    return 1
  }
  return 0
}

dns_testnsupdate_rm() {
  fulldomain=$1
  txtvalue=$2
  _testnsupdate_creds || return 1
  _info "removing ${fulldomain}. txt \"${txtvalue}\""
  _testnsupdate_send "update delete ${fulldomain}. txt \"${txtvalue}\"" || {
    _err "error updating domain"
    return 1
  }
  return 0
}

_testnsupdate_creds() {
  NSUPDATE_SERVER="${NSUPDATE_SERVER:-$(_readaccountconf_mutable NSUPDATE_SERVER)}"
  NSUPDATE_SERVER_PORT="${NSUPDATE_SERVER_PORT:-$(_readaccountconf_mutable NSUPDATE_SERVER_PORT)}"
  NSUPDATE_KEY="${NSUPDATE_KEY:-$(_readaccountconf_mutable NSUPDATE_KEY)}"
  NSUPDATE_ZONE="${NSUPDATE_ZONE:-$(_readaccountconf_mutable NSUPDATE_ZONE)}"
  [ -n "$NSUPDATE_SERVER" ] || NSUPDATE_SERVER=localhost
  [ -n "$NSUPDATE_SERVER_PORT" ] || NSUPDATE_SERVER_PORT=53
  if [ -z "$NSUPDATE_KEY" ] || [ ! -r "$NSUPDATE_KEY" ]; then
    _err "NSUPDATE_KEY is not set or not readable: $NSUPDATE_KEY"
    return 1
  fi
  _saveaccountconf_mutable NSUPDATE_SERVER "$NSUPDATE_SERVER"
  _saveaccountconf_mutable NSUPDATE_SERVER_PORT "$NSUPDATE_SERVER_PORT"
  _saveaccountconf_mutable NSUPDATE_KEY "$NSUPDATE_KEY"
  _saveaccountconf_mutable NSUPDATE_ZONE "$NSUPDATE_ZONE"
  if _exists knsupdate; then
    _nsupdate_cmd=knsupdate
  elif _exists nsupdate; then
    _nsupdate_cmd=nsupdate
  else
    _err "neither knsupdate nor nsupdate is installed"
    return 1
  fi
  return 0
}

_testnsupdate_send() {
  _debug "server" "$NSUPDATE_SERVER:$NSUPDATE_SERVER_PORT"
  {
    echo "server ${NSUPDATE_SERVER} ${NSUPDATE_SERVER_PORT}"
    [ -n "$NSUPDATE_ZONE" ] && echo "zone ${NSUPDATE_ZONE}."
    echo "$1"
    echo "send"
  } | "$_nsupdate_cmd" -k "$NSUPDATE_KEY"
}
