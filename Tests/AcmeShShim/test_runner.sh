# acmesh-run.sh: argument checks, exit codes, environment, --check-tools, --info.
. "$TEST_DIR/lib.sh"

export DNS01_ERR_FILE="$T_TMP/err"
export NO_TIMESTAMP=1
run() { t_run "$@" >"$T_TMP/out" 2>"$T_TMP/stderr"; }
lasterr() { tail -n 1 "$DNS01_ERR_FILE" 2>/dev/null; }

# usage errors: 67
run; t_eq "no arguments: 67" 67 "$?"
run "$SCRIPTS" dns_testfail add x; t_eq "four arguments: 67" 67 "$?"
run "$SCRIPTS" dns_testfail update x y; t_eq "bad action: 67" 67 "$?"
t_has "bad action message" "$(lasterr)" "action must be add or rm"
run "$SCRIPTS" ../dns_testfail add x y; t_eq "path in script name: 67" 67 "$?"
run "$SCRIPTS" dns_a-b add x y; t_eq "dash in script name: 67" 67 "$?"
run "$SCRIPTS" testfail add x y; t_eq "name without dns_: 67" 67 "$?"
run "$SCRIPTS" dns_ add x y; t_eq "bare dns_: 67" 67 "$?"
run "$SCRIPTS" dns_testfail add "" y; t_eq "empty fqdn: 67" 67 "$?"
run "$SCRIPTS" dns_testfail add x ""; t_eq "empty value: 67" 67 "$?"
run --bogus; t_eq "unknown option: 67" 67 "$?"

# 64 missing script, 65 missing function, 68 load failure, 70 no shim
run "$SCRIPTS" dns_nosuchscript add x y; t_eq "missing script: 64" 64 "$?"
t_has "missing script message" "$(lasterr)" "dns_nosuchscript.sh"
run "$T_TMP/nodir" dns_testfail add x y; t_eq "missing scripts dir: 64" 64 "$?"
run "$SCRIPTS" dns_testnofunc rm x y; t_eq "missing rm function: 65" 65 "$?"
t_has "missing function message" "$(lasterr)" "does not define dns_testnofunc_rm"
run "$SCRIPTS" dns_testnofunc add x y; t_eq "add present: 0" 0 "$?"
run "$SCRIPTS" dns_testbroken add x y; t_eq "syntax error: 68" 68 "$?"
t_has "syntax error message" "$(lasterr)" "loading"
DNS01_SHIM=/nonexistent/shim.sh run "$SCRIPTS" dns_testfail add x y; t_eq "no shim: 70" 70 "$?"

# hook statuses
TESTFAIL_MODE=ok run "$SCRIPTS" dns_testfail add x y; t_eq "ok: 0" 0 "$?"
TESTFAIL_MODE=ok run "$SCRIPTS" dns_testfail rm x y; t_eq "ok rm: 0" 0 "$?"
TESTFAIL_MODE=err3 run "$SCRIPTS" dns_testfail add x y; t_eq "hook status 3 passed through" 3 "$?"
t_eq "hook's _err is the last err line" "provider said no='quota exceeded'" "$(lasterr)"
TESTFAIL_MODE=silent2 run "$SCRIPTS" dns_testfail add x y; t_eq "silent hook status 2" 2 "$?"
t_eq "runner explains a silent failure" "dns_testfail_add failed with status 2" "$(lasterr)"
TESTFAIL_MODE=big70 run "$SCRIPTS" dns_testfail add x y; t_eq "hook status 70 remapped to 69" 69 "$?"
t_eq "remapped: hook's _err kept last" "big failure" "$(lasterr)"
t_has "remapped: original status on stderr" "$(cat "$T_TMP/stderr")" "failed with status 70"
TESTFAIL_MODE=exit5 run "$SCRIPTS" dns_testfail add x y; t_eq "hook exit 5" 5 "$?"
TESTFAIL_MODE=exit0 run "$SCRIPTS" dns_testfail add x y; t_eq "hook exit 0" 0 "$?"
TESTFAIL_MODE=stdout run "$SCRIPTS" dns_testfail add x y
t_eq "runner stdout stays empty" "" "$(cat "$T_TMP/out")"
t_has "hook stdout goes to stderr" "$(cat "$T_TMP/stderr")" "to stdout"
t_has "info goes to stderr" "$(cat "$T_TMP/stderr")" "acmesh info: info line"

# environment seen by the hook
export _H1="X-Stale: 1" response=stale OUTPUT_INSECURE=1
value="a b'c\"\$(d)"
DNS01_ACCOUNT_CONF="$T_TMP/a.conf" DNS01_DOMAIN_CONF="$T_TMP/d.conf" TESTFAIL_MODE=env \
  run "$SCRIPTS" dns_testfail add _acme-challenge.x.test "$value"
t_eq "env hook: 0" 0 "$?"
e=$(cat "$T_TMP/stderr")
t_has "fqdn and value passed exactly" "$e" "args=_acme-challenge.x.test|$value"
t_has "exactly two arguments" "$e" "argc=2"
t_has "_H1 and response cleared" "$e" "H1=[] response=[]"
t_has "HTTP_HEADER file ready" "$e" "header file exists"
t_has "ACCOUNT_CONF_PATH from DNS01_ACCOUNT_CONF" "$e" "ACCOUNT_CONF_PATH=$T_TMP/a.conf"
t_has "DOMAIN_CONF from DNS01_DOMAIN_CONF" "$e" "DOMAIN_CONF=$T_TMP/d.conf"
t_has "OUTPUT_INSECURE dropped" "$e" "OUTPUT_INSECURE=[]"
t_hasnt "stdin is empty" "$e" "stdin was readable"
t_true "conf files created" [ -f "$T_TMP/a.conf" ] && t_true "domain conf created" [ -f "$T_TMP/d.conf" ]
DNS01_OUTPUT_INSECURE=1 TESTFAIL_MODE=env run "$SCRIPTS" dns_testfail add x y
t_has "OUTPUT_INSECURE set by DNS01_OUTPUT_INSECURE" "$(cat "$T_TMP/stderr")" "OUTPUT_INSECURE=[1]"
unset _H1 response OUTPUT_INSECURE
hh=$(sed -n 's/^HTTP_HEADER=//p' "$T_TMP/stderr")
t_false "temp dir removed afterwards" [ -e "$hh" ]

# --check-tools
run --check-tools
t_eq "check-tools: 0" 0 "$?"
t_has "check-tools lists curl" "$(cat "$T_TMP/out")" "required curl ok"
t_has "check-tools lists optional idn" "$(cat "$T_TMP/out")" "optional idn"
# a PATH with everything but curl
mkdir -p "$T_TMP/nocurl"
for t in awk cat chmod date grep head mktemp mv od rm sed sleep tail tr openssl tr; do
  p=$(command -v "$t") && ln -sf "$p" "$T_TMP/nocurl/$t"
done
set -- $TEST_SHELL
sh_abs=$(command -v "$1")
shift
PATH="$T_TMP/nocurl" "$sh_abs" "$@" "$RUNNER" --check-tools >"$T_TMP/out" 2>"$T_TMP/stderr"
t_eq "check-tools without curl: 66" 66 "$?"
t_has "check-tools names curl" "$(cat "$T_TMP/out")" "required curl MISSING"
t_has "check-tools stderr summary" "$(cat "$T_TMP/stderr")" "missing required tools: curl"
PATH="$T_TMP/nocurl" "$sh_abs" "$@" "$RUNNER" "$SCRIPTS" dns_testfail add x y >"$T_TMP/out" 2>"$T_TMP/stderr"
t_eq "run without curl: 66" 66 "$?"
t_eq "run without curl: err line" "missing required tools: curl" "$(lasterr)"
# no openssl but the *sum tools: fine; neither: missing
rm -f "$T_TMP/nocurl/openssl"
ln -sf "$(command -v curl)" "$T_TMP/nocurl/curl"
PATH="$T_TMP/nocurl" "$sh_abs" "$@" "$RUNNER" --check-tools >"$T_TMP/out" 2>"$T_TMP/stderr"
t_eq "check-tools without openssl or sums: 66" 66 "$?"
t_has "check-tools names the digest alternative" "$(cat "$T_TMP/stderr")" "openssl(or: md5sum sha1sum sha256sum sha512sum)"
for t in md5sum sha1sum sha256sum sha512sum; do ln -sf "$(command -v "$t")" "$T_TMP/nocurl/$t"; done
PATH="$T_TMP/nocurl" "$sh_abs" "$@" "$RUNNER" --check-tools >"$T_TMP/out" 2>"$T_TMP/stderr"
t_eq "check-tools with sums instead of openssl: 0" 0 "$?"

# --info / --info-all
run --info "$SCRIPTS" dns_testapi
t_eq "info: 0" 0 "$?"
t_eq "info lists Options variables" "$(printf 'TESTAPI_Token\nTESTAPI_Url')" "$(cat "$T_TMP/out")"
run --info-all "$SCRIPTS" dns_testapi
t_eq "info-all sections" "$(printf 'Options\tTESTAPI_Token\tAPI token\nOptions\tTESTAPI_Url\tAPI base URL, e.g. "http://127.0.0.1:8080/v1"\nOptionsAlt\tTESTAPI_Key\tLegacy key (not used)\nOptional\tTESTAPI_TTL\tRecord TTL. Default: "120".')" "$(cat "$T_TMP/out")"
run --info "$SCRIPTS" dns_testfail
t_eq "info one-option block" "TESTFAIL_MODE" "$(cat "$T_TMP/out")"
run --info "$SCRIPTS" dns_testnofunc
t_eq "info without a block: 71" 71 "$?"
run --info "$SCRIPTS" dns_nosuch
t_eq "info missing script: 64" 64 "$?"
run --info "$SCRIPTS"
t_eq "info wrong arguments: 67" 67 "$?"
mkdir -p "$T_TMP/s"
cat >"$T_TMP/s/dns_sneaky.sh" <<SNEAKY
touch "$T_TMP/executed"
  dns_sneaky_info='Sneaky
Options:
	SNEAKY_A tab-indented
	SNEAKY_B second
Optional: SNEAKY_C inline after the header
'
dns_sneaky_info_more='not this one
Options:
 WRONG_ONE x
'
SNEAKY
run --info "$T_TMP/s" dns_sneaky
t_eq "info: tab indentation" "$(printf 'SNEAKY_A\nSNEAKY_B')" "$(cat "$T_TMP/out")"
t_false "info never executes the script" [ -e "$T_TMP/executed" ]
run --info-all "$T_TMP/s" dns_sneaky
t_has "info-all: option on the header line" "$(cat "$T_TMP/out")" "$(printf 'Optional\tSNEAKY_C\tinline after the header')"
t_hasnt "info-all: other variable ignored" "$(cat "$T_TMP/out")" "WRONG_ONE"
t_done
