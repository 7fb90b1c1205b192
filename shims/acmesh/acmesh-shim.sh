# shellcheck shell=sh
# shellcheck disable=SC2034,SC2119,SC2120
# acmesh-shim.sh - helper functions for running acme.sh "dnsapi" scripts
# (dns_<name>.sh) unmodified, outside acme.sh.
#
# Part of dns01-webhook. Licensed under the Apache License, Version 2.0.
#
# CLEAN-ROOM IMPLEMENTATION. This file was written from a behavioural
# description of the helper functions that dnsapi scripts call (names,
# arguments, outputs, side effects) and from general knowledge of what each
# helper does. It contains no code or text from acme.sh (GPLv3); acme.sh's
# source was not consulted. See README.md next to this file.
#
# The library is meant to be sourced (". acmesh-shim.sh") by acmesh-run.sh,
# in a POSIX shell (tested with dash and BusyBox ash). Sourcing it only
# defines functions and a few variables; it runs no command.
#
# External tools used (all present in a minimal Debian and in BusyBox):
#   required:  awk cat chmod date grep head mktemp mv od rm sed sleep tail tr
#              curl                         (every HTTP request)
#              openssl, or else md5sum sha1sum sha256sum sha512sum
#                                           (_digest, _hmac)
#   optional:  openssl  (_sign, _isRSA; sha224/sha384/sha3-256 without *sum)
#              sha3sum  (BusyBox; sha3-256 when openssl is absent)
#              idn2 or idn  (_idn, only for non-ASCII names)
# Base64, hex and URL encodings are done with od + awk + printf, so no
# base64/xxd/hexdump binary is needed. Secrets (HMAC keys, request headers,
# bodies and URLs) are never put on a command line: they travel through
# pipes and 0600 temp files, so they do not show in /proc/*/cmdline.
#
# Variables read (the runner sets them):
#   DNS01_ACCOUNT_CONF (else ACCOUNT_CONF_PATH)  account conf file
#   DNS01_DOMAIN_CONF  (else DOMAIN_CONF)        domain conf file
#   DNS01_ERR_FILE     every _err message is appended here, one line each
#   DNS01_TMPDIR       private temp dir for _mktemp and HTTP scratch files
#   DNS01_OUTPUT_INSECURE=1  lets _secure_debug* print values (default: never)
#   DNS01_HASH_BACKEND=openssl|sum  force a digest backend (default: auto)
#   DNS01_HTTP_MAX_TIME      optional overall curl time limit, seconds
#   HTTP_HEADER, USER_AGENT, DEBUG, NO_TIMESTAMP, HTTPS_INSECURE,
#   ACME_HTTP_NO_REDIRECTS, _H1.._H5

# ---------------------------------------------------------------------------
# Constants some scripts compare DEBUG against.
DEBUG_LEVEL_NONE=0
DEBUG_LEVEL_1=1
DEBUG_LEVEL_2=2
DEBUG_LEVEL_3=3
DEBUG_LEVEL_DEFAULT=1

: "${USER_AGENT:=dns01-webhook-acmesh-shim/1 (acme.sh dnsapi compatible)}"

# The marker pair used for base64-wrapped conf values (interoperability
# identifier of the conf file format).
_dns01_b64_start='__ACME_BASE64__START_'
_dns01_b64_end='__ACME_BASE64__END_'

_dns01_nl='
'
_dns01_cr=$(printf '\r')

# ---------------------------------------------------------------------------
# Logging

# _dns01_dbg_on N: true when DEBUG asks for level N or more. A non-numeric,
# non-empty DEBUG counts as 1.
_dns01_dbg_on() {
  case "${DEBUG:-}" in
    '' | 0) return 1 ;;
    *[!0-9]*) [ "$1" -le 1 ] ;;
    *) [ "$DEBUG" -ge "$1" ] ;;
  esac
}

# _dns01_log TAG msg [value] - one line on stderr.
_dns01_log() {
  _dns01_log_tag=$1
  shift
  if [ "${NO_TIMESTAMP:-}" = 1 ]; then
    _dns01_log_ts=''
  else
    _dns01_log_ts="[$(date -u '+%Y-%m-%d %H:%M:%SZ')] "
  fi
  if [ $# -ge 2 ]; then
    printf "%sacmesh %s: %s='%s'\n" "$_dns01_log_ts" "$_dns01_log_tag" "$1" "$2" >&2
  else
    printf '%sacmesh %s: %s\n' "$_dns01_log_ts" "$_dns01_log_tag" "$1" >&2
  fi
}

_info() { _dns01_log info "$@"; }
_log() { _dns01_dbg_on 1 && _dns01_log log "$@"; return 0; }
_debug() { _dns01_dbg_on 1 && _dns01_log debug "$@"; return 0; }
_debug2() { _dns01_dbg_on 2 && _dns01_log debug2 "$@"; return 0; }
_debug3() { _dns01_dbg_on 3 && _dns01_log debug3 "$@"; return 0; }

# _dns01_secure LEVEL msg [value]: the value is replaced by a placeholder
# unless DNS01_OUTPUT_INSECURE=1.
_dns01_secure() {
  _dns01_sec_lvl=$1
  shift
  _dns01_dbg_on "$_dns01_sec_lvl" || return 0
  _dns01_sec_tag=debug
  [ "$_dns01_sec_lvl" -gt 1 ] && _dns01_sec_tag="debug$_dns01_sec_lvl"
  if [ $# -ge 2 ]; then
    if [ "${DNS01_OUTPUT_INSECURE:-}" = 1 ]; then
      _dns01_log "$_dns01_sec_tag" "$1" "$2"
    else
      _dns01_log "$_dns01_sec_tag" "$1" '[secret hidden; DNS01_OUTPUT_INSECURE=1 shows it]'
    fi
  else
    _dns01_log "$_dns01_sec_tag" "$1"
  fi
  return 0
}
_secure_debug() { _dns01_secure 1 "$@"; }
_secure_debug2() { _dns01_secure 2 "$@"; }
_secure_debug3() { _dns01_secure 3 "$@"; }

# _err msg [value]: stderr, plus one line appended to $DNS01_ERR_FILE
# (CR/LF flattened to spaces so one call is one line). Returns 1.
_err() {
  _dns01_log error "$@"
  if [ $# -ge 2 ]; then
    _dns01_err_line="$1='$2'"
  else
    _dns01_err_line=$1
  fi
  if [ -n "${DNS01_ERR_FILE:-}" ]; then
    { printf '%s' "$_dns01_err_line" | tr '\r\n' '  '; printf '\n'; } >>"$DNS01_ERR_FILE" 2>/dev/null
  fi
  if [ -n "${DNS01_TMPDIR:-}" ] && [ -d "$DNS01_TMPDIR" ]; then
    : >"$DNS01_TMPDIR/.err_called" 2>/dev/null
  fi
  return 1
}

_usage() { printf '%s\n' "$*" >&2; }
__green() { printf '%s' "$1"; }
__red() { printf '%s' "$1"; }

# ---------------------------------------------------------------------------
# System

_exists() {
  [ -n "${1:-}" ] || return 1
  command -v "$1" >/dev/null 2>&1
}

_sleep() { sleep "$1"; }

_time() {
  date -u '+%s'
}

_utc_date() {
  date -u '+%Y-%m-%d %H:%M:%S'
}

_mktemp() {
  if [ -n "${DNS01_TMPDIR:-}" ] && [ -d "$DNS01_TMPDIR" ]; then
    mktemp "$DNS01_TMPDIR/tmp.XXXXXX"
  else
    mktemp "${TMPDIR:-/tmp}/acmesh.XXXXXX"
  fi
}

# _sed_i sed-script file: edit file in place (no sed -i needed). The file
# keeps its inode and mode.
_sed_i() {
  _dns01_sedi_tmp=$(_mktemp) || return 1
  if sed -e "$1" "$2" >"$_dns01_sedi_tmp"; then
    cat "$_dns01_sedi_tmp" >"$2"
    _dns01_sedi_ret=$?
  else
    _dns01_sedi_ret=1
  fi
  rm -f "$_dns01_sedi_tmp"
  return "$_dns01_sedi_ret"
}

# ---------------------------------------------------------------------------
# Text

_head_n() { head -n "$1"; }
_tail_n() { tail -n "$1"; }

# _egrep_o ERE: every (non-empty) match on stdin, one per line.
_egrep_o() { grep -E -o -e "$1"; }

# _contains str sub: BRE match of sub anywhere in str.
_contains() { printf '%s\n' "$1" | grep -e "$2" >/dev/null 2>&1; }
_startswith() { printf '%s\n' "$1" | grep -e "^$2" >/dev/null 2>&1; }
_endswith() { printf '%s\n' "$1" | grep -e "$2\$" >/dev/null 2>&1; }

_lower_case() { tr 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' 'abcdefghijklmnopqrstuvwxyz'; }
_upper_case() { tr 'abcdefghijklmnopqrstuvwxyz' 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'; }

# _math expr...: shell arithmetic, printed with no newline. Evaluated in a
# subshell so a bad expression (or division by zero) cannot end the caller.
_math() {
  (printf '%s' "$(($*))")
}

# _normalizeJson: compact "key" : "v" / {..} / [..] to "key":..., trim the
# indentation of each line, join all lines (CR/LF removed).
_normalizeJson() {
  sed -e 's/^[[:space:]]*//' -e 's/"[[:space:]]*:[[:space:]]*\(["{[]\)/":\1/g' | tr -d '\r\n'
}

# _getfield str index [separator=,]: 1-based field; an empty field falls back
# to the nearest earlier non-empty one; all empty: the whole string.
_getfield() {
  _dns01_gf_str=$1
  _dns01_gf_idx=$2
  _dns01_gf_sep=${3:-,}
  case "$_dns01_gf_idx" in '' | *[!0-9]*) printf '%s\n' "$_dns01_gf_str"; return 0 ;; esac
  while [ "$_dns01_gf_idx" -gt 0 ]; do
    _dns01_gf_rest=$_dns01_gf_str
    _dns01_gf_i=1
    _dns01_gf_field=''
    while :; do
      case "$_dns01_gf_rest" in
        *"$_dns01_gf_sep"*)
          _dns01_gf_cur=${_dns01_gf_rest%%"$_dns01_gf_sep"*}
          _dns01_gf_rest=${_dns01_gf_rest#*"$_dns01_gf_sep"}
          _dns01_gf_more=1
          ;;
        *)
          _dns01_gf_cur=$_dns01_gf_rest
          _dns01_gf_more=''
          ;;
      esac
      if [ "$_dns01_gf_i" -eq "$_dns01_gf_idx" ]; then
        _dns01_gf_field=$_dns01_gf_cur
        break
      fi
      [ -n "$_dns01_gf_more" ] || break
      _dns01_gf_i=$((_dns01_gf_i + 1))
    done
    if [ -n "$_dns01_gf_field" ]; then
      printf '%s\n' "$_dns01_gf_field"
      return 0
    fi
    _dns01_gf_idx=$((_dns01_gf_idx - 1))
  done
  printf '%s\n' "$_dns01_gf_str"
}

# ---------------------------------------------------------------------------
# Bytes, hex, base64

# stdin bytes -> lower-case hex tokens (od format, several per line)
_dns01_od() { od -An -v -tx1; }

# _hex_dump: stdin bytes as " 61 62 63" (no newline).
_hex_dump() {
  _dns01_od | LC_ALL=C awk '{ for (i = 1; i <= NF; i++) printf " %s", $i }'
}

# hex (any layout, whitespace ignored) on stdin -> bytes on stdout.
_dns01_hexin2bin() {
  LC_ALL=C awk '
    BEGIN { h = "0123456789abcdef"; n = 0; line = "" }
    {
      s = tolower($0); gsub(/[^0-9a-f]/, "", s)
      for (i = 1; i < length(s); i += 2) {
        v = (index(h, substr(s, i, 1)) - 1) * 16 + index(h, substr(s, i + 1, 1)) - 1
        line = line sprintf("\\%03o", v); n++
        if (n == 64) { print line; line = ""; n = 0 }
      }
    }
    END { if (n > 0) print line }' | _dns01_octal_out
}

# lines of printf-safe escapes on stdin -> bytes (each line printed as a
# printf format; producers escape "\" and "%" themselves).
_dns01_octal_out() {
  while IFS= read -r _dns01_oo_l; do
    # shellcheck disable=SC2059
    printf "$_dns01_oo_l"
  done
}

# _dns01_h2b HEX: hex string argument -> bytes (leaves stdin alone).
_dns01_h2b() { printf '%s' "$1" | _dns01_hexin2bin; }

# _h2b: hex text on stdin -> bytes.
_h2b() { _dns01_hexin2bin; }

# hex on stdin -> base64 (one line, no newline; or 64-column lines if $1).
_dns01_hex2b64() {
  LC_ALL=C awk -v ml="${1:-}" '
    function out(c) {
      printf "%s", c; col++
      if (ml != "" && col == 64) { printf "\n"; col = 0 }
    }
    function flush3(   a, b, c) {
      a = q[0]; b = (n > 1) ? q[1] : 0; c = (n > 2) ? q[2] : 0
      out(substr(B, int(a / 4) + 1, 1))
      out(substr(B, (a % 4) * 16 + int(b / 16) + 1, 1))
      if (n > 1) out(substr(B, (b % 16) * 4 + int(c / 64) + 1, 1)); else out("=")
      if (n > 2) out(substr(B, c % 64 + 1, 1)); else out("=")
      n = 0
    }
    BEGIN {
      B = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
      h = "0123456789abcdef"; n = 0; col = 0
    }
    {
      s = tolower($0); gsub(/[^0-9a-f]/, "", s)
      for (i = 1; i < length(s); i += 2) {
        q[n++] = (index(h, substr(s, i, 1)) - 1) * 16 + index(h, substr(s, i + 1, 1)) - 1
        if (n == 3) flush3()
      }
    }
    END { if (n > 0) flush3(); if (ml != "" && col > 0) printf "\n" }'
}

# _base64 [multiline]: stdin -> base64; one line without newline, or with
# any argument 64-column lines each ending in a newline.
_base64() { _dns01_od | _dns01_hex2b64 "${1:-}"; }

# _dbase64 [multiline]: base64 on stdin -> bytes. Line breaks and other
# whitespace are accepted with or without the argument; decoding stops at
# the first "=".
_dbase64() {
  LC_ALL=C awk '
    BEGIN {
      B = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
      acc = 0; bits = 0; n = 0; line = ""; done = 0
    }
    done == 0 {
      for (i = 1; i <= length($0); i++) {
        c = substr($0, i, 1)
        if (c == "=") { done = 1; break }
        v = index(B, c) - 1
        if (v < 0) continue
        acc = acc * 64 + v; bits += 6
        if (bits >= 8) {
          bits -= 8
          p = 1; for (k = 0; k < bits; k++) p *= 2
          byte = int(acc / p); acc = acc % p
          line = line sprintf("\\%03o", byte); n++
          if (n == 64) { print line; line = ""; n = 0 }
        }
      }
    }
    END { if (n > 0) print line }' | _dns01_octal_out
}

# _url_replace: base64 -> base64url (+/ to -_, padding and spaces removed).
_url_replace() { tr '/+' '_-' | tr -d '= '; }

# _url_encode [upper-hex]: keep A-Z a-z 0-9 - _ . ~, every other byte
# (including a newline) becomes %xx (lower-case hex; upper-case with the
# argument "upper-hex"). No trailing newline.
_url_encode() {
  _dns01_od | LC_ALL=C awk -v up="${1:-}" '
    BEGIN {
      keep = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
      for (i = 1; i <= length(keep); i++) {
        c = substr(keep, i, 1)
        for (v = 32; v < 127; v++) if (sprintf("%c", v) == c) { hx = sprintf("%02x", v); ch[hx] = c; break }
      }
    }
    {
      for (i = 1; i <= NF; i++) {
        if ($i in ch) printf "%s", ch[$i]
        else if (up == "upper-hex") printf "%%%s", toupper($i)
        else printf "%%%s", $i
      }
    }'
}

# _json_decode: JSON string escapes on stdin (\" \\ \/ \b \f \n \r \t and
# \uXXXX, surrogate pairs included) decoded; UTF-8 out.
_json_decode() {
  LC_ALL=C awk '
    function oct(v) { return sprintf("\\%03o", v) }
    function utf8(cp) {
      if (cp < 128) return oct(cp)
      if (cp < 2048) return oct(192 + int(cp / 64)) oct(128 + cp % 64)
      if (cp < 65536) return oct(224 + int(cp / 4096)) oct(128 + int(cp / 64) % 64) oct(128 + cp % 64)
      return oct(240 + int(cp / 262144)) oct(128 + int(cp / 4096) % 64) oct(128 + int(cp / 64) % 64) oct(128 + cp % 64)
    }
    function hexval(s,   i, v) {
      v = 0
      for (i = 1; i <= 4; i++) v = v * 16 + index("0123456789abcdef", tolower(substr(s, i, 1))) - 1
      return v
    }
    function ishex4(s) { return s ~ /^[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]$/ }
    {
      s = $0; o = ""; L = length(s); i = 1
      while (i <= L) {
        c = substr(s, i, 1)
        if (c == "\\" && i < L) {
          d = substr(s, i + 1, 1)
          if (d == "u" && ishex4(substr(s, i + 2, 4))) {
            cp = hexval(substr(s, i + 2, 4)); i += 6
            if (cp >= 55296 && cp < 56320 && substr(s, i, 2) == "\\u" && ishex4(substr(s, i + 2, 4))) {
              lo = hexval(substr(s, i + 2, 4))
              if (lo >= 56320 && lo < 57344) { cp = 65536 + (cp - 55296) * 1024 + (lo - 56320); i += 6 }
            }
            o = o utf8(cp); continue
          }
          if (d == "n") o = o "\\n"
          else if (d == "t") o = o "\\t"
          else if (d == "r") o = o "\\r"
          else if (d == "b") o = o "\\b"
          else if (d == "f") o = o "\\f"
          else if (d == "\\") o = o "\\\\"
          else if (d == "%") o = o "%%"
          else o = o d
          i += 2; continue
        }
        if (c == "\\") o = o "\\\\"
        else if (c == "%") o = o "%%"
        else o = o c
        i++
      }
      print o "\\n"
    }' | _dns01_octal_out
}

# ---------------------------------------------------------------------------
# Digests and HMAC

_dns01_hash_backend() {
  case "${DNS01_HASH_BACKEND:-}" in
    openssl | sum) printf '%s' "$DNS01_HASH_BACKEND" ;;
    *) if _exists openssl; then printf openssl; else printf sum; fi ;;
  esac
}

# _dns01_hash_hex alg: stdin -> lower-case hex digest (no newline).
_dns01_hash_hex() {
  case "$1" in
    md5 | sha1 | sha224 | sha256 | sha384 | sha512 | sha3-256) ;;
    *) _err "unsupported digest algorithm" "$1"; return 1 ;;
  esac
  if [ "$(_dns01_hash_backend)" = openssl ]; then
    _dns01_hh_out=$(openssl dgst "-$1" -binary | _dns01_od | tr -d ' \n')
  else
    case "$1" in
      sha3-256) _dns01_hh_out=$(sha3sum -a 256) ;;
      *) _dns01_hh_out=$("${1}sum") ;;
    esac
    _dns01_hh_out=${_dns01_hh_out%% *}
  fi
  case "$_dns01_hh_out" in
    '' | *[!0-9a-f]*) _err "digest failed" "$1"; return 1 ;;
  esac
  printf '%s' "$_dns01_hh_out"
}

# _digest alg [hex]: digest of stdin; one-line base64, or lower-case hex with
# a second argument. No newline. alg: md5 sha1 sha224 sha256 sha384 sha512
# sha3-256; anything else returns 1.
_digest() {
  _dns01_dg_hex=$(_dns01_hash_hex "$1") || return 1
  if [ -n "${2:-}" ]; then
    printf '%s' "$_dns01_dg_hex"
  else
    printf '%s' "$_dns01_dg_hex" | _dns01_hex2b64
  fi
}

# key hex on stdin, XORed with byte $1 (decimal) and padded to $2 bytes.
_dns01_xorpad() {
  LC_ALL=C awk -v x="$1" -v bs="$2" '
    function bxor(a, b,   r, p, k) {
      r = 0; p = 1
      for (k = 0; k < 8; k++) { if ((a % 2) != (b % 2)) r += p; a = int(a / 2); b = int(b / 2); p *= 2 }
      return r
    }
    { s = s $0 }
    END {
      h = "0123456789abcdef"
      for (i = 0; i < bs; i++) {
        v = 0
        if (2 * i + 2 <= length(s)) v = (index(h, substr(s, 2 * i + 1, 1)) - 1) * 16 + index(h, substr(s, 2 * i + 2, 1)) - 1
        printf "%02x", bxor(v, x)
      }
    }'
}

# _hmac alg key_hex [hex]: HMAC of stdin (RFC 2104) keyed by the bytes that
# key_hex spells. Raw bytes out, or lower-case hex (no newline) with a third
# argument. alg: md5 sha1 sha224 sha256 sha384 sha512. The key only travels
# through pipes (never argv).
_hmac() {
  _dns01_hm_alg=$1
  case "$_dns01_hm_alg" in
    md5 | sha1 | sha224 | sha256) _dns01_hm_bs=64 ;;
    sha384 | sha512) _dns01_hm_bs=128 ;;
    *) _err "unsupported HMAC algorithm" "$_dns01_hm_alg"; return 1 ;;
  esac
  _dns01_hm_key=$(printf '%s' "$2" | tr -d ' \t\r\n' | _lower_case)
  case "$_dns01_hm_key" in
    *[!0-9a-f]*) _err "_hmac: the key must be a hex string"; return 1 ;;
  esac
  if [ $((${#_dns01_hm_key} % 2)) -ne 0 ]; then
    _err "_hmac: the hex key has an odd length"
    return 1
  fi
  if [ "${#_dns01_hm_key}" -gt $((_dns01_hm_bs * 2)) ]; then
    _dns01_hm_key=$(_dns01_h2b "$_dns01_hm_key" | _dns01_hash_hex "$_dns01_hm_alg") || return 1
  fi
  _dns01_hm_ipad=$(printf '%s' "$_dns01_hm_key" | _dns01_xorpad 54 "$_dns01_hm_bs")
  _dns01_hm_opad=$(printf '%s' "$_dns01_hm_key" | _dns01_xorpad 92 "$_dns01_hm_bs")
  _dns01_hm_inner=$({ _dns01_h2b "$_dns01_hm_ipad"; cat; } | _dns01_hash_hex "$_dns01_hm_alg") || return 1
  _dns01_hm_outer=$({ _dns01_h2b "$_dns01_hm_opad"; _dns01_h2b "$_dns01_hm_inner"; } | _dns01_hash_hex "$_dns01_hm_alg") || return 1
  _dns01_hm_key='' _dns01_hm_ipad='' _dns01_hm_opad=''
  if [ -n "${3:-}" ]; then
    printf '%s' "$_dns01_hm_outer"
  else
    _dns01_h2b "$_dns01_hm_outer"
  fi
}

# _isRSA keyfile: 0 when the PEM private key is an RSA key (needs openssl).
_isRSA() {
  _exists openssl || { _err "_isRSA needs openssl"; return 1; }
  openssl rsa -in "$1" -noout >/dev/null 2>&1
}

# _sign keyfile alg: signature of stdin, one-line base64. RSA keys give the
# PKCS#1 v1.5 signature; EC keys give the raw r||s form used by JWS (each
# half padded to 32/48/66 bytes for sha256/sha384/sha512).
_sign() {
  _exists openssl || { _err "_sign needs openssl"; return 1; }
  _dns01_sg_key=$1
  _dns01_sg_alg=${2:-sha256}
  [ -r "$_dns01_sg_key" ] || { _err "_sign: key file not readable" "$_dns01_sg_key"; return 1; }
  if _isRSA "$_dns01_sg_key"; then
    openssl dgst "-$_dns01_sg_alg" -sign "$_dns01_sg_key" | _base64
    return
  fi
  case "$_dns01_sg_alg" in
    sha256) _dns01_sg_len=32 ;; sha384) _dns01_sg_len=48 ;; sha512) _dns01_sg_len=66 ;;
    *) _err "_sign: unsupported algorithm for an EC key" "$_dns01_sg_alg"; return 1 ;;
  esac
  _dns01_sg_der=$(_mktemp) || return 1
  if ! openssl dgst "-$_dns01_sg_alg" -sign "$_dns01_sg_key" >"$_dns01_sg_der"; then
    rm -f "$_dns01_sg_der"
    _err "_sign: openssl failed"
    return 1
  fi
  openssl asn1parse -inform DER -in "$_dns01_sg_der" 2>/dev/null |
    LC_ALL=C awk -v len="$_dns01_sg_len" -F: '
      /INTEGER/ { v = tolower($NF); gsub(/[^0-9a-f]/, "", v)
        if (length(v) % 2) v = "0" v
        while (length(v) > 2 * len && substr(v, 1, 2) == "00") v = substr(v, 3)
        while (length(v) < 2 * len) v = "00" v
        printf "%s", v }' | _dns01_hex2b64
  rm -f "$_dns01_sg_der"
}

# ---------------------------------------------------------------------------
# IDN

# _idn name[,name...]: punycode for non-ASCII labels (needs idn2 or idn);
# names made only of [0-9A-Za-z*.,_-] are echoed unchanged. No newline.
_idn() {
  case "$1" in
    *[!0-9A-Za-z*.,_-]*) ;;
    *) printf '%s' "$1"; return 0 ;;
  esac
  if _exists idn2; then
    _dns01_idn_tool=idn2
  elif _exists idn; then
    _dns01_idn_tool=idn
  else
    _err "_idn: a non-ASCII name needs idn2 or idn" "$1"
    return 1
  fi
  _dns01_idn_out=''
  _dns01_idn_rest=$1
  while :; do
    case "$_dns01_idn_rest" in
      *[.,]*)
        _dns01_idn_label=${_dns01_idn_rest%%[.,]*}
        _dns01_idn_tail=${_dns01_idn_rest#"$_dns01_idn_label"}
        ;;
      *)
        _dns01_idn_label=$_dns01_idn_rest
        _dns01_idn_tail=''
        ;;
    esac
    case "$_dns01_idn_label" in
      *[!0-9A-Za-z*_-]*)
        if [ "$_dns01_idn_tool" = idn2 ]; then
          _dns01_idn_label=$(LC_ALL=C.UTF-8 idn2 -- "$_dns01_idn_label") || { _err "_idn: conversion failed" "$1"; return 1; }
        else
          _dns01_idn_label=$(LC_ALL=C.UTF-8 idn --quiet -a -- "$_dns01_idn_label") || { _err "_idn: conversion failed" "$1"; return 1; }
        fi
        ;;
    esac
    _dns01_idn_out=$_dns01_idn_out$_dns01_idn_label
    [ -n "$_dns01_idn_tail" ] || break
    _dns01_idn_sep=${_dns01_idn_tail%"${_dns01_idn_tail#?}"}
    _dns01_idn_out=$_dns01_idn_out$_dns01_idn_sep
    _dns01_idn_rest=${_dns01_idn_tail#?}
  done
  printf '%s' "$_dns01_idn_out"
}

# ---------------------------------------------------------------------------
# HTTP (curl)

# value for a curl config file: quoted, with \ and " escaped, CR/LF dropped
_dns01_curlq() {
  printf '"%s"\n' "$(printf '%s' "$1" | tr -d '\r\n' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

_dns01_header_file() {
  if [ -z "${HTTP_HEADER:-}" ]; then
    HTTP_HEADER=$(_mktemp) || return 1
    export HTTP_HEADER
  fi
}

# _dns01_http METHOD URL HAS_BODY BODY CONTENT_TYPE NEEDBASE64 ONLYHEADER TIMEOUT
# Body to stdout; sets response and _ret; returns curl's exit code.
_dns01_http() {
  _dns01_h_method=$1 _dns01_h_url=$2 _dns01_h_hasbody=$3 _dns01_h_body=$4
  _dns01_h_ct=$5 _dns01_h_b64=$6 _dns01_h_onlyhead=$7 _dns01_h_timeout=$8
  response=''
  _ret=0
  _dns01_header_file || return 1
  : >"$HTTP_HEADER"
  _dns01_h_cfg=$(_mktemp) || return 1
  _dns01_h_out=$(_mktemp) || { rm -f "$_dns01_h_cfg"; return 1; }
  _dns01_h_errf=$(_mktemp) || { rm -f "$_dns01_h_cfg" "$_dns01_h_out"; return 1; }
  chmod 600 "$_dns01_h_cfg" "$_dns01_h_out" "$_dns01_h_errf" 2>/dev/null
  {
    printf 'silent\nshow-error\ngloboff\n'
    [ -n "${ACME_HTTP_NO_REDIRECTS:-}" ] || printf 'location\n'
    case "${HTTPS_INSECURE:-}" in '' | 0) ;; *) printf 'insecure\n' ;; esac
    printf 'dump-header = '; _dns01_curlq "$HTTP_HEADER"
    printf 'output = '; _dns01_curlq "$_dns01_h_out"
    printf 'user-agent = '; _dns01_curlq "$USER_AGENT"
    printf 'url = '; _dns01_curlq "$_dns01_h_url"
    for _dns01_h_hv in "${_H1:-}" "${_H2:-}" "${_H3:-}" "${_H4:-}" "${_H5:-}"; do
      [ -n "$_dns01_h_hv" ] || continue
      printf 'header = '; _dns01_curlq "$_dns01_h_hv"
    done
    if [ -n "$_dns01_h_ct" ]; then
      printf 'header = '; _dns01_curlq "Content-Type: $_dns01_h_ct"
    fi
    if [ "$_dns01_h_method" = HEAD ]; then
      printf 'head\n'
    else
      case "$_dns01_h_method" in
        GET) [ -n "$_dns01_h_hasbody" ] && { printf 'request = '; _dns01_curlq GET; } ;;
        POST) ;;
        *) printf 'request = '; _dns01_curlq "$_dns01_h_method" ;;
      esac
      [ -n "$_dns01_h_hasbody" ] && printf 'data-binary = "@-"\n'
    fi
    case "$_dns01_h_timeout" in '' | *[!0-9]*) ;; *) printf 'connect-timeout = %s\n' "$_dns01_h_timeout" ;; esac
    case "${DNS01_HTTP_MAX_TIME:-}" in '' | *[!0-9]*) ;; *) printf 'max-time = %s\n' "$DNS01_HTTP_MAX_TIME" ;; esac
  } >"$_dns01_h_cfg"

  _debug "$_dns01_h_method" "${_dns01_h_url%%\?*}"
  _secure_debug2 "url" "$_dns01_h_url"
  _secure_debug3 "_H1" "${_H1:-}"
  _secure_debug3 "_H2" "${_H2:-}"
  _secure_debug3 "_H3" "${_H3:-}"
  _secure_debug3 "_H4" "${_H4:-}"
  _secure_debug3 "_H5" "${_H5:-}"
  if [ -n "$_dns01_h_hasbody" ]; then
    _secure_debug3 "body" "$_dns01_h_body"
    printf '%s' "$_dns01_h_body" | curl -K "$_dns01_h_cfg" 2>"$_dns01_h_errf"
    _ret=$?
  else
    curl -K "$_dns01_h_cfg" </dev/null 2>"$_dns01_h_errf"
    _ret=$?
  fi
  if [ "$_ret" -ne 0 ]; then
    _err "HTTP $_dns01_h_method ${_dns01_h_url%%\?*} failed: curl exit $_ret: $(head -n 3 "$_dns01_h_errf" 2>/dev/null | tr '\r\n' '  ')"
  fi
  if _dns01_dbg_on 1; then
    _debug "http status" "$(grep '^HTTP' "$HTTP_HEADER" 2>/dev/null | tail -n 1 | tr -d '\r')"
  fi
  if [ -n "$_dns01_h_onlyhead" ]; then
    response=$(cat "$HTTP_HEADER" 2>/dev/null)
    cat "$HTTP_HEADER" 2>/dev/null
  else
    response=$(cat "$_dns01_h_out" 2>/dev/null)
    _secure_debug2 "response" "$response"
    if [ -n "$_dns01_h_b64" ]; then
      response=$(_base64 <"$_dns01_h_out")
      printf '%s' "$response"
    else
      cat "$_dns01_h_out" 2>/dev/null
    fi
  fi
  rm -f "$_dns01_h_cfg" "$_dns01_h_out" "$_dns01_h_errf"
  return "$_ret"
}

# _get url [onlyheader] [timeout]
_get() {
  if [ -n "${2:-}" ]; then
    _dns01_http HEAD "$1" '' '' '' '' 1 "${3:-}"
  else
    _dns01_http GET "$1" '' '' '' '' '' "${3:-}"
  fi
}

# _post body url [needbase64] [method=POST] [content_type]
_post() {
  _dns01_http "${4:-POST}" "$2" 1 "$1" "${5:-}" "${3:-}" '' ''
}

# Nothing is cached between requests here, so there is nothing to reset.
_resethttp() { return 0; }
_inithttp() { return 0; }

# ---------------------------------------------------------------------------
# Configuration files (KEY='value' lines)

_dns01_conf_key_ok() {
  case "$1" in
    '' | [0-9]* | *[!A-Za-z0-9_]*) _err "invalid configuration key" "$1"; return 1 ;;
  esac
}

_dns01_account_file() {
  _dns01_cf=${DNS01_ACCOUNT_CONF:-${ACCOUNT_CONF_PATH:-}}
  [ -n "$_dns01_cf" ] || { _err "no account conf file (DNS01_ACCOUNT_CONF) is set"; return 1; }
}

_dns01_domain_file() {
  _dns01_cf=${DNS01_DOMAIN_CONF:-${DOMAIN_CONF:-}}
  [ -n "$_dns01_cf" ] || { _err "no domain conf file (DNS01_DOMAIN_CONF) is set"; return 1; }
}

# _dns01_conf_read file key: prints the stored value (no newline). The line
# is parsed, never evaluated.
_dns01_conf_read() {
  [ -f "$1" ] || return 0
  _dns01_cr_raw=$(LC_ALL=C awk -v k="$2=" 'index($0, k) == 1 { v = substr($0, length(k) + 1); f = 1 } END { if (f) printf "%sx", v }' "$1")
  [ -n "$_dns01_cr_raw" ] || return 0
  _dns01_cr_raw=${_dns01_cr_raw%x}
  _dns01_cr_raw=${_dns01_cr_raw%"$_dns01_cr"}
  case "$_dns01_cr_raw" in
    "'"*"'")
      _dns01_cr_raw=${_dns01_cr_raw#"'"}
      _dns01_cr_raw=${_dns01_cr_raw%"'"}
      _dns01_cr_val=''
      while :; do
        case "$_dns01_cr_raw" in
          *"'\\''"*)
            _dns01_cr_val=$_dns01_cr_val${_dns01_cr_raw%%"'\\''"*}"'"
            _dns01_cr_raw=${_dns01_cr_raw#*"'\\''"}
            ;;
          *)
            _dns01_cr_val=$_dns01_cr_val$_dns01_cr_raw
            break
            ;;
        esac
      done
      ;;
    '"'*'"')
      _dns01_cr_raw=${_dns01_cr_raw#'"'}
      _dns01_cr_val=${_dns01_cr_raw%'"'}
      ;;
    *) _dns01_cr_val=$_dns01_cr_raw ;;
  esac
  case "$_dns01_cr_val" in
    "$_dns01_b64_start"*"$_dns01_b64_end")
      _dns01_cr_val=${_dns01_cr_val#"$_dns01_b64_start"}
      _dns01_cr_val=${_dns01_cr_val%"$_dns01_b64_end"}
      printf '%s' "$_dns01_cr_val" | _dbase64
      return 0
      ;;
  esac
  printf '%s' "$_dns01_cr_val"
}

# _dns01_conf_update file "KEYS TO DROP" [key value [b64]]: drop every line
# for the listed keys, then (with a key) append KEY='value'. Values holding a
# CR or LF, or saved with b64, are stored base64-wrapped; a ' is written as
# '\'' so the line stays one valid shell single-quoted word.
_dns01_conf_update() {
  _dns01_cu_file=$1
  _dns01_cu_drop=$2
  _dns01_cu_line=''
  if [ $# -ge 3 ]; then
    _dns01_cu_val=$4
    case "$_dns01_cu_val" in
      *"$_dns01_nl"* | *"$_dns01_cr"*) _dns01_cu_b64=1 ;;
      *) _dns01_cu_b64=${5:-} ;;
    esac
    if [ -n "$_dns01_cu_b64" ]; then
      _dns01_cu_val=$_dns01_b64_start$(printf '%s' "$_dns01_cu_val" | _base64)$_dns01_b64_end
    fi
    _dns01_cu_esc=''
    while :; do
      case "$_dns01_cu_val" in
        *"'"*)
          _dns01_cu_esc=$_dns01_cu_esc${_dns01_cu_val%%"'"*}"'\\''"
          _dns01_cu_val=${_dns01_cu_val#*"'"}
          ;;
        *)
          _dns01_cu_esc=$_dns01_cu_esc$_dns01_cu_val
          break
          ;;
      esac
    done
    _dns01_cu_line="$3='$_dns01_cu_esc'"
  fi
  case "$_dns01_cu_file" in */*) _dns01_cu_dir=${_dns01_cu_file%/*} ;; *) _dns01_cu_dir=. ;; esac
  [ -n "$_dns01_cu_dir" ] || _dns01_cu_dir=/
  _dns01_cu_tmp=$( (umask 077 && mktemp "$_dns01_cu_dir/.conf.XXXXXX") 2>/dev/null) || _dns01_cu_tmp=''
  _dns01_cu_inplace=''
  if [ -z "$_dns01_cu_tmp" ]; then
    _dns01_cu_tmp=$(_mktemp) || return 1
    _dns01_cu_inplace=1
  fi
  {
    if [ -f "$_dns01_cu_file" ]; then
      LC_ALL=C awk -v ks="$_dns01_cu_drop" '
        BEGIN { n = split(ks, k, " ") }
        { for (i = 1; i <= n; i++) if (index($0, k[i] "=") == 1) next; print }' "$_dns01_cu_file" || exit 1
    fi
    [ -z "$_dns01_cu_line" ] || printf '%s\n' "$_dns01_cu_line"
  } >"$_dns01_cu_tmp" || { rm -f "$_dns01_cu_tmp"; _err "cannot write configuration" "$_dns01_cu_file"; return 1; }
  if [ -n "$_dns01_cu_inplace" ]; then
    (umask 077 && cat "$_dns01_cu_tmp" >"$_dns01_cu_file")
    _dns01_cu_ret=$?
    rm -f "$_dns01_cu_tmp"
  else
    mv -f "$_dns01_cu_tmp" "$_dns01_cu_file"
    _dns01_cu_ret=$?
  fi
  [ "$_dns01_cu_ret" -eq 0 ] || _err "cannot write configuration" "$_dns01_cu_file"
  return "$_dns01_cu_ret"
}

# Account conf: "mutable" keys are stored as SAVED_<KEY>.
_readaccountconf_mutable() {
  _dns01_conf_key_ok "$1" && _dns01_account_file || return 1
  _dns01_conf_read "$_dns01_cf" "SAVED_$1"
}

_saveaccountconf_mutable() {
  _dns01_conf_key_ok "$1" && _dns01_account_file || return 1
  _dns01_conf_update "$_dns01_cf" "SAVED_$1 $1" "SAVED_$1" "${2:-}" "${3:-}"
}

_clearaccountconf_mutable() {
  _dns01_conf_key_ok "$1" && _dns01_account_file || return 1
  _dns01_conf_update "$_dns01_cf" "SAVED_$1 $1"
}

_readaccountconf() {
  _dns01_conf_key_ok "$1" && _dns01_account_file || return 1
  _dns01_conf_read "$_dns01_cf" "$1"
}

_saveaccountconf() {
  _dns01_conf_key_ok "$1" && _dns01_account_file || return 1
  _dns01_conf_update "$_dns01_cf" "$1" "$1" "${2:-}" "${3:-}"
}

_clearaccountconf() {
  _dns01_conf_key_ok "$1" && _dns01_account_file || return 1
  _dns01_conf_update "$_dns01_cf" "$1"
}

_readdomainconf() {
  _dns01_conf_key_ok "$1" && _dns01_domain_file || return 1
  _dns01_conf_read "$_dns01_cf" "$1"
}

_savedomainconf() {
  _dns01_conf_key_ok "$1" && _dns01_domain_file || return 1
  _dns01_conf_update "$_dns01_cf" "$1" "$1" "${2:-}" "${3:-}"
}

_cleardomainconf() {
  _dns01_conf_key_ok "$1" && _dns01_domain_file || return 1
  _dns01_conf_update "$_dns01_cf" "$1"
}

# ---------------------------------------------------------------------------
# Helpers this shim does not provide: fail loudly instead of "not found".

_dns01_unsupported() {
  _err "acme.sh helper $1 is not provided by the dns01-webhook shim"
  return 1
}
_ns_lookup() { _dns01_unsupported _ns_lookup; }
_fingerprint() { _dns01_unsupported _fingerprint; }

# ---------------------------------------------------------------------------
# Tool check (used by acmesh-run.sh)

_dns01_required_tools='awk cat chmod curl date grep head mktemp mv od rm sed sleep tail tr'
_dns01_sum_tools='md5sum sha1sum sha256sum sha512sum'

# Prints the missing required tools (space separated; empty when complete).
_dns01_missing_tools() {
  _dns01_mt=''
  for _dns01_t in $_dns01_required_tools; do
    _exists "$_dns01_t" || _dns01_mt="$_dns01_mt $_dns01_t"
  done
  if ! _exists openssl; then
    _dns01_mt_sum=''
    for _dns01_t in $_dns01_sum_tools; do
      _exists "$_dns01_t" || _dns01_mt_sum="$_dns01_mt_sum $_dns01_t"
    done
    [ -z "$_dns01_mt_sum" ] || _dns01_mt="$_dns01_mt openssl(or:$_dns01_mt_sum)"
  fi
  if _exists grep && ! printf 'ab\n' | grep -E -o -e 'b' >/dev/null 2>&1; then
    _dns01_mt="$_dns01_mt grep(-E -o)"
  fi
  printf '%s' "${_dns01_mt# }"
}
