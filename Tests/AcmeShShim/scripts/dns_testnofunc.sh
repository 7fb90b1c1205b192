#!/usr/bin/env sh
# Test fixture: defines add but not rm; no info block.
dns_testnofunc_add() {
  _info "added" "$1"
  return 0
}
