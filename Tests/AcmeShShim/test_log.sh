# Logging: _info/_debug*/_secure_debug*/_err.
. "$TEST_DIR/lib.sh"
. "$SHIM"

E="$T_TMP/stderr"
SECRET='s3cr3t-Value'

# _info: stderr, prefixed, stdout untouched
out=$(NO_TIMESTAMP=1 _info "hello" 2>"$E")
t_eq "info keeps stdout clean" "" "$out"
t_eq "info line" "acmesh info: hello" "$(cat "$E")"
NO_TIMESTAMP=1 _info "name" "value" 2>"$E"
t_eq "info with value" "acmesh info: name='value'" "$(cat "$E")"
_info "stamped" 2>"$E"
case "$(cat "$E")" in
  "["[0-9][0-9][0-9][0-9]-*"Z] acmesh info: stamped") t_pass "info timestamp" ;;
  *) t_fail "info timestamp" "$(cat "$E")" ;;
esac

# _debug levels
export NO_TIMESTAMP=1
unset DEBUG
{ _debug d1; _debug2 d2; _debug3 d3; } 2>"$E"
t_eq "debug silent by default" "" "$(cat "$E")"
DEBUG=1
{ _debug d1 v; _debug2 d2; _debug3 d3; } 2>"$E"
t_eq "DEBUG=1 shows _debug only" "acmesh debug: d1='v'" "$(cat "$E")"
DEBUG=2
{ _debug d1; _debug2 d2; _debug3 d3; } 2>"$E"
t_eq "DEBUG=2" "$(printf 'acmesh debug: d1\nacmesh debug2: d2')" "$(cat "$E")"
DEBUG=3
{ _debug d1; _debug2 d2; _debug3 d3; } 2>"$E"
t_eq "DEBUG=3" "$(printf 'acmesh debug: d1\nacmesh debug2: d2\nacmesh debug3: d3')" "$(cat "$E")"
t_true "debug returns 0 when silent" sh -c ". '$SHIM'; DEBUG=0; _debug3 x"
DEBUG=yes
_debug d1 2>"$E"
t_eq "non-numeric DEBUG counts as 1" "acmesh debug: d1" "$(cat "$E")"

# _secure_debug: never the value unless DNS01_OUTPUT_INSECURE=1
for DEBUG in 0 1 2 3; do
  { _secure_debug token "$SECRET"; _secure_debug2 token "$SECRET"; _secure_debug3 token "$SECRET"; } 2>"$E"
  t_hasnt "secure_debug hides value at DEBUG=$DEBUG" "$(cat "$E")" "$SECRET"
done
DEBUG=3
_secure_debug token "$SECRET" 2>"$E"
t_has "secure_debug still names the field" "$(cat "$E")" "token="
OUTPUT_INSECURE=1 _secure_debug3 token "$SECRET" 2>"$E"
t_hasnt "acme.sh's OUTPUT_INSECURE alone does not unlock" "$(cat "$E")" "$SECRET"
DNS01_OUTPUT_INSECURE=1 _secure_debug2 token "$SECRET" 2>"$E"
t_eq "DNS01_OUTPUT_INSECURE=1 shows the value" "acmesh debug2: token='$SECRET'" "$(cat "$E")"
DEBUG=1
DNS01_OUTPUT_INSECURE=1 _secure_debug2 token "$SECRET" 2>"$E"
t_eq "insecure output still needs the debug level" "" "$(cat "$E")"
unset DEBUG

# _err: stderr + one line per call in DNS01_ERR_FILE, returns 1
DNS01_ERR_FILE="$T_TMP/err.txt"
out=$(_err "first failure" 2>"$E")
t_eq "err keeps stdout clean" "" "$out"
t_eq "err on stderr" "acmesh error: first failure" "$(cat "$E")"
t_false "err returns 1" _err "x" 2>/dev/null
_err "API said" '{"error":"bad token"}' 2>/dev/null
_err "$(printf 'multi\nline\r\nmessage')" 2>/dev/null
t_eq "err file lines" "$(printf 'first failure\nx\nAPI said='"'"'{"error":"bad token"}'"'"'\nmulti line  message')" "$(cat "$DNS01_ERR_FILE")"
t_eq "err file: last line is the last _err" "multi line  message" "$(tail -n 1 "$DNS01_ERR_FILE")"
unset DNS01_ERR_FILE
t_false "err without err file still returns 1" _err "y" 2>/dev/null
t_done
