#!/bin/sh
# Browser tests use Debian's Chromium (Playwright cannot download its own here).
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit $?
fi
echo "Chromium is missing: install Debian's package 'chromium' (sudo apt-get install chromium)" >&2
echo "to run the browser tests; without it they are skipped with this reason." >&2
exit 0
