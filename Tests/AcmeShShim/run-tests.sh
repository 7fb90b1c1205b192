#!/bin/sh
# Runs every test_*.sh here under dash and, if installed, BusyBox sh (with
# BusyBox's own applets first on PATH, so its sed/grep/awk/od/... are used).
# Prints each check, then a last line "N passed, N failed"; exits 1 on any
# failure. Part of dns01-webhook (Apache-2.0).
#
# Usage: sh Tests/AcmeShShim/run-tests.sh [test_name.sh ...]
#   ACMESH_TEST_SHELLS="dash busybox"  choose the shells (default: both found)

case "$0" in */*) TEST_DIR=${0%/*} ;; *) TEST_DIR=. ;; esac
TEST_DIR=$(cd "$TEST_DIR" && pwd) || exit 2
SHIM_DIR=$(cd "$TEST_DIR/../../shims/acmesh" && pwd) || exit 2
export TEST_DIR SHIM_DIR

if [ $# -gt 0 ]; then
  tests=$*
else
  tests=''
  for f in "$TEST_DIR"/test_*.sh; do tests="$tests ${f##*/}"; done
fi

shells=${ACMESH_TEST_SHELLS:-}
if [ -z "$shells" ]; then
  command -v dash >/dev/null 2>&1 && shells="dash"
  command -v busybox >/dev/null 2>&1 && shells="$shells busybox"
fi
[ -n "$shells" ] || { echo "neither dash nor busybox is installed" >&2; echo "0 passed, 1 failed"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/acmesh-tests.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

timeout_cmd=''
command -v timeout >/dev/null 2>&1 && timeout_cmd='timeout 300'

passed=0
failed=0
for sh in $shells; do
  path=$PATH
  case "$sh" in
    dash) shell_cmd=dash ;;
    busybox)
      shell_cmd='busybox sh'
      mkdir -p "$work/bb"
      # BusyBox applets for every tool the shim and the tests use
      for a in awk cat chmod cut date grep head mktemp mv od rm sed sleep tail tr \
        md5sum sha1sum sha256sum sha512sum sha3sum wc sort kill ls; do
        ln -sf "$(command -v busybox)" "$work/bb/$a"
      done
      path="$work/bb:$PATH"
      ;;
    *) shell_cmd=$sh ;;
  esac
  for t in $tests; do
    out="$work/out"
    PATH=$path TEST_SHELL=$shell_cmd $timeout_cmd $shell_cmd "$TEST_DIR/$t" >"$out" 2>"$work/err" </dev/null
    rc=$?
    n_ok=0
    n_bad=0
    while IFS= read -r line; do
      case "$line" in
        'ok - '*) n_ok=$((n_ok + 1)); printf '[%s] %s: %s\n' "$sh" "$t" "$line" ;;
        'not ok - '*) n_bad=$((n_bad + 1)); printf '[%s] %s: %s\n' "$sh" "$t" "$line" ;;
      esac
    done <"$out"
    if ! grep -q '^# done$' "$out" || [ "$rc" -ne 0 ]; then
      n_bad=$((n_bad + 1))
      printf '[%s] %s: not ok - test file ended early (exit %s); stderr:\n' "$sh" "$t" "$rc"
      sed 's/^/    /' "$work/err" | tail -n 20
    fi
    passed=$((passed + n_ok))
    failed=$((failed + n_bad))
  done
done
echo "shells: $shells"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
