#!/bin/sh
# acmesh-run.sh - run one acme.sh dnsapi hook (dns_<name>_add / _rm) with the
# clean-room helper library acmesh-shim.sh. Part of dns01-webhook (Apache-2.0);
# contains no acme.sh code. See README.md next to this file.
#
# Usage:
#   acmesh-run.sh <scriptsDir> <dns_name> add|rm <fqdn> <value>
#       Sources the shim, then <scriptsDir>/<dns_name>.sh in a subshell, and
#       calls <dns_name>_add|_rm <fqdn> <value>. The hook's stdout is sent to
#       stderr; the runner's own stdout stays empty.
#   acmesh-run.sh --check-tools
#       Reports every tool the shim uses (stdout), exit 0 or 66.
#   acmesh-run.sh --info <scriptsDir> <dns_name>
#       Prints the variable names of the Options: section of the script's
#       dns_<name>_info block, one per line. The script is read as text and
#       never executed.
#   acmesh-run.sh --info-all <scriptsDir> <dns_name>
#       Same for the Options:, OptionsAlt: and Optional: sections, as
#       "<section><TAB><VAR><TAB><description>" lines.
#
# Exit codes:
#    0  success
#    1-63  the hook failed and returned this status (passed through)
#   64  the script file <scriptsDir>/<dns_name>.sh is missing or unreadable
#   65  the script defines no <dns_name>_add / <dns_name>_rm function
#   66  a required tool is missing (the message names it)
#   67  usage error: wrong arguments, action not add/rm, bad script name
#   68  sourcing the script failed (syntax error, or it exited while loading)
#   69  the hook failed with a status of 64 or more (remapped so 64-72 stay
#       unambiguous; the original status is in the message)
#   70  internal error (shim not found, no temp dir)
#   71  --info/--info-all: the script has no dns_<name>_info block
# On every failure one line is appended to $DNS01_ERR_FILE (if set) unless
# the hook already reported its own error with _err.
#
# Environment (set by the caller):
#   DNS01_ACCOUNT_CONF, DNS01_DOMAIN_CONF  conf files kept between add and rm
#       (when unset a throw-away file in the run's temp dir is used)
#   DNS01_ERR_FILE  file the _err lines are appended to
#   DNS01_SHIM      path of acmesh-shim.sh (default: next to this script)
#   DNS01_OUTPUT_INSECURE=1  let _secure_debug* show values
#   DEBUG (0-3), NO_TIMESTAMP, USER_AGENT, HTTPS_INSECURE, and the script's
#   own credential variables.

EX_NOSCRIPT=64
EX_NOFUNC=65
EX_NOTOOL=66
EX_USAGE=67
EX_SOURCE=68
EX_HOOKSTATUS=69
EX_INTERNAL=70
EX_NOINFO=71

case "$0" in
  */*) _dns01_run_dir=${0%/*} ;;
  *) _dns01_run_dir=. ;;
esac
_dns01_shim=${DNS01_SHIM:-$_dns01_run_dir/acmesh-shim.sh}

# Messages before the shim is loaded.
_dns01_fail() {
  _dns01_fail_code=$1
  shift
  printf 'acmesh-run: %s\n' "$*" >&2
  if [ -n "${DNS01_ERR_FILE:-}" ]; then
    printf '%s' "$*" | tr '\r\n' '  ' >>"$DNS01_ERR_FILE" 2>/dev/null
    printf '\n' >>"$DNS01_ERR_FILE" 2>/dev/null
  fi
  exit "$_dns01_fail_code"
}

_dns01_usage() {
  cat >&2 <<'EOF'
usage: acmesh-run.sh <scriptsDir> <dns_name> add|rm <fqdn> <value>
       acmesh-run.sh --check-tools
       acmesh-run.sh --info <scriptsDir> <dns_name>
       acmesh-run.sh --info-all <scriptsDir> <dns_name>
EOF
}

[ -r "$_dns01_shim" ] || _dns01_fail "$EX_INTERNAL" "shim library not found: $_dns01_shim"
# shellcheck source=acmesh-shim.sh
. "$_dns01_shim" || _dns01_fail "$EX_INTERNAL" "cannot load shim library: $_dns01_shim"

_dns01_check_name() {
  case "$1" in
    dns_*) ;;
    *) _dns01_usage; _dns01_fail "$EX_USAGE" "bad script name '$1': expected dns_<name>" ;;
  esac
  case "$1" in
    dns_ | *[!A-Za-z0-9_]*) _dns01_usage; _dns01_fail "$EX_USAGE" "bad script name '$1': only letters, digits and _ are allowed" ;;
  esac
}

_dns01_script_file() {
  _dns01_sf="$1/$2.sh"
  if [ ! -f "$_dns01_sf" ] || [ ! -r "$_dns01_sf" ]; then
    _dns01_fail "$EX_NOSCRIPT" "dnsapi script not found or not readable: $_dns01_sf"
  fi
}

# --check-tools
_dns01_check_tools_report() {
  _dns01_ct_bad=0
  for _dns01_t in $_dns01_required_tools; do
    if _exists "$_dns01_t"; then
      printf 'required %s ok\n' "$_dns01_t"
    else
      printf 'required %s MISSING\n' "$_dns01_t"
      _dns01_ct_bad=1
    fi
  done
  if _exists openssl; then
    printf 'required openssl ok (digests, HMAC)\n'
  else
    _dns01_ct_sum=ok
    for _dns01_t in $_dns01_sum_tools; do _exists "$_dns01_t" || _dns01_ct_sum=MISSING; done
    if [ "$_dns01_ct_sum" = ok ]; then
      printf 'required openssl missing, using %s instead ok\n' "$(printf '%s' "$_dns01_sum_tools" | tr ' ' ',')"
    else
      printf 'required openssl MISSING (or all of: %s)\n' "$_dns01_sum_tools"
      _dns01_ct_bad=1
    fi
  fi
  if _exists grep && printf 'ab\n' | grep -E -o -e 'b' >/dev/null 2>&1; then
    printf 'required grep -E -o ok\n'
  else
    printf 'required grep -E -o MISSING\n'
    _dns01_ct_bad=1
  fi
  for _dns01_t in idn2:'_idn (non-ASCII names; or idn)' idn:'_idn (non-ASCII names; or idn2)' \
    openssl:'_sign, _isRSA, sha224/sha384/sha3-256' sha3sum:'sha3-256 without openssl'; do
    _dns01_tn=${_dns01_t%%:*}
    if _exists "$_dns01_tn"; then
      printf 'optional %s ok\n' "$_dns01_tn"
    else
      printf 'optional %s missing: %s\n' "$_dns01_tn" "${_dns01_t#*:}"
    fi
  done
  if [ "$_dns01_ct_bad" -ne 0 ]; then
    printf 'missing required tools: %s\n' "$(_dns01_missing_tools)" >&2
    return "$EX_NOTOOL"
  fi
  return 0
}

# --info / --info-all: parse the dns_<name>_info='...' block as text.
_dns01_info() {
  _dns01_in_mode=$1 _dns01_in_file=$2 _dns01_in_var="$3_info"
  LC_ALL=C awk -v var="$_dns01_in_var" -v mode="$_dns01_in_mode" '
    BEGIN { q = sprintf("%c", 39); state = 0; found = 0; n = 0 }
    state == 0 {
      line = $0; sub(/^[ \t]*/, "", line)
      if (index(line, var "=" q) == 1) {
        found = 1; rest = substr(line, length(var) + 3)
        p = index(rest, q)
        if (p > 0) { blk[++n] = substr(rest, 1, p - 1); state = 2 } else { blk[++n] = rest; state = 1 }
      }
      next
    }
    state == 1 {
      p = index($0, q)
      if (p > 0) { blk[++n] = substr($0, 1, p - 1); state = 2 } else blk[++n] = $0
      next
    }
    END {
      if (!found) exit 3
      sect = ""; ind = -1
      for (i = 1; i <= n; i++) {
        l = blk[i]
        if (l ~ /^[ \t]*$/) continue
        if (l !~ /^[ \t]/) {
          # a header line such as "Options:" starts a section; anything else ends it
          sect = ""; ind = -1
          if (l ~ /^(Options|OptionsAlt|Optional):/) {
            sect = l; sub(/:.*/, "", sect)
            tail = l; sub(/^[^:]*:[ \t]*/, "", tail)
            if (tail != "") { l = " " tail } else continue
          } else continue
        }
        if (sect == "") continue
        match(l, /^[ \t]*/); w = RLENGTH
        if (ind < 0) ind = w
        if (w > ind) continue
        body = substr(l, w + 1)
        name = body; sub(/[ \t].*/, "", name)
        desc = substr(body, length(name) + 1); sub(/^[ \t]*/, "", desc)
        if (name !~ /^[A-Za-z_][A-Za-z0-9_]*$/) continue
        if (mode == "all") printf "%s\t%s\t%s\n", sect, name, desc
        else if (sect == "Options") print name
      }
    }' "$_dns01_in_file"
  _dns01_in_ret=$?
  if [ "$_dns01_in_ret" -eq 3 ]; then
    _dns01_fail "$EX_NOINFO" "$_dns01_in_file has no $_dns01_in_var block"
  fi
  [ "$_dns01_in_ret" -eq 0 ] || _dns01_fail "$EX_INTERNAL" "cannot read $_dns01_in_file"
}

case "${1:-}" in
  --check-tools)
    [ $# -eq 1 ] || { _dns01_usage; _dns01_fail "$EX_USAGE" "--check-tools takes no arguments"; }
    _dns01_check_tools_report
    exit $?
    ;;
  --info | --info-all)
    [ $# -eq 3 ] || { _dns01_usage; _dns01_fail "$EX_USAGE" "$1 needs <scriptsDir> <dns_name>"; }
    _dns01_check_name "$3"
    _dns01_script_file "$2" "$3"
    if [ "$1" = --info ]; then _dns01_info options "$_dns01_sf" "$3"; else _dns01_info all "$_dns01_sf" "$3"; fi
    exit 0
    ;;
  -h | --help)
    _dns01_usage
    exit 0
    ;;
  -*)
    _dns01_usage
    _dns01_fail "$EX_USAGE" "unknown option $1"
    ;;
esac

if [ $# -ne 5 ]; then
  _dns01_usage
  _dns01_fail "$EX_USAGE" "expected 5 arguments, got $#"
fi
_dns01_dir=$1 _dns01_name=$2 _dns01_action=$3 _dns01_fqdn=$4 _dns01_value=$5
case "$_dns01_action" in
  add | rm) ;;
  *) _dns01_usage; _dns01_fail "$EX_USAGE" "action must be add or rm, not '$_dns01_action'" ;;
esac
_dns01_check_name "$_dns01_name"
[ -n "$_dns01_fqdn" ] || _dns01_fail "$EX_USAGE" "empty fqdn"
[ -n "$_dns01_value" ] || _dns01_fail "$EX_USAGE" "empty TXT value"
_dns01_script_file "$_dns01_dir" "$_dns01_name"

_dns01_missing=$(_dns01_missing_tools)
[ -z "$_dns01_missing" ] || _dns01_fail "$EX_NOTOOL" "missing required tools: $_dns01_missing"

umask 077
DNS01_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/acmesh-run.XXXXXX") || _dns01_fail "$EX_INTERNAL" "cannot create a temp dir"
export DNS01_TMPDIR
trap 'rm -rf "$DNS01_TMPDIR"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

HTTP_HEADER="$DNS01_TMPDIR/http.header"
: >"$HTTP_HEADER"
if [ -z "${DNS01_ACCOUNT_CONF:-}" ]; then
  DNS01_ACCOUNT_CONF="$DNS01_TMPDIR/account.conf"
  _debug "DNS01_ACCOUNT_CONF is not set; account conf will not persist"
fi
if [ -z "${DNS01_DOMAIN_CONF:-}" ]; then
  DNS01_DOMAIN_CONF="$DNS01_TMPDIR/domain.conf"
  _debug "DNS01_DOMAIN_CONF is not set; domain conf will not persist"
fi
[ -e "$DNS01_ACCOUNT_CONF" ] || : >"$DNS01_ACCOUNT_CONF" || _dns01_fail "$EX_INTERNAL" "cannot create $DNS01_ACCOUNT_CONF"
[ -e "$DNS01_DOMAIN_CONF" ] || : >"$DNS01_DOMAIN_CONF" || _dns01_fail "$EX_INTERNAL" "cannot create $DNS01_DOMAIN_CONF"
ACCOUNT_CONF_PATH=$DNS01_ACCOUNT_CONF
DOMAIN_CONF=$DNS01_DOMAIN_CONF
export HTTP_HEADER DNS01_ACCOUNT_CONF DNS01_DOMAIN_CONF ACCOUNT_CONF_PATH DOMAIN_CONF USER_AGENT
if [ "${DNS01_OUTPUT_INSECURE:-}" = 1 ]; then
  OUTPUT_INSECURE=1
  export OUTPUT_INSECURE
else
  unset OUTPUT_INSECURE
fi
unset _H1 _H2 _H3 _H4 _H5 response _ret

_dns01_fn="${_dns01_name}_${_dns01_action}"
_debug "running" "$_dns01_fn $_dns01_fqdn"
(
  set --
  # shellcheck disable=SC1090
  . "$_dns01_sf"
  : >"$DNS01_TMPDIR/.sourced"
  if [ "$(command -v "$_dns01_fn" 2>/dev/null)" != "$_dns01_fn" ]; then
    : >"$DNS01_TMPDIR/.nofunc"
    exit "$EX_NOFUNC"
  fi
  "$_dns01_fn" "$_dns01_fqdn" "$_dns01_value"
) </dev/null 1>&2
_dns01_st=$?

if [ ! -e "$DNS01_TMPDIR/.sourced" ]; then
  _dns01_fail "$EX_SOURCE" "loading $_dns01_sf failed (status $_dns01_st)"
fi
if [ -e "$DNS01_TMPDIR/.nofunc" ]; then
  _dns01_fail "$EX_NOFUNC" "$_dns01_sf does not define $_dns01_fn"
fi
[ "$_dns01_st" -eq 0 ] && exit 0
if [ "$_dns01_st" -lt 64 ]; then
  if [ -e "$DNS01_TMPDIR/.err_called" ]; then
    exit "$_dns01_st"
  fi
  _dns01_fail "$_dns01_st" "$_dns01_fn failed with status $_dns01_st"
fi
if [ -e "$DNS01_TMPDIR/.err_called" ]; then
  printf 'acmesh-run: %s failed with status %s (exit %s)\n' "$_dns01_fn" "$_dns01_st" "$EX_HOOKSTATUS" >&2
  exit "$EX_HOOKSTATUS"
fi
_dns01_fail "$EX_HOOKSTATUS" "$_dns01_fn failed with status $_dns01_st"
