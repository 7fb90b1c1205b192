# shellcheck shell=sh
# Tiny assertion library for the acmesh shim tests (dns01-webhook, Apache-2.0).
# A test file sources this, prints one "ok - NAME" / "not ok - NAME: why"
# line per check, and ends with t_done ("# done"); run-tests.sh counts them.
# Provided by run-tests.sh: TEST_DIR, SHIM_DIR, TEST_SHELL.

: "${TEST_DIR:?run through run-tests.sh}"
: "${SHIM_DIR:?run through run-tests.sh}"
: "${TEST_SHELL:=sh}"
SHIM="$SHIM_DIR/acmesh-shim.sh"
RUNNER="$SHIM_DIR/acmesh-run.sh"
SCRIPTS="$TEST_DIR/scripts"
PEERS="$TEST_DIR/peers"

T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/acmesh-test.XXXXXX") || exit 1
T_PEERS=''
t_cleanup() {
  for _p in $T_PEERS; do kill "$_p" 2>/dev/null; done
  for _p in $T_PEERS; do wait "$_p" 2>/dev/null; done
  rm -rf "$T_TMP"
}
trap t_cleanup EXIT
trap 'exit 143' TERM INT

t_pass() { printf 'ok - %s\n' "$1"; }
t_fail() { printf 'not ok - %s: %s\n' "$1" "$2"; }

# t_eq NAME EXPECTED ACTUAL
t_eq() {
  if [ "$2" = "$3" ]; then t_pass "$1"; else t_fail "$1" "expected [$2] got [$3]"; fi
}
# t_has NAME HAYSTACK NEEDLE (literal substring)
t_has() {
  case "$2" in *"$3"*) t_pass "$1" ;; *) t_fail "$1" "[$3] not found in [$2]" ;; esac
}
t_hasnt() {
  case "$2" in *"$3"*) t_fail "$1" "[$3] unexpectedly found in [$2]" ;; *) t_pass "$1" ;; esac
}
# t_true NAME CMD... / t_false NAME CMD...
t_true() { _n=$1; shift; if "$@"; then t_pass "$_n"; else t_fail "$_n" "command failed: $*"; fi; }
t_false() { _n=$1; shift; if "$@"; then t_fail "$_n" "command succeeded: $*"; else t_pass "$_n"; fi; }
t_done() { printf '# done\n'; }

# hex of a file's bytes, one string
t_hexfile() { od -An -v -tx1 "$1" | tr -d ' \n'; }

# t_start_peer SCRIPT ARGS...: starts a Python peer on 127.0.0.1, sets
# PEER_PID and PEER_PORT. The peer writes its port to a file we wait for.
t_start_peer() {
  _pf="$T_TMP/peer.$$.$(date +%s).$#.port"
  rm -f "$_pf"
  _ps=$1
  shift
  python3 "$PEERS/$_ps" "$_pf" "$@" </dev/null >/dev/null 2>"$T_TMP/peer.err" &
  PEER_PID=$!
  T_PEERS="$T_PEERS $PEER_PID"
  _i=0
  while [ ! -s "$_pf" ] && [ "$_i" -lt 100 ]; do
    sleep 0.1
    _i=$((_i + 1))
  done
  if [ ! -s "$_pf" ]; then
    printf 'not ok - peer %s started: %s\n' "$_ps" "$(cat "$T_TMP/peer.err")"
    return 1
  fi
  PEER_PORT=$(cat "$_pf")
}

t_stop_peer() {
  kill "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  _np=''
  for _p in $T_PEERS; do [ "$_p" = "$1" ] || _np="$_np $_p"; done
  T_PEERS=$_np
}

# run the runner with the shell under test
t_run() { $TEST_SHELL "$RUNNER" "$@"; }
