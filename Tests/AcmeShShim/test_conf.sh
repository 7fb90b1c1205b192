# Account/domain conf helpers: format, round trips with hostile values,
# nothing ever executed.
. "$TEST_DIR/lib.sh"
. "$SHIM"

DNS01_ACCOUNT_CONF="$T_TMP/account.conf"
DNS01_DOMAIN_CONF="$T_TMP/domain.conf"
DNS01_TMPDIR=$T_TMP
PWNED="$T_TMP/pwned"
nl='
'

# round trip through a file (keeps trailing newlines, which $(...) would drop)
rt() { # rt NAME SAVEFN READFN KEY VALUE [b64]
  "$2" "$4" "$5" ${6:+"$6"}
  "$3" "$4" >"$T_TMP/rt.out"
  printf '%s' "$5" >"$T_TMP/rt.exp"
  t_eq "$1" "$(t_hexfile "$T_TMP/rt.exp")" "$(t_hexfile "$T_TMP/rt.out")"
}

i=0
for v in "plain" "" "it's" "'" "''" "a'\\''b" '"double"' "\$(touch $PWNED)" "\`touch $PWNED\`" \
  "\${PATH}" '$HOME' "back\\slash\\" '%s%d\n' "a&b|c/d" "  spaced  " "multi${nl}line" \
  "trailing newline${nl}" "${nl}" "cr$(printf '\r')lf" "tab	here" "é€😀" "x=1; rm -rf /" "SAVED_K='inner'"; do
  i=$((i + 1))
  rt "account mutable round trip #$i" _saveaccountconf_mutable _readaccountconf_mutable KEY_$i "$v"
  rt "account plain round trip #$i" _saveaccountconf _readaccountconf PLAIN_$i "$v"
  rt "domain round trip #$i" _savedomainconf _readdomainconf DKEY_$i "$v"
  rt "account base64 round trip #$i" _saveaccountconf_mutable _readaccountconf_mutable B64_$i "$v" base64
done
t_false "no value was executed" [ -e "$PWNED" ]

# Sourcing the file in a shell gives the same values (it stays KEY='value')
# for the values without CR/LF; multi-line values are stored base64-wrapped.
t_eq "one line per key" "$(grep -c '^SAVED_KEY_' "$DNS01_ACCOUNT_CONF")" "$i"
got=$(sh -c '. "$1"; printf "%s" "$SAVED_KEY_7"' sh "$DNS01_ACCOUNT_CONF" 2>&1)
t_eq "file is valid sh: double quotes" '"double"' "$got"
got=$(sh -c '. "$1"; printf "%s" "$SAVED_KEY_6"' sh "$DNS01_ACCOUNT_CONF" 2>&1)
t_eq "file is valid sh: quote escapes" "a'\\''b" "$got"
t_false "sourcing did not execute either" [ -e "$PWNED" ]
t_has "multi-line stored base64" "$(grep '^SAVED_KEY_16=' "$DNS01_ACCOUNT_CONF")" "__ACME_BASE64__START_"
t_eq "single quote written as '\\''" "SAVED_KEY_3='it'\\''s'" "$(grep '^SAVED_KEY_3=' "$DNS01_ACCOUNT_CONF")"

# mutable keys are SAVED_<KEY>; saving the mutable key drops a bare KEY
_saveaccountconf CF_Token old-bare
t_eq "bare key saved" "CF_Token='old-bare'" "$(grep '^CF_Token=' "$DNS01_ACCOUNT_CONF")"
_saveaccountconf_mutable CF_Token tok1
t_eq "mutable saved as SAVED_" "SAVED_CF_Token='tok1'" "$(grep '^SAVED_CF_Token=' "$DNS01_ACCOUNT_CONF")"
t_eq "mutable save removed bare key" "" "$(grep '^CF_Token=' "$DNS01_ACCOUNT_CONF")"
_saveaccountconf_mutable CF_Token tok2
t_eq "overwrite keeps one line" 1 "$(grep -c '^SAVED_CF_Token=' "$DNS01_ACCOUNT_CONF")"
t_eq "overwrite value" tok2 "$(_readaccountconf_mutable CF_Token)"
t_eq "readaccountconf reads the bare key only" "" "$(_readaccountconf CF_Token)"
_saveaccountconf CF_Token bare-again
_clearaccountconf_mutable CF_Token
t_eq "clear mutable removes SAVED_ and bare" "" "$(grep -e '^SAVED_CF_Token=' -e '^CF_Token=' "$DNS01_ACCOUNT_CONF")"
_saveaccountconf Z 1
_clearaccountconf Z
t_eq "clearaccountconf" "" "$(_readaccountconf Z)"
_savedomainconf Le_Alias x
_cleardomainconf Le_Alias
t_eq "cleardomainconf" "" "$(_readdomainconf Le_Alias)"
t_eq "missing key reads empty" "" "$(_readaccountconf_mutable NOPE)"
t_true "missing key read status 0" _readaccountconf_mutable NOPE
t_eq "prefix keys not confused" "" "$(_saveaccountconf_mutable AB 1; _readaccountconf_mutable A)"

# keys are validated; a hostile key is refused
DNS01_ERR_FILE="$T_TMP/err"
t_false "key with space refused" _saveaccountconf_mutable 'A B' v 2>/dev/null
t_false "key with = refused" _saveaccountconf 'A=B' v 2>/dev/null
t_false "key with \$() refused" _readaccountconf '$(touch x)' 2>/dev/null
t_false "key starting with a digit refused" _savedomainconf '1A' v 2>/dev/null
unset DNS01_ERR_FILE

# file permissions: a new conf file is private
rm -f "$T_TMP/new.conf"
DNS01_ACCOUNT_CONF="$T_TMP/new.conf" _saveaccountconf_mutable K v
t_eq "new conf file is 0600" "-rw-------" "$(ls -l "$T_TMP/new.conf" | cut -c1-10)"

# acme.sh-written lines are read too: KEY='v', KEY="v", KEY=v, base64-wrapped, CRLF
cat >"$T_TMP/legacy.conf" <<'CONF'
SAVED_A='single'
SAVED_B="double"
SAVED_C=bare
SAVED_D='__ACME_BASE64__START_aGVsbG8Kd29ybGQ=__ACME_BASE64__END_'
SAVED_A='last wins'
CONF
printf "SAVED_E='crlf'\r\n" >>"$T_TMP/legacy.conf"
DNS01_ACCOUNT_CONF="$T_TMP/legacy.conf"
t_eq "legacy single quotes, last line wins" "last wins" "$(_readaccountconf_mutable A)"
t_eq "legacy double quotes" double "$(_readaccountconf_mutable B)"
t_eq "legacy bare" bare "$(_readaccountconf_mutable C)"
t_eq "legacy base64 wrapped" "hello${nl}world" "$(_readaccountconf_mutable D)"
t_eq "legacy CRLF line" crlf "$(_readaccountconf_mutable E)"
_saveaccountconf_mutable A new
t_eq "rewrite keeps other keys" "double|bare|new" "$(_readaccountconf_mutable B)|$(_readaccountconf_mutable C)|$(_readaccountconf_mutable A)"

# ACCOUNT_CONF_PATH / DOMAIN_CONF are the fallbacks
unset DNS01_ACCOUNT_CONF DNS01_DOMAIN_CONF
ACCOUNT_CONF_PATH="$T_TMP/acp.conf" DOMAIN_CONF="$T_TMP/dc.conf"
_saveaccountconf_mutable X 1
_savedomainconf Y 2
t_eq "ACCOUNT_CONF_PATH fallback" "SAVED_X='1'" "$(cat "$T_TMP/acp.conf")"
t_eq "DOMAIN_CONF fallback" "Y='2'" "$(cat "$T_TMP/dc.conf")"
unset ACCOUNT_CONF_PATH DOMAIN_CONF
DNS01_ERR_FILE="$T_TMP/err2"
t_false "no conf file configured fails" _saveaccountconf_mutable X 1 2>/dev/null
t_has "no conf file configured: _err says so" "$(cat "$T_TMP/err2")" "DNS01_ACCOUNT_CONF"
t_done
