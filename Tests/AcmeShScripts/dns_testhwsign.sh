#!/usr/bin/env sh
# shellcheck disable=SC2034
# Test-only dnsapi script written for dns01-webhook's tests (Apache-2.0) in the
# style of acme.sh's dnsapi scripts: Huawei Cloud DNS v2 record sets with every
# request signed SDK-HMAC-SHA256 (AK/SK) using _digest and _hmac, against
# Tests/Peers/huaweicloud_emulator.py, which checks the signature. The TXT set
# is rewritten whole (GET, then POST/PUT/DELETE), as this API requires.
dns_testhwsign_info='Huawei Cloud DNS, AK/SK signed (dns01-webhook test fixture)
Options:
 HWS_AccessKey Access key (AK)
 HWS_SecretKey Secret key (SK)
Optional:
 HWS_Endpoint DNS endpoint. Default: "https://dns.ap-southeast-1.myhuaweicloud.com".
 HWS_RetryDelay Seconds to wait before retrying a 429 or 5xx. Default: "1".
'

dns_testhwsign_add() {
  fulldomain=$1
  txtvalue=$2
  _hws_setup || return 1
  _hws_find_zone "$fulldomain" || return 1
  _hws_read_set "$fulldomain" || return 1
  if printf "%s\n" "$_hws_values" | grep -qxF "$txtvalue"; then
    _info "The value is already there"
    return 0
  fi
  _hws_values=$(printf "%s\n%s" "$_hws_values" | sed '/^$/d'; printf "\n%s" "$txtvalue")
  _hws_body="{\"name\":\"$fulldomain.\",\"type\":\"TXT\",\"ttl\":60,\"records\":$(_hws_json_list)}"
  if [ -z "$_hws_set_id" ]; then
    _hws_api POST "/v2/zones/$_hws_zone_id/recordsets" "" "$_hws_body" || return 1
  else
    _hws_api PUT "/v2/zones/$_hws_zone_id/recordsets/$_hws_set_id" "" "{\"records\":$(_hws_json_list)}" || return 1
  fi
  case "$_hws_code" in
    200 | 202) return 0 ;;
  esac
  _err "Writing the TXT set failed: HTTP $_hws_code $(_hws_message)"
  return 1
}

dns_testhwsign_rm() {
  fulldomain=$1
  txtvalue=$2
  _hws_setup || return 1
  _hws_find_zone "$fulldomain" || return 1
  _hws_read_set "$fulldomain" || return 1
  if [ -z "$_hws_set_id" ] || ! printf "%s\n" "$_hws_values" | grep -qxF "$txtvalue"; then
    _info "Nothing to remove"
    return 0
  fi
  _hws_values=$(printf "%s\n" "$_hws_values" | grep -vxF "$txtvalue")
  if [ -z "$_hws_values" ]; then
    _hws_api DELETE "/v2/zones/$_hws_zone_id/recordsets/$_hws_set_id" "" "" || return 1
  else
    _hws_api PUT "/v2/zones/$_hws_zone_id/recordsets/$_hws_set_id" "" "{\"records\":$(_hws_json_list)}" || return 1
  fi
  case "$_hws_code" in
    200 | 202 | 204 | 404) return 0 ;;
  esac
  _err "Removing the TXT value failed: HTTP $_hws_code $(_hws_message)"
  return 1
}

####################  Private functions below ##################################

_hws_setup() {
  HWS_AccessKey="${HWS_AccessKey:-$(_readaccountconf_mutable HWS_AccessKey)}"
  HWS_SecretKey="${HWS_SecretKey:-$(_readaccountconf_mutable HWS_SecretKey)}"
  HWS_Endpoint="${HWS_Endpoint:-$(_readaccountconf_mutable HWS_Endpoint)}"
  [ -n "$HWS_Endpoint" ] || HWS_Endpoint="https://dns.ap-southeast-1.myhuaweicloud.com"
  if [ -z "$HWS_AccessKey" ] || [ -z "$HWS_SecretKey" ]; then
    _err "You didn't specify HWS_AccessKey and HWS_SecretKey."
    return 1
  fi
  _saveaccountconf_mutable HWS_AccessKey "$HWS_AccessKey"
  _saveaccountconf_mutable HWS_SecretKey "$HWS_SecretKey"
  _saveaccountconf_mutable HWS_Endpoint "$HWS_Endpoint"
  _hws_host=$(printf "%s" "$HWS_Endpoint" | cut -d / -f 3)
  _hws_key=$(printf "%s" "$HWS_SecretKey" | _hex_dump | tr -d " ")
  return 0
}

# Sets _hws_zone_id: the longest zone of the account holding $1.
_hws_find_zone() {
  i=2
  while true; do
    h=$(printf "%s" "$1" | cut -d . -f "$i"-100)
    if [ -z "$h" ]; then
      _err "No zone of this account holds $1"
      return 1
    fi
    _hws_api GET "/v2/zones" "name=$h.&search_mode=equal&type=public" "" || return 1
    if [ "$_hws_code" != "200" ]; then
      _err "Listing zones failed: HTTP $_hws_code $(_hws_message)"
      return 1
    fi
    _hws_zone_id=$(printf "%s" "$_hws_response" | _egrep_o '"zones": *\[\{"id": *"[^"]*"' | _egrep_o '"[^"]*"$' | tr -d '"')
    if [ -n "$_hws_zone_id" ]; then
      _debug _hws_zone_id "$_hws_zone_id"
      return 0
    fi
    i=$(_math "$i" + 1)
  done
}

# Sets _hws_set_id ("" when there is no set) and _hws_values (one per line).
_hws_read_set() {
  _hws_api GET "/v2/zones/$_hws_zone_id/recordsets" "name=$1.&search_mode=equal&type=TXT" "" || return 1
  if [ "$_hws_code" != "200" ]; then
    _err "Reading the TXT set failed: HTTP $_hws_code $(_hws_message)"
    return 1
  fi
  _hws_set_id=$(printf "%s" "$_hws_response" | _egrep_o '"recordsets": *\[\{"id": *"[^"]*"' | _egrep_o '"[^"]*"$' | tr -d '"')
  _hws_values=$(printf "%s" "$_hws_response" | _egrep_o '"records": *\[[^]]*\]' | _head_n 1 | _egrep_o '\\"[^"\\]*\\"' | tr -d '\\"')
  return 0
}

_hws_json_list() {
  printf "%s\n" "$_hws_values" | sed '/^$/d' | sed 's/.*/"\\"&\\""/' | tr '\n' ',' | sed 's/,$//; s/^/[/; s/$/]/'
}

_hws_message() {
  printf "%s" "$_hws_response" | _egrep_o '"(message|error_msg)": *"[^"]*"' | _head_n 1 | cut -d '"' -f 4
}

# _hws_api METHOD path query body: signs and sends; sets _hws_code and _hws_response.
_hws_api() {
  _hws_m=$1
  _hws_path=$2
  _hws_query=$3
  _hws_data=$4
  _hws_try=0
  while true; do
    _hws_date=$(date -u +%Y%m%dT%H%M%SZ)
    _hws_payload=$(printf "%s" "$_hws_data" | _digest sha256 hex)
    _hws_crhash=$(printf "%s\n%s/\n%s\nhost:%s\nx-sdk-date:%s\n\nhost;x-sdk-date\n%s" \
      "$_hws_m" "$_hws_path" "$_hws_query" "$_hws_host" "$_hws_date" "$_hws_payload" | _digest sha256 hex)
    _hws_sig=$(printf "SDK-HMAC-SHA256\n%s\n%s" "$_hws_date" "$_hws_crhash" | _hmac sha256 "$_hws_key" hex)
    export _H1="Authorization: SDK-HMAC-SHA256 Access=$HWS_AccessKey, SignedHeaders=host;x-sdk-date, Signature=$_hws_sig"
    export _H2="X-Sdk-Date: $_hws_date"
    _hws_url="$HWS_Endpoint$_hws_path"
    [ -z "$_hws_query" ] || _hws_url="$_hws_url?$_hws_query"
    if [ "$_hws_m" = "GET" ]; then
      _hws_response="$(_get "$_hws_url")"
    else
      _hws_response="$(_post "$_hws_data" "$_hws_url" "" "$_hws_m" "application/json")"
    fi
    _hws_ret=$?
    _hws_code="$(grep "^HTTP" "$HTTP_HEADER" | _tail_n 1 | cut -d " " -f 2 | tr -d "\\r\\n")"
    if [ "$_hws_ret" != "0" ]; then
      _err "Cannot reach $HWS_Endpoint (curl $_hws_ret)"
      return 1
    fi
    case "$_hws_code" in
      429 | 5*)
        _hws_try=$(_math "$_hws_try" + 1)
        if [ "$_hws_try" -ge 8 ]; then
          _err "The API kept failing: HTTP $_hws_code"
          return 1
        fi
        _sleep "${HWS_RetryDelay:-1}"
        ;;
      401)
        _err "The API refused the signature (HTTP 401): $(_hws_message); check HWS_AccessKey and HWS_SecretKey"
        return 1
        ;;
      *) return 0 ;;
    esac
  done
}
