#!/usr/bin/env sh
# Test fixture: a syntax error while loading.
dns_testbroken_add() {
  if [ "$1" = x ]; then
    echo unterminated
}
