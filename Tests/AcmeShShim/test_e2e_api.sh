# End to end: scripts/dns_testapi.sh run through acmesh-run.sh against
# peers/rest_peer.py. add saves the credentials; rm, in a fresh process with
# no credentials in its environment, reads them back.
. "$TEST_DIR/lib.sh"

TOKEN='tok-Secret-123'
t_start_peer rest_peer.py "$TOKEN" 120 || { t_done; exit 0; }
API="http://127.0.0.1:$PEER_PORT/v1"
state() { curl -s "http://127.0.0.1:$PEER_PORT/_state"; }

export DNS01_ACCOUNT_CONF="$T_TMP/account.conf"
export DNS01_DOMAIN_CONF="$T_TMP/domain.conf"
export DNS01_ERR_FILE="$T_TMP/err"
export NO_TIMESTAMP=1
FQDN=_acme-challenge.www.example.test
V1=KsIh8lj1B7X_5Jr4OeLk9yGpbV7w6v3Vq2bH0t4rZc8
V2=Qm2ZkR0pHnEw5sT1xJv8YcLa3bU7dF6gN9oP4qW-eI0

# add with the credentials in the environment (DEBUG=3: nothing secret logged)
TESTAPI_Token=$TOKEN TESTAPI_Url=$API DEBUG=3 t_run "$SCRIPTS" dns_testapi add "$FQDN" "$V1" >"$T_TMP/out" 2>"$T_TMP/stderr"
t_eq "add: exit 0" 0 "$?"
t_has "add: record created" "$(state)" "\"name\": \"$FQDN\", \"type\": \"TXT\", \"content\": \"$V1\""
t_has "add: zone found by _get_root" "$(state)" '"zone": "z1"'
t_eq "add: credentials saved" "SAVED_TESTAPI_Token='$TOKEN'" "$(grep '^SAVED_TESTAPI_Token=' "$DNS01_ACCOUNT_CONF")"
t_eq "add: URL saved" "SAVED_TESTAPI_Url='$API'" "$(grep '^SAVED_TESTAPI_Url=' "$DNS01_ACCOUNT_CONF")"
t_eq "add: record id in domain conf" "TESTAPI_LAST_RECORD='r1'" "$(cat "$DNS01_DOMAIN_CONF")"
t_has "add: debug output present" "$(cat "$T_TMP/stderr")" "acmesh debug: _domain_id='z1'"
t_hasnt "add: token not in DEBUG=3 output" "$(cat "$T_TMP/stderr")" "$TOKEN"
t_eq "add: stdout empty" "" "$(cat "$T_TMP/out")"

# second value at the same name (apex + wildcard), credentials from the conf only
t_run "$SCRIPTS" dns_testapi add "$FQDN" "$V2" >/dev/null 2>&1
t_eq "add 2 without env: exit 0" 0 "$?"
t_has "add 2: second record" "$(state)" "\"content\": \"$V2\""

# rm in a fresh process, no credentials in env: removes only V1
t_run "$SCRIPTS" dns_testapi rm "$FQDN" "$V1" >/dev/null 2>"$T_TMP/stderr"
t_eq "rm: exit 0" 0 "$?"
t_hasnt "rm: V1 gone" "$(state)" "$V1"
t_has "rm: V2 kept" "$(state)" "$V2"
t_has "rm: counted one" "$(cat "$T_TMP/stderr")" "Removed records='1'"
t_run "$SCRIPTS" dns_testapi rm "$FQDN" "$V2" >/dev/null 2>&1
t_eq "rm 2: exit 0" 0 "$?"
t_eq "rm 2: zone empty" '{"records": []}' "$(state)"
t_eq "rm: domain conf cleared" "" "$(cat "$DNS01_DOMAIN_CONF")"
t_has "peer saw authenticated calls" "$(curl -s "http://127.0.0.1:$PEER_PORT/_log")" "DELETE /v1/zones/z1/records/r2"

# the environment wins over the conf: a wrong token fails with the API's 401
: >"$DNS01_ERR_FILE"
TESTAPI_Token=wrong t_run "$SCRIPTS" dns_testapi add "$FQDN" "$V1" >/dev/null 2>&1
t_eq "wrong token: exit 1" 1 "$?"
t_has "wrong token: 401 reported" "$(cat "$DNS01_ERR_FILE")" "HTTP 401"
t_eq "wrong token: saved (as acme.sh scripts do after validation)" "SAVED_TESTAPI_Token='wrong'" "$(grep '^SAVED_TESTAPI_Token=' "$DNS01_ACCOUNT_CONF")"
TESTAPI_Token=$TOKEN t_run "$SCRIPTS" dns_testapi add "_acme-challenge.nope.invalid" "$V1" >/dev/null 2>&1
t_eq "unknown zone: exit 1" 1 "$?"
t_eq "unknown zone: last err line" "invalid domain" "$(tail -n 1 "$DNS01_ERR_FILE")"

# no credentials at all
rm -f "$DNS01_ACCOUNT_CONF"
t_run "$SCRIPTS" dns_testapi add "$FQDN" "$V1" >/dev/null 2>&1
t_eq "no credentials: exit 1" 1 "$?"
t_eq "no credentials: message" "You didn't specify TESTAPI_Token and TESTAPI_Url." "$(tail -n 1 "$DNS01_ERR_FILE")"

# API down: curl's failure surfaces
port=$PEER_PORT
t_stop_peer "$PEER_PID"
TESTAPI_Token=$TOKEN TESTAPI_Url="http://127.0.0.1:$port/v1" t_run "$SCRIPTS" dns_testapi add "$FQDN" "$V1" >/dev/null 2>&1
t_eq "API down: exit 1" 1 "$?"
t_has "API down: curl error recorded" "$(cat "$DNS01_ERR_FILE")" "curl exit 7"
t_done
