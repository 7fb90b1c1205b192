#!/usr/bin/env sh
# shellcheck disable=SC2034
# Test-only dnsapi script written for dns01-webhook's tests (Apache-2.0) in the
# style of acme.sh's dnsapi scripts: RFC 2136 updates with knsupdate (Knot) or
# nsupdate (BIND). The TSIG key arrives in a variable, never on a command line:
# it goes to a private temp file (_mktemp) that -k reads.
dns_testknot_info='RFC 2136 through knsupdate/nsupdate (dns01-webhook test fixture)
Options:
 KNOT_Server Server address
 KNOT_TSIG TSIG key as alg:name:base64secret
 KNOT_Zone The zone to update
Optional:
 KNOT_Port Server port. Default: "53".
 KNOT_ReplaceSet 1 makes add replace the whole TXT set (a badly behaved script). Optional.
 KNOT_RemoveAll 1 makes rm delete every TXT value at the name (another bad habit). Optional.
'

dns_testknot_add() {
  fulldomain=$1
  txtvalue=$2
  _knot_setup || return 1
  if [ "$KNOT_ReplaceSet" = "1" ]; then
    _knot_update "update delete ${fulldomain}. TXT" "update add ${fulldomain}. 60 IN TXT \"${txtvalue}\"" || return 1
  else
    _knot_update "update add ${fulldomain}. 60 IN TXT \"${txtvalue}\"" || return 1
  fi
  _info "added" "$fulldomain"
  return 0
}

dns_testknot_rm() {
  fulldomain=$1
  txtvalue=$2
  _knot_setup || return 1
  if [ "$KNOT_RemoveAll" = "1" ]; then
    _knot_update "update delete ${fulldomain}. TXT" || return 1
  else
    _knot_update "update delete ${fulldomain}. TXT \"${txtvalue}\"" || return 1
  fi
  _info "removed" "$fulldomain"
  return 0
}

_knot_setup() {
  KNOT_Server="${KNOT_Server:-$(_readaccountconf_mutable KNOT_Server)}"
  KNOT_Port="${KNOT_Port:-$(_readaccountconf_mutable KNOT_Port)}"
  KNOT_Zone="${KNOT_Zone:-$(_readaccountconf_mutable KNOT_Zone)}"
  [ -n "$KNOT_Port" ] || KNOT_Port=53
  if [ -z "$KNOT_Server" ] || [ -z "$KNOT_TSIG" ] || [ -z "$KNOT_Zone" ]; then
    _err "You didn't specify KNOT_Server, KNOT_Zone and KNOT_TSIG."
    return 1
  fi
  _saveaccountconf_mutable KNOT_Server "$KNOT_Server"
  _saveaccountconf_mutable KNOT_Port "$KNOT_Port"
  _saveaccountconf_mutable KNOT_Zone "$KNOT_Zone"
  if _exists knsupdate; then
    _knot_cmd=knsupdate
  elif _exists nsupdate; then
    _knot_cmd=nsupdate
  else
    _err "Neither knsupdate nor nsupdate is installed in the image."
    return 1
  fi
  _knot_keyfile=$(_mktemp) || return 1
  printf "%s\n" "$KNOT_TSIG" >"$_knot_keyfile"
  return 0
}

# _knot_update "update ..." ["update ..."]: one signed UPDATE message
_knot_update() {
  _knot_out=$(
    {
      echo "server $KNOT_Server $KNOT_Port"
      echo "zone $KNOT_Zone."
      for _knot_line in "$@"; do echo "$_knot_line"; done
      echo "send"
    } | "$_knot_cmd" -k "$_knot_keyfile" 2>&1
  )
  _knot_ret=$?
  _debug "$_knot_cmd said" "$_knot_out"
  if [ "$_knot_ret" != "0" ]; then
    _err "The DNS server refused the update: $(printf "%s" "$_knot_out" | tr '\n' ' ')"
    return 1
  fi
  return 0
}
