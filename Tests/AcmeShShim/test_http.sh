# _get/_post against a loopback Python peer (peers/http_peer.py).
. "$TEST_DIR/lib.sh"
. "$SHIM"

t_start_peer http_peer.py 120 || { t_done; exit 0; }
B="http://127.0.0.1:$PEER_PORT"
DNS01_TMPDIR=$T_TMP
HTTP_HEADER="$T_TMP/http.header"
DNS01_ERR_FILE="$T_TMP/err"
CR=$(printf '\r')
status() { grep '^HTTP' "$HTTP_HEADER" | _tail_n 1 | cut -d ' ' -f 2; }
hexof() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

# _get with _H1.._H5
export _H1="X-One: 1" _H2="X-Two: two words" _H3="X-Three: a\"b\\c" _H4="" _H5="X-Five: 5"
USER_AGENT="shim-test/1"
r=$(_get "$B/echo?q=1")
rc=$?
t_eq "get status 0" 0 "$rc"
t_has "get method" "$r" '"method": "GET"'
t_has "get path with query" "$r" '"path": "/echo?q=1"'
t_has "get _H1 sent" "$r" '["X-One", "1"]'
t_has "get _H2 sent" "$r" '["X-Two", "two words"]'
t_has "get _H3 quote and backslash exact" "$r" '["X-Three", "a\"b\\c"]'
t_has "get _H5 sent" "$r" '["X-Five", "5"]'
t_has "get user agent" "$r" '["User-Agent", "shim-test/1"]'
t_hasnt "get empty _H4 not sent" "$r" '["", ""]'
t_eq "get status line in HTTP_HEADER" "HTTP/1.1 200 OK$CR" "$(grep '^HTTP' "$HTTP_HEADER")"
t_eq "get response header saved" "X-Peer: http_peer$CR" "$(grep -i '^x-peer' "$HTTP_HEADER")"
unset _H1 _H2 _H3 _H4 _H5

# _post: default POST, form content type, exact body
body="$(printf '@not-a-file {"a": "b"}\nline2 é %%s $(x)')"
r=$(_post "$body" "$B/echo")
t_eq "post status 0" 0 "$?"
t_has "post method" "$r" '"method": "POST"'
t_has "post default content type" "$r" '["Content-Type", "application/x-www-form-urlencoded"]'
t_has "post body bytes exact" "$r" "\"body_hex\": \"$(hexof "$body")\""
r=$(_post '{"k":"v"}' "$B/echo" "" "" "application/json")
t_has "post content_type argument" "$r" '["Content-Type", "application/json"]'
t_hasnt "post content_type replaces the default" "$r" 'x-www-form-urlencoded'
_H1="Content-Type: text/plain"
r=$(_post '{"k":"v"}' "$B/echo" "" POST "application/json")
t_has "post content type from _H1 kept" "$r" '"Content-Type", "text/plain"]'
t_has "post content type argument also sent" "$r" '"Content-Type", "application/json"]'
unset _H1

# methods
for m in PUT DELETE PATCH; do
  r=$(_post '{"x":1}' "$B/echo" "" "$m" "application/json")
  t_has "post method $m" "$r" "\"method\": \"$m\""
  t_has "post method $m body" "$r" '"body": "{\"x\":1}"'
done
r=$(_post "" "$B/echo" "" DELETE)
t_has "DELETE with empty body" "$r" '"method": "DELETE"'
r=$(_post "" "$B/echo" "" GET)
t_has "_post GET" "$r" '"method": "GET"'

# non-2xx: body still returned, status 0, code readable from HTTP_HEADER
_H1="Authorization: Bearer tok"
r=$(_post '{"a":1}' "$B/status/404" "" "" "application/json")
rc=$?
t_eq "post 404 returns 0" 0 "$rc"
t_has "post 404 body returned" "$r" '"path": "/status/404"'
t_eq "post 404 status from HTTP_HEADER" 404 "$(status)"
r=$(_get "$B/status/500")
t_eq "get 500 returns 0" 0 "$?"
t_has "get 500 body returned" "$r" '"path": "/status/500"'
t_eq "get 500 status from HTTP_HEADER" 500 "$(status)"
_get "$B/status/429" >/dev/null
t_eq "429 Retry-After readable" "7" "$(grep -i '^Retry-After' "$HTTP_HEADER" | cut -d ' ' -f 2 | tr -d '\r')"
unset _H1

# needbase64: any non-empty value, even "false"
r=$(_post 'x' "$B/echo" false)
t_has "needbase64=false still base64" "$(printf '%s' "$r" | _dbase64)" '"body": "x"'
t_hasnt "needbase64 output is not JSON" "$r" '"method"'

# globals response/_ret when called directly
_post 'direct' "$B/status/201" >/dev/null
t_eq "_ret set" 0 "$_ret"
t_has "response set" "$response" '"body": "direct"'

# HEAD: _get url onlyheader prints the headers
r=$(_get "$B/echo" onlyheader)
t_has "get onlyheader prints headers" "$r" "X-Peer: http_peer"
t_hasnt "get onlyheader no body" "$r" '"method"'
r=$(_post "" "$B/echo" "" HEAD)
t_has "post HEAD" "$r" "HTTP/1.1 200"

# redirects: followed, one status line per hop
r=$(_get "$B/redirect/2")
t_has "redirect followed" "$r" '"path": "/echo"'
t_eq "one status line per hop" "302 302 200" "$(grep '^HTTP' "$HTTP_HEADER" | cut -d ' ' -f 2 | tr '\n' ' ' | sed 's/ $//')"
t_eq "status idiom takes the last hop" 200 "$(status)"
r=$(ACME_HTTP_NO_REDIRECTS=1 _get "$B/redirect/1")
t_eq "ACME_HTTP_NO_REDIRECTS stops at 302" 302 "$(status)"

# timeout argument accepted
r=$(_get "$B/echo" "" 5)
t_has "get with timeout" "$r" '"method": "GET"'

# a large body
big=$(awk 'BEGIN { for (i = 0; i < 3000; i++) printf "0123456789" }')
r=$(_post "$big" "$B/echo")
t_has "30 kB body" "$r" "\"body\": \"$big\""

# secrets never on curl's argv and never in debug output
SECRET=Zx9SECRETvalue
real=$(command -v curl)
mkdir -p "$T_TMP/wrap"
printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s"\nexec "%s" "$@"\n' "$T_TMP/curl-argv" "$real" >"$T_TMP/wrap/curl"
chmod +x "$T_TMP/wrap/curl"
OLDPATH=$PATH
PATH="$T_TMP/wrap:$PATH"
_H2="Authorization: Bearer $SECRET"
r=$(DEBUG=3 _post "{\"password\":\"$SECRET\"}" "$B/echo?key=$SECRET" "" "" "application/json" 2>"$T_TMP/dbg")
t_has "secret request went through" "$r" "Bearer $SECRET"
r=$(DEBUG=3 _get "$B/echo?key=$SECRET" 2>>"$T_TMP/dbg")
PATH=$OLDPATH
unset _H2
t_true "curl wrapper was used" [ -s "$T_TMP/curl-argv" ]
t_hasnt "secret not on curl argv" "$(cat "$T_TMP/curl-argv")" "$SECRET"
t_has "debug output exists" "$(cat "$T_TMP/dbg")" "acmesh debug: POST='http://127.0.0.1:$PEER_PORT/echo'"
t_hasnt "secret not in DEBUG=3 output" "$(cat "$T_TMP/dbg")" "$SECRET"

# connection refused: curl's code, empty header file, an _err line
port=$PEER_PORT
t_stop_peer "$PEER_PID"
: >"$DNS01_ERR_FILE"
r=$(_get "http://127.0.0.1:$port/echo" 2>/dev/null)
rc=$?
t_eq "connection refused returns curl code 7" 7 "$rc"
t_eq "connection refused: empty body" "" "$r"
t_eq "connection refused: empty header file" "" "$(cat "$HTTP_HEADER")"
t_has "connection refused: _err line" "$(cat "$DNS01_ERR_FILE")" "curl exit 7"
r=$(_post "x" "http://127.0.0.1:$port/echo" 2>/dev/null)
t_eq "post connection refused returns 7" 7 "$?"

# HTTPS: verified by default; HTTPS_INSECURE=1 skips verification
if openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 \
  -keyout "$T_TMP/tls.key" -out "$T_TMP/tls.crt" >/dev/null 2>&1; then
  t_start_peer http_peer.py 60 "$T_TMP/tls.crt" "$T_TMP/tls.key"
  r=$(_get "https://127.0.0.1:$PEER_PORT/echo" 2>/dev/null)
  t_eq "https self-signed rejected (curl 60)" 60 "$?"
  r=$(HTTPS_INSECURE=1 _get "https://127.0.0.1:$PEER_PORT/echo")
  t_eq "HTTPS_INSECURE=1 accepted" 0 "$?"
  t_has "HTTPS_INSECURE=1 body" "$r" '"method": "GET"'
  t_stop_peer "$PEER_PID"
fi

# HTTP_HEADER created on demand when unset
unset HTTP_HEADER
_dns01_header_file
t_true "HTTP_HEADER created when unset" [ -f "$HTTP_HEADER" ]
t_done
