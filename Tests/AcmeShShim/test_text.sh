# Text, arithmetic and system helpers.
. "$TEST_DIR/lib.sh"
. "$SHIM"

# _math: precedence, negatives, parentheses, no newline, bad input contained
t_eq "math precedence" 14 "$(_math 2 + 3 \* 4)"
t_eq "math parentheses" 20 "$(_math "(2 + 3) * 4")"
t_eq "math negative operand" -10 "$(_math 2 + 3 \* -4)"
t_eq "math negative result" -7 "$(_math 3 - 10)"
t_eq "math unary minus twice" 5 "$(_math 3 - -2)"
t_eq "math division truncates toward zero" -3 "$(_math -7 / 2)"
t_eq "math modulo" 1 "$(_math 7 % 3)"
t_eq "math one string" 11 "$(_math "1+2*5")"
t_eq "math prints no newline" "5|" "$(_math 2 + 3; printf '|')"
_r=$(_math 1 / 0 2>/dev/null)
_rc=$?
t_false "math division by zero fails" [ "$_rc" -eq 0 ]
t_eq "math division by zero: caller survives" survived "$(_math 1 / 0 2>/dev/null; echo survived)"

# _egrep_o
t_eq "egrep_o alternation" "$(printf '"id":"a1"\n"name":"x.test"\n"id":"b2"')" \
  "$(printf '{"id":"a1","name":"x.test","ttl":3,"id":"b2"}' | _egrep_o '"id":"[^"]*"|"name":"[^"]*"')"
t_eq "egrep_o group alternation" "$(printf 'TXT\nA')" "$(printf 'type=TXT type=A type=MX' | _egrep_o '(TXT|A)$|(TXT|A) ' | tr -d ' ')"
t_eq "egrep_o every match per line" "$(printf '12\n345\n6')" "$(printf 'a12b345\nc6' | _egrep_o '[0-9]+')"
t_eq "egrep_o interval" "ab12" "$(printf 'xxab12yy' | _egrep_o '[a-z]{2}[0-9]{2}')"
t_false "egrep_o no match status" _egrep_o 'zzz' </dev/null
t_eq "egrep_o pattern starting with dash" "-5" "$(printf 'x -5 y' | _egrep_o '-[0-9]')"

# _contains / _startswith / _endswith (BRE, not literal)
t_true "contains literal" _contains "hello world" "lo w"
t_true "contains is a BRE" _contains abc 'a.c'
t_false "contains missing" _contains abc 'x'
t_true "contains dash pattern" _contains "a -b" "-b"
t_true "startswith" _startswith "_acme-challenge.example.test" "_acme"
t_false "startswith not at start" _startswith "x_acme" "_acme"
t_true "endswith" _endswith "www.example.test" "example.test"
t_false "endswith not at end" _endswith "example.test.x" "example.test"

# _head_n / _tail_n
t_eq "head_n" "$(printf 'a\nb')" "$(printf 'a\nb\nc\n' | _head_n 2)"
t_eq "tail_n" "$(printf 'b\nc')" "$(printf 'a\nb\nc\n' | _tail_n 2)"

# case
t_eq "lower_case" "abc-xyz.é" "$(printf 'ABC-Xyz.é' | _lower_case)"
t_eq "upper_case" "ABC-XYZ" "$(printf 'abc-xyz' | _upper_case)"

# _url_encode
t_eq "url_encode unreserved kept" "AZaz09-_.~" "$(printf 'AZaz09-_.~' | _url_encode)"
t_eq "url_encode reserved" "a%20b%2fc%3fd%3de%26f%2bg%25" "$(printf 'a b/c?d=e&f+g%%' | _url_encode)"
t_eq "url_encode UTF-8 two-byte" "caf%c3%a9" "$(printf 'café' | _url_encode)"
t_eq "url_encode UTF-8 three/four-byte" "%e2%82%ac%f0%9f%98%80" "$(printf '€😀' | _url_encode)"
t_eq "url_encode upper-hex" "caf%C3%A9%2F" "$(printf 'café/' | _url_encode upper-hex)"
t_eq "url_encode trailing newline" "x%0a" "$(echo x | _url_encode)"
t_eq "url_encode no newline out" "a|" "$(printf a | _url_encode; printf '|')"

# _normalizeJson
t_eq "normalizeJson documented example" '{"a":"b", "d" : 3}' "$(printf '{"a" : "b", "d" : 3}' | _normalizeJson)"
t_eq "normalizeJson lines, indent, CRLF" '{"a":{"b":["c"]},"n" : 1}' \
  "$(printf '{\r\n  "a" : {\r\n    "b": [ \r\n"c"]},\r\n  "n" : 1\r\n}' | _normalizeJson | sed 's/\[ *"/["/')"

# _getfield
t_eq "getfield plain" b "$(_getfield 'a,b,c' 2)"
t_eq "getfield empty falls back" a "$(_getfield 'a,,c' 2)"
t_eq "getfield past the end" b "$(_getfield 'a,b' 5)"
t_eq "getfield other separator" y "$(_getfield 'x:y:z' 2 :)"
t_eq "getfield all empty gives string" ",," "$(_getfield ',,' 2)"

# _exists / _time / _utc_date / _mktemp / _sed_i / _sleep
t_true "exists sh" _exists sh
t_false "exists nonsense" _exists no-such-tool-here-xyz
t_false "exists empty" _exists ''
_now=$(_time)
case "$_now" in '' | *[!0-9]*) t_fail "time is epoch seconds" "$_now" ;; *) t_true "time is recent" [ "$_now" -gt 1700000000 ] ;; esac
_d=$(_utc_date)
case "$_d" in
  [0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]\ [0-2][0-9]:[0-5][0-9]:[0-6][0-9]) t_pass "utc_date format" ;;
  *) t_fail "utc_date format" "$_d" ;;
esac
DNS01_TMPDIR=$T_TMP
_f=$(_mktemp)
t_true "mktemp in DNS01_TMPDIR" [ -f "$_f" ] && t_eq "mktemp path" "$T_TMP" "${_f%/*}"
printf 'a=1\nb=2\n' >"$_f"
chmod 640 "$_f"
_sed_i 's/^b=.*/b=3/' "$_f"
t_eq "sed_i edits" "$(printf 'a=1\nb=3')" "$(cat "$_f")"
t_eq "sed_i keeps mode" "-rw-r-----" "$(ls -l "$_f" | cut -c1-10)"
t_true "sleep 0" _sleep 0

# _idn
t_eq "idn ascii unchanged" "_acme-challenge.example.test" "$(_idn _acme-challenge.example.test)"
t_eq "idn ascii list" "a.test,*.b.test" "$(_idn 'a.test,*.b.test')"
if _exists idn2 || _exists idn; then
  t_eq "idn converts" "_acme-challenge.xn--bcher-kva.test" "$(_idn '_acme-challenge.bücher.test')"
  t_eq "idn converts a list" "xn--bcher-kva.test,*.xn--mnchen-3ya.test" "$(_idn 'bücher.test,*.münchen.test')"
fi

# _json_decode
t_eq "json_decode escapes" "$(printf 'a"b\\c/d\te')" "$(printf '%s' 'a\"b\\c\/d\te' | _json_decode)"
t_eq "json_decode unicode" "é€😀" "$(printf '%s' '\u00e9\u20ac\ud83d\ude00' | _json_decode)"
t_eq "json_decode percent kept" "100%s" "$(printf '%s' '100%s' | _json_decode)"

# __green / _usage
t_eq "__green plain text" "hi" "$(__green hi)"
t_done
