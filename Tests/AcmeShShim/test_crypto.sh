# Digests, HMAC (RFC 4231 / RFC 2202 vectors), base64, hex.
. "$TEST_DIR/lib.sh"
. "$SHIM"

rep() { # rep HEXBYTE COUNT -> hex string
  _o=''
  _i=0
  while [ "$_i" -lt "$2" ]; do _o="$_o$1"; _i=$((_i + 1)); done
  printf '%s' "$_o"
}

backends='openssl sum'
_exists openssl || backends='sum'
for DNS01_HASH_BACKEND in $backends; do
  export DNS01_HASH_BACKEND
  b=$DNS01_HASH_BACKEND
  # _digest
  t_eq "[$b] digest sha256 hex" ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad "$(printf abc | _digest sha256 hex)"
  t_eq "[$b] digest sha256 base64" "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=" "$(printf abc | _digest sha256)"
  t_eq "[$b] digest sha256 of empty" e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 "$(_digest sha256 hex </dev/null)"
  t_eq "[$b] digest sha1 hex" a9993e364706816aba3e25717850c26c9cd0d89d "$(printf abc | _digest sha1 hex)"
  t_eq "[$b] digest sha1 base64" "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=" "$(printf abc | _digest sha1)"
  t_eq "[$b] digest sha512 hex" ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f "$(printf abc | _digest sha512 hex)"
  t_eq "[$b] digest md5 hex" 900150983cd24fb0d6963f7d28e17f72 "$(printf abc | _digest md5 hex)"
  if [ "$b" = openssl ] || _exists sha3sum; then
    t_eq "[$b] digest sha3-256 hex" 3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532 "$(printf abc | _digest sha3-256 hex)"
  fi
  t_eq "[$b] digest no newline" "x|" "$(printf abc | _digest sha1 hex | sed 's/.*/x/'; printf '|')"
  t_false "[$b] digest unknown algorithm" _digest whirlpool </dev/null 2>/dev/null
  # reference vector: DNSPod / TC3 payload hash of a JSON body with literal \u escapes
  t_eq "[$b] digest TC3 payload" 35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064 \
    "$(printf '%s' '{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}' | _digest sha256 hex)"

  # _hmac, RFC 4231 (SHA-256/512) and RFC 2202 (SHA-1, MD5)
  k0b=$(rep 0b 20)
  kaa=$(rep aa 131)
  t_eq "[$b] hmac sha256 RFC4231 #1" b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7 "$(printf 'Hi There' | _hmac sha256 "$k0b" hex)"
  t_eq "[$b] hmac sha256 RFC4231 #2" 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843 "$(printf 'what do ya want for nothing?' | _hmac sha256 4a656665 hex)"
  t_eq "[$b] hmac sha256 RFC4231 #6 (long key)" 60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54 "$(printf 'Test Using Larger Than Block-Size Key - Hash Key First' | _hmac sha256 "$kaa" hex)"
  t_eq "[$b] hmac sha512 RFC4231 #1" 87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854 "$(printf 'Hi There' | _hmac sha512 "$k0b" hex)"
  t_eq "[$b] hmac sha512 RFC4231 #6 (long key)" 80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598 "$(printf 'Test Using Larger Than Block-Size Key - Hash Key First' | _hmac sha512 "$kaa" hex)"
  t_eq "[$b] hmac sha1 RFC2202 #2" effcdf6ae5eb2fa2d27416d5f184df9c259a7c79 "$(printf 'what do ya want for nothing?' | _hmac sha1 4a656665 hex)"
  t_eq "[$b] hmac md5 RFC2202 #2" 750c783e6ab0b503eaa86e310a5db738 "$(printf 'what do ya want for nothing?' | _hmac md5 4a656665 hex)"
  t_eq "[$b] hmac upper-case hex key" 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843 "$(printf 'what do ya want for nothing?' | _hmac sha256 4A656665 hex)"
  t_eq "[$b] hmac raw bytes out" " 2d 93 cb c1 be 16 7b cb 16 37 a4 a2 3c bf f0 1a 78 78 f0 c5 0e e8 33 95 4e a5 22 1b b1 b8 c6 28" "$(printf msg | _hmac sha256 6b6579 | _hex_dump)"
  t_eq "[$b] hmac raw piped to _base64" "LZPLwb4We8sWN6SiPL/wGnh48MUO6DOVTqUiG7G4xig=" "$(printf msg | _hmac sha256 6b6579 | _base64)"
  t_false "[$b] hmac rejects non-hex key" _hmac sha256 'not-hex' </dev/null 2>/dev/null
  t_false "[$b] hmac rejects odd key" _hmac sha256 abc </dev/null 2>/dev/null
  t_false "[$b] hmac rejects unknown alg" _hmac sha999 00 </dev/null 2>/dev/null

  # TC3-HMAC-SHA256 key chain as dns_tencent-style scripts build it (published vector)
  k=$(printf '%s' "TC3Gu5t9xGARNpq86cd98joQYCN3EXAMPLE" | _hex_dump | tr -d ' ')
  k=$(printf '%s' 2019-02-25 | _hmac sha256 "$k" hex)
  k=$(printf '%s' cvm | _hmac sha256 "$k" hex)
  k=$(printf '%s' tc3_request | _hmac sha256 "$k" hex)
  sts=$(printf 'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031')
  t_eq "[$b] TC3 signature (published vector)" 72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168 "$(printf '%s' "$sts" | _hmac sha256 "$k" hex)"
done
unset DNS01_HASH_BACKEND

# The HMAC key never reaches a command line: wrap openssl and look at its argv.
if _exists openssl; then
  real=$(command -v openssl)
  mkdir -p "$T_TMP/wrap"
  printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s"\nexec "%s" "$@"\n' "$T_TMP/argv.log" "$real" >"$T_TMP/wrap/openssl"
  chmod +x "$T_TMP/wrap/openssl"
  out=$(printf 'Hi There' | PATH="$T_TMP/wrap:$PATH" DNS01_HASH_BACKEND=openssl _hmac sha256 "$(rep 0b 20)" hex)
  t_eq "hmac through wrapped openssl" b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7 "$out"
  t_true "openssl was called" [ -s "$T_TMP/argv.log" ]
  t_hasnt "hmac key not in openssl argv" "$(cat "$T_TMP/argv.log")" "0b0b0b"
fi

# _base64 / _dbase64
t_eq "base64 empty" "" "$(_base64 </dev/null)"
t_eq "base64 1 byte" "YQ==" "$(printf a | _base64)"
t_eq "base64 2 bytes" "YWI=" "$(printf ab | _base64)"
t_eq "base64 3 bytes" "YWJj" "$(printf abc | _base64)"
t_eq "base64 no newline" "YWJj|" "$(printf abc | _base64; printf '|')"
t_eq "dbase64" "hello world" "$(printf 'aGVsbG8gd29ybGQ=' | _dbase64)"
t_eq "base64 UTF-8" "w6nigqzwn5iA" "$(printf 'é€😀' | _base64)"
t_eq "dbase64 UTF-8" "é€😀" "$(printf 'w6nigqzwn5iA' | _dbase64)"

# every byte value, round trip
all=''
i=0
while [ "$i" -lt 256 ]; do all="$all$(printf '\\%03o' "$i")"; i=$((i + 1)); done
# shellcheck disable=SC2059
printf "$all" >"$T_TMP/all.bin"
t_eq "all 256 bytes written" 512 "$(t_hexfile "$T_TMP/all.bin" | awk '{print length($0)}')"
_base64 <"$T_TMP/all.bin" >"$T_TMP/all.b64"
_dbase64 <"$T_TMP/all.b64" >"$T_TMP/all.out"
t_eq "base64 round trip, all bytes" "$(t_hexfile "$T_TMP/all.bin")" "$(t_hexfile "$T_TMP/all.out")"
if _exists openssl; then
  t_eq "base64 agrees with openssl" "$(openssl base64 -A <"$T_TMP/all.bin")" "$(cat "$T_TMP/all.b64")"
fi
t_eq "base64 one line" 1 "$(awk 'END{print NR}' "$T_TMP/all.b64"; )"
_base64 multiline <"$T_TMP/all.bin" >"$T_TMP/all.b64ml"
t_eq "base64 multiline: 64-column lines" "64 64 64 64 64 24 " "$(awk '{printf "%d ", length($0)}' "$T_TMP/all.b64ml")"
t_eq "base64 multiline = one line rewrapped" "$(cat "$T_TMP/all.b64")" "$(tr -d '\n' <"$T_TMP/all.b64ml")"
_dbase64 multiline <"$T_TMP/all.b64ml" >"$T_TMP/all.out2"
t_eq "dbase64 multiline round trip" "$(t_hexfile "$T_TMP/all.bin")" "$(t_hexfile "$T_TMP/all.out2")"
t_eq "dbase64 tolerates CRLF" "hello" "$(printf 'aGVs\r\nbG8=\r\n' | _dbase64 1)"

# hex helpers
t_eq "hex_dump" " 61 62 63" "$(printf abc | _hex_dump)"
t_eq "hex_dump NUL and high bytes" " 00 ff 0a" "$(printf '\000\377\n' | _hex_dump)"
t_eq "h2b" "$(printf 'hi\n')" "$(printf '68690a' | _h2b)"
t_eq "h2b NUL kept" "00ff41" "$(printf '00ff41' | _h2b >"$T_TMP/h2b"; t_hexfile "$T_TMP/h2b")"
t_eq "url_replace" "ab-_c" "$(printf 'ab+/c==' | _url_replace)"

# _sign / _isRSA (openssl)
if _exists openssl; then
  openssl genrsa -out "$T_TMP/rsa.pem" 2048 2>/dev/null
  openssl ecparam -name prime256v1 -genkey -noout -out "$T_TMP/ec.pem" 2>/dev/null
  t_true "isRSA on RSA key" _isRSA "$T_TMP/rsa.pem"
  t_false "isRSA on EC key" _isRSA "$T_TMP/ec.pem"
  printf 'payload' | _sign "$T_TMP/rsa.pem" sha256 | _dbase64 >"$T_TMP/rsa.sig"
  openssl rsa -in "$T_TMP/rsa.pem" -pubout -out "$T_TMP/rsa.pub" 2>/dev/null
  t_true "sign RSA verifies" sh -c "printf payload | openssl dgst -sha256 -verify '$T_TMP/rsa.pub' -signature '$T_TMP/rsa.sig' >/dev/null"
  sig=$(printf 'payload' | _sign "$T_TMP/ec.pem" sha256)
  printf '%s' "$sig" | _dbase64 >"$T_TMP/ec.raw"
  t_eq "sign EC gives 64-byte r||s" 128 "$(t_hexfile "$T_TMP/ec.raw" | awk '{print length($0)}')"
  # rebuild DER from r||s and verify with openssl
  if python3 -c 'import sys' 2>/dev/null; then
    python3 - "$T_TMP/ec.raw" "$T_TMP/ec.der" <<'PY'
import sys
raw = open(sys.argv[1], 'rb').read()
def der_int(b):
    b = b.lstrip(b'\0') or b'\0'
    if b[0] & 0x80: b = b'\0' + b
    return b'\x02' + bytes([len(b)]) + b
body = der_int(raw[:32]) + der_int(raw[32:])
open(sys.argv[2], 'wb').write(b'\x30' + bytes([len(body)]) + body)
PY
    openssl ec -in "$T_TMP/ec.pem" -pubout -out "$T_TMP/ec.pub" 2>/dev/null
    t_true "sign EC verifies" sh -c "printf payload | openssl dgst -sha256 -verify '$T_TMP/ec.pub' -signature '$T_TMP/ec.der' >/dev/null"
  fi
fi
t_done
