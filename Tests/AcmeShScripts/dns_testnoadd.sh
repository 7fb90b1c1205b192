#!/usr/bin/env sh
# Test-only fixture (dns01-webhook, Apache-2.0): defines only a misnamed hook.
dns_testnoadd_info='No add (dns01-webhook tests)
'
dns_othername_add() {
  return 0
}
