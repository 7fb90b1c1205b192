# End to end with a real DNS server: scripts/dns_testnsupdate.sh through
# acmesh-run.sh against knotd on 127.0.0.1 (skipped without knotd, knsupdate
# and kdig). The rm call gets no server/key variables: it reads add's conf.
. "$TEST_DIR/lib.sh"

if ! command -v knotd >/dev/null 2>&1 || ! command -v knsupdate >/dev/null 2>&1 || ! command -v kdig >/dev/null 2>&1; then
  printf '# skipped: knotd/knsupdate/kdig not installed\n'
  t_done
  exit 0
fi

K="$T_TMP/knot"
mkdir -p "$K/db"
SECRET='h2eqLHv9h9Ccm8yfC2YdxGpXaZQ0k2VwJQ2+aq4W5Ps='
start_knot() {
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$K/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$port
    rundir: $K
log:
  - target: stderr
    any: error
database:
    storage: $K/db
key:
  - id: acme-update
    algorithm: hmac-sha256
    secret: $SECRET
acl:
  - id: upd
    key: acme-update
    action: update
zone:
  - domain: example.test
    storage: $K
    file: example.test.zone
    acl: upd
    zonefile-sync: -1
    journal-content: none
CONF
  printf '$TTL 60\n@ SOA ns1 hostmaster 1 60 60 600 60\n@ NS ns1\nns1 A 127.0.0.1\n' >"$K/example.test.zone"
  knotd -c "$K/knot.conf" </dev/null >"$K/knot.log" 2>&1 &
  KNOT_PID=$!
  T_PEERS="$T_PEERS $KNOT_PID"
  i=0
  while [ "$i" -lt 50 ]; do
    [ -n "$(kdig @127.0.0.1 -p "$port" +short +time=1 +retry=0 SOA example.test 2>/dev/null)" ] && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}
if ! start_knot; then
  t_fail "knotd started" "$(cat "$K/knot.log")"
  t_done
  exit 0
fi
txt() { kdig @127.0.0.1 -p "$port" +short TXT _acme-challenge.www.example.test | sort | tr '\n' ' '; }

printf 'hmac-sha256:acme-update:%s\n' "$SECRET" >"$T_TMP/tsig.key"
export DNS01_ACCOUNT_CONF="$T_TMP/account.conf" DNS01_DOMAIN_CONF="$T_TMP/domain.conf"
export DNS01_ERR_FILE="$T_TMP/err" NO_TIMESTAMP=1
FQDN=_acme-challenge.www.example.test

NSUPDATE_SERVER=127.0.0.1 NSUPDATE_SERVER_PORT=$port NSUPDATE_KEY="$T_TMP/tsig.key" NSUPDATE_ZONE=example.test \
  t_run "$SCRIPTS" dns_testnsupdate add "$FQDN" value-one >/dev/null 2>"$T_TMP/stderr"
t_eq "nsupdate add: exit 0" 0 "$?"
t_eq "nsupdate add: served" '"value-one" ' "$(txt)"
t_run "$SCRIPTS" dns_testnsupdate add "$FQDN" value-two >/dev/null 2>&1
t_eq "nsupdate add 2 from saved conf: exit 0" 0 "$?"
t_eq "nsupdate: both values served" '"value-one" "value-two" ' "$(txt)"
t_run "$SCRIPTS" dns_testnsupdate rm "$FQDN" value-one >/dev/null 2>&1
t_eq "nsupdate rm from saved conf: exit 0" 0 "$?"
t_eq "nsupdate rm: only value-two left" '"value-two" ' "$(txt)"
t_run "$SCRIPTS" dns_testnsupdate rm "$FQDN" value-two >/dev/null 2>&1
t_eq "nsupdate rm 2: exit 0" 0 "$?"
t_eq "nsupdate rm 2: name empty" "" "$(txt)"
printf 'hmac-sha256:acme-update:%s\n' 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3OA==' >"$T_TMP/bad.key"
NSUPDATE_KEY="$T_TMP/bad.key" t_run "$SCRIPTS" dns_testnsupdate add "$FQDN" value-bad >/dev/null 2>&1
t_eq "nsupdate wrong key: exit 1" 1 "$?"
t_eq "nsupdate wrong key: err line" "error updating domain" "$(tail -n 1 "$DNS01_ERR_FILE")"
t_eq "nsupdate wrong key: nothing served" "" "$(txt)"
t_done
