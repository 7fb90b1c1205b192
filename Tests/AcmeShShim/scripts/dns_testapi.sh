#!/usr/bin/env sh
# shellcheck disable=SC2034
# Test-only dnsapi script in the style of acme.sh's dnsapi scripts, written
# for dns01-webhook's shim tests (Apache-2.0). It talks to peers/rest_peer.py.
dns_testapi_info='TestAPI (dns01-webhook test fixture)
Site: example.test
Docs: Tests/AcmeShShim/README
Options:
 TESTAPI_Token API token
 TESTAPI_Url API base URL, e.g. "http://127.0.0.1:8080/v1"
OptionsAlt:
 TESTAPI_Key Legacy key (not used)
Optional:
 TESTAPI_TTL Record TTL. Default: "120".
   A continuation line that must not be read as a variable.
Issues: none
Author: dns01-webhook tests
'

########  Public functions #####################

# Usage: dns_testapi_add _acme-challenge.www.example.test "value"
dns_testapi_add() {
  fulldomain=$1
  txtvalue=$2

  TESTAPI_Token="${TESTAPI_Token:-$(_readaccountconf_mutable TESTAPI_Token)}"
  TESTAPI_Url="${TESTAPI_Url:-$(_readaccountconf_mutable TESTAPI_Url)}"
  TESTAPI_TTL="${TESTAPI_TTL:-120}"
  if [ -z "$TESTAPI_Token" ] || [ -z "$TESTAPI_Url" ]; then
    TESTAPI_Token=""
    TESTAPI_Url=""
    _err "You didn't specify TESTAPI_Token and TESTAPI_Url."
    return 1
  fi
  _saveaccountconf_mutable TESTAPI_Token "$TESTAPI_Token"
  _saveaccountconf_mutable TESTAPI_Url "$TESTAPI_Url"

  _debug "First detect the root zone"
  if ! _get_root "$fulldomain"; then
    _err "invalid domain"
    return 1
  fi
  _debug _domain_id "$_domain_id"
  _debug _sub_domain "$_sub_domain"
  _debug _domain "$_domain"

  _info "Adding record"
  if ! _testapi_rest POST "zones/$_domain_id/records" "{\"name\":\"$fulldomain\",\"type\":\"TXT\",\"content\":\"$txtvalue\",\"ttl\":$TESTAPI_TTL}"; then
    _err "Add txt record error."
    return 1
  fi
  if [ "$_code" != "201" ]; then
    _err "Add txt record error, HTTP $_code" "$response"
    return 1
  fi
  _record_id=$(echo "$response" | _normalizeJson | _egrep_o '"id":"r[0-9]+"|"id": *"r[0-9]+"' | _head_n 1 | cut -d '"' -f 4)
  _debug _record_id "$_record_id"
  _savedomainconf TESTAPI_LAST_RECORD "$_record_id"
  _info "Added, OK"
  return 0
}

# Usage: dns_testapi_rm _acme-challenge.www.example.test "value"
dns_testapi_rm() {
  fulldomain=$1
  txtvalue=$2

  TESTAPI_Token="${TESTAPI_Token:-$(_readaccountconf_mutable TESTAPI_Token)}"
  TESTAPI_Url="${TESTAPI_Url:-$(_readaccountconf_mutable TESTAPI_Url)}"
  if [ -z "$TESTAPI_Token" ] || [ -z "$TESTAPI_Url" ]; then
    _err "You didn't specify TESTAPI_Token and TESTAPI_Url."
    return 1
  fi

  if ! _get_root "$fulldomain"; then
    _err "invalid domain"
    return 1
  fi

  _debug "Getting txt records"
  _testapi_rest GET "zones/$_domain_id/records?type=TXT&name=$(printf '%s' "$fulldomain" | _url_encode)"
  if [ "$_code" != "200" ]; then
    _err "Error listing records, HTTP $_code"
    return 1
  fi
  _count=0
  for _rec in $(echo "$response" | _egrep_o '\{[^{}]*\}' | tr -d ' '); do
    if _contains "$_rec" "\"content\":\"$txtvalue\""; then
      _rid=$(echo "$_rec" | _egrep_o '"id":"[^"]*"' | cut -d '"' -f 4)
      _debug "Deleting" "$_rid"
      _testapi_rest DELETE "zones/$_domain_id/records/$_rid"
      if [ "$_code" != "204" ]; then
        _err "Delete record error, HTTP $_code"
        return 1
      fi
      _count=$(_math "$_count" + 1)
    fi
  done
  _info "Removed records" "$_count"
  _readdomainconf TESTAPI_LAST_RECORD >/dev/null
  _cleardomainconf TESTAPI_LAST_RECORD
  return 0
}

####################  Private functions below ##################################

# _acme-challenge.www.example.test
# returns _sub_domain=_acme-challenge.www _domain=example.test _domain_id=z1
_get_root() {
  domain=$1
  i=1
  p=1
  if ! _testapi_rest GET "zones"; then
    return 1
  fi
  if [ "$_code" != "200" ]; then
    _err "Listing zones failed, HTTP $_code"
    return 1
  fi
  while true; do
    h=$(printf "%s" "$domain" | cut -d . -f "$i"-100)
    _debug h "$h"
    if [ -z "$h" ]; then
      return 1
    fi
    if _contains "$response" "\"name\": \"$h\""; then
      _domain_id=$(echo "$response" | _egrep_o "\"id\": \"[^\"]*\", \"name\": \"$h\"" | _head_n 1 | cut -d '"' -f 4)
      _sub_domain=$(printf "%s" "$domain" | cut -d . -f 1-"$p")
      _domain=$h
      return 0
    fi
    p=$i
    i=$(_math "$i" + 1)
  done
  return 1
}

# _testapi_rest METHOD path [data]; sets response and _code
_testapi_rest() {
  m=$1
  ep=$2
  data=$3
  export _H1="Authorization: Bearer $TESTAPI_Token"
  export _H2="Accept: application/json"
  if [ "$m" = "GET" ]; then
    response="$(_get "$TESTAPI_Url/$ep")"
  else
    response="$(_post "$data" "$TESTAPI_Url/$ep" "" "$m" "application/json")"
  fi
  _ret=$?
  _code="$(grep "^HTTP" "$HTTP_HEADER" | _tail_n 1 | cut -d " " -f 2 | tr -d "\\r\\n")"
  _debug2 response "$response"
  if [ "$_ret" != "0" ]; then
    _err "error $ep"
    return 1
  fi
  return 0
}
