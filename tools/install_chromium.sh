#!/usr/bin/env bash
# Install Debian's Chromium and its chromedriver for the site's browser test (tests/test_site.py, Selenium), where
# they are missing and apt-get can run. Never fails: without them `make test` leaves PADIS_REQUIRE_BROWSER unset
# and the browser test is skipped. PADIS_SKIP_BROWSER_INSTALL=1 leaves the system alone.
set -u
[[ ${PADIS_SKIP_BROWSER_INSTALL:-0} == 1 ]] && exit 0
command -v chromium >/dev/null && command -v chromedriver >/dev/null && exit 0
sudo=(); [[ $(id -u) == 0 ]] || sudo=(sudo -n)
if ! command -v apt-get >/dev/null || ! "${sudo[@]}" true 2>/dev/null; then
  echo "note: no chromium/chromedriver and no root apt-get: the site's browser test will be skipped"; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
get() { timeout 600 "${sudo[@]}" apt-get install -y -q --no-install-recommends chromium chromium-driver >/dev/null 2>&1; }
get || { timeout 300 "${sudo[@]}" apt-get update -q >/dev/null 2>&1 && get; } \
  || echo "note: apt-get could not install chromium-driver: the site's browser test will be skipped"
exit 0
