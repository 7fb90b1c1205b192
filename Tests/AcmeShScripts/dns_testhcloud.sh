#!/usr/bin/env sh
# shellcheck disable=SC2034
# Test-only dnsapi script written for dns01-webhook's tests (Apache-2.0) in the
# style of acme.sh's dnsapi scripts: the DNS part of the Hetzner Cloud API
# (zones, rrset add_records/remove_records actions), as served by
# Tests/Peers/hetzner_emulator.py. Uses _get, _post, _egrep_o,
# _normalizeJson, _saveaccountconf_mutable and the HTTP_HEADER status idiom.
dns_testhcloud_info='Hetzner Cloud DNS (dns01-webhook test fixture)
Site: hetzner.com
Docs: Tests/AcmeShScripts/README.md
Options:
 HCLOUDT_Token API token
Optional:
 HCLOUDT_Api API base URL. Default: "https://api.hetzner.cloud/v1".
 HCLOUDT_TTL TTL of a new record set. Default: "60".
 HCLOUDT_RetryDelay Seconds to wait before retrying a 429 or 5xx. Default: "1".
Author: dns01-webhook tests
'

HCLOUDT_Api_Default="https://api.hetzner.cloud/v1"

# Usage: dns_testhcloud_add _acme-challenge.www.example.com "value"
dns_testhcloud_add() {
  fulldomain=$1
  txtvalue=$2
  _thc_credentials || return 1
  _thc_find_zone "$fulldomain" || return 1
  _debug _thc_zone_id "$_thc_zone_id"
  _debug _thc_sub "$_thc_sub"
  _info "Adding TXT value" "$fulldomain"
  _thc_body="{\"ttl\":$HCLOUDT_TTL,\"records\":[{\"value\":\"\\\"$txtvalue\\\"\"}]}"
  _thc_api POST "zones/$_thc_zone_id/rrsets/$_thc_sub/TXT/actions/add_records" "$_thc_body" || return 1
  if [ "$_thc_code" = "400" ] && _contains "$_thc_response" "duplicate value"; then
    _info "The value is already there"
    return 0
  fi
  if [ "$_thc_code" != "201" ]; then
    _err "Adding the TXT value failed: HTTP $_thc_code $(_thc_message)"
    return 1
  fi
  _thc_wait_action || return 1
  _savedomainconf HCLOUDT_ZONE_ID "$_thc_zone_id"
  return 0
}

# Usage: dns_testhcloud_rm _acme-challenge.www.example.com "value"
dns_testhcloud_rm() {
  fulldomain=$1
  txtvalue=$2
  _thc_credentials || return 1
  _thc_zone_id=$(_readdomainconf HCLOUDT_ZONE_ID)
  if [ -n "$_thc_zone_id" ]; then
    _thc_sub=$(_thc_relative "$fulldomain")
  else
    _thc_find_zone "$fulldomain" || return 1
  fi
  _info "Removing TXT value" "$fulldomain"
  _thc_body="{\"records\":[{\"value\":\"\\\"$txtvalue\\\"\"}]}"
  _thc_api POST "zones/$_thc_zone_id/rrsets/$_thc_sub/TXT/actions/remove_records" "$_thc_body" || return 1
  case "$_thc_code" in
    201)
      _thc_wait_action || return 1
      ;;
    404 | 400)
      # the record set or the value is gone already: nothing to remove
      if [ "$_thc_code" = "400" ] && ! _contains "$_thc_response" "not found"; then
        _err "Removing the TXT value failed: HTTP $_thc_code $(_thc_message)"
        return 1
      fi
      _info "Nothing to remove"
      ;;
    *)
      _err "Removing the TXT value failed: HTTP $_thc_code $(_thc_message)"
      return 1
      ;;
  esac
  return 0
}

####################  Private functions below ##################################

_thc_credentials() {
  HCLOUDT_Token="${HCLOUDT_Token:-$(_readaccountconf_mutable HCLOUDT_Token)}"
  HCLOUDT_Api="${HCLOUDT_Api:-$(_readaccountconf_mutable HCLOUDT_Api)}"
  HCLOUDT_TTL="${HCLOUDT_TTL:-60}"
  [ -n "$HCLOUDT_Api" ] || HCLOUDT_Api=$HCLOUDT_Api_Default
  if [ -z "$HCLOUDT_Token" ]; then
    _err "You didn't specify HCLOUDT_Token."
    return 1
  fi
  _saveaccountconf_mutable HCLOUDT_Token "$HCLOUDT_Token"
  _saveaccountconf_mutable HCLOUDT_Api "$HCLOUDT_Api"
  return 0
}

# fulldomain relative to $_thc_zone_name, or from the saved zone's name
_thc_relative() {
  _thc_zone_name=${_thc_zone_name:-$(_readdomainconf HCLOUDT_ZONE_NAME)}
  printf "%s" "$1" | sed "s/\\.$_thc_zone_name\$//"
}

# Finds the zone holding $1: sets _thc_zone_id, _thc_zone_name and _thc_sub.
_thc_find_zone() {
  _thc_api GET "zones?per_page=50" || return 1
  if [ "$_thc_code" != "200" ]; then
    _err "Listing zones failed: HTTP $_thc_code $(_thc_message)"
    return 1
  fi
  _thc_zones=$(printf "%s" "$_thc_response" | _normalizeJson | _egrep_o '"id": *[0-9]+, *"name":"[^"]*"')
  i=2
  while true; do
    h=$(printf "%s" "$1" | cut -d . -f "$i"-100)
    if [ -z "$h" ]; then
      _err "No zone of this token holds $1"
      return 1
    fi
    _thc_zone_id=$(printf "%s\n" "$_thc_zones" | grep "\"name\":\"$h\"\$" | _head_n 1 | _egrep_o '[0-9]+' | _head_n 1)
    if [ -n "$_thc_zone_id" ]; then
      _thc_zone_name=$h
      _thc_sub=$(printf "%s" "$1" | cut -d . -f 1-"$(_math "$i" - 1)")
      _savedomainconf HCLOUDT_ZONE_NAME "$h"
      return 0
    fi
    i=$(_math "$i" + 1)
  done
}

# Polls the action in $_thc_response until it succeeds (at most 20 polls).
_thc_wait_action() {
  _thc_action=$(printf "%s" "$_thc_response" | _normalizeJson | _egrep_o '"action":\{"id": *[0-9]+' | _egrep_o '[0-9]+$')
  _thc_n=0
  while [ "$_thc_n" -lt 20 ]; do
    _thc_api GET "actions/$_thc_action" || return 1
    if [ "$_thc_code" = "200" ]; then
      if _contains "$_thc_response" '"status": "success"'; then
        return 0
      fi
      if _contains "$_thc_response" '"status": "error"'; then
        _err "The API reported the change as failed: $(_thc_message)"
        return 1
      fi
    fi
    _thc_n=$(_math "$_thc_n" + 1)
    _sleep 1
  done
  _err "The change did not finish in time"
  return 1
}

_thc_message() {
  printf "%s" "$_thc_response" | _normalizeJson | _egrep_o '"message":"[^"]*"' | _head_n 1 | cut -d '"' -f 4
}

# _thc_api METHOD path [body]: sets _thc_code and _thc_response; retries 429 and 5xx.
_thc_api() {
  _thc_m=$1
  _thc_ep=$2
  _thc_data=$3
  export _H1="Authorization: Bearer $HCLOUDT_Token"
  export _H2="Accept: application/json"
  _thc_try=0
  while true; do
    if [ "$_thc_m" = "GET" ]; then
      _thc_response="$(_get "$HCLOUDT_Api/$_thc_ep")"
    else
      _thc_response="$(_post "$_thc_data" "$HCLOUDT_Api/$_thc_ep" "" "$_thc_m" "application/json")"
    fi
    _thc_ret=$?
    _thc_code="$(grep "^HTTP" "$HTTP_HEADER" | _tail_n 1 | cut -d " " -f 2 | tr -d "\\r\\n")"
    _debug2 "_thc_code" "$_thc_code"
    if [ "$_thc_ret" != "0" ]; then
      _err "Cannot reach $HCLOUDT_Api (curl $_thc_ret)"
      return 1
    fi
    case "$_thc_code" in
      429 | 5*)
        _thc_try=$(_math "$_thc_try" + 1)
        if [ "$_thc_try" -ge 8 ]; then
          _err "The API kept failing: HTTP $_thc_code"
          return 1
        fi
        _debug "retrying after HTTP" "$_thc_code"
        _sleep "${HCLOUDT_RetryDelay:-1}"
        ;;
      401)
        _err "The API refused the token (HTTP 401): check HCLOUDT_Token"
        return 1
        ;;
      *) return 0 ;;
    esac
  done
}
