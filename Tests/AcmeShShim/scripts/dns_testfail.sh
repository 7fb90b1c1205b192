#!/usr/bin/env sh
# shellcheck disable=SC2034
# Test fixture: failures of every kind, chosen by TESTFAIL_MODE.
dns_testfail_info='Failure fixture
Options:
 TESTFAIL_MODE one of: err3, silent2, big70, exit5, exit0, ok, stdout, env, tools
'
dns_testfail_add() {
  case "$TESTFAIL_MODE" in
    err3) _err "provider said no" "quota exceeded"; return 3 ;;
    silent2) return 2 ;;
    big70) _err "big failure"; return 70 ;;
    exit5) exit 5 ;;
    exit0) exit 0 ;;
    ok) _info "fine" "$1 $2"; return 0 ;;
    stdout) echo "to stdout"; _info "info line"; return 0 ;;
    env)
      printf 'args=%s|%s\n' "$1" "$2" >&2
      printf 'argc=%s\n' "$#" >&2
      printf 'H1=[%s] response=[%s]\n' "${_H1:-}" "${response:-}" >&2
      printf 'HTTP_HEADER=%s\n' "$HTTP_HEADER" >&2
      [ -f "$HTTP_HEADER" ] && echo "header file exists" >&2
      printf 'ACCOUNT_CONF_PATH=%s\nDOMAIN_CONF=%s\n' "$ACCOUNT_CONF_PATH" "$DOMAIN_CONF" >&2
      printf 'OUTPUT_INSECURE=[%s]\n' "${OUTPUT_INSECURE:-}" >&2
      read -r line && echo "stdin was readable" >&2
      return 0
      ;;
    *) _err "unknown mode"; return 1 ;;
  esac
}
dns_testfail_rm() {
  dns_testfail_add "$@"
}
