#!/usr/bin/env bash
# Install Debian's Chromium for the tutorial site's browser test (tests/test_site.py), where it is missing and
# apt-get can run (as root, or with password-less sudo). Never fails: where Chromium can't be installed,
# `make test` leaves PADIS_REQUIRE_BROWSER unset and the browser test is skipped rather than failed.
# Set PADIS_SKIP_BROWSER_INSTALL=1 to leave the system alone.
set -u
[[ ${PADIS_SKIP_BROWSER_INSTALL:-0} == 1 ]] && exit 0
if [[ -x /usr/bin/chromium ]] || command -v chromium >/dev/null 2>&1; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "note: chromium is not installed and there is no apt-get; the site's browser test will be skipped"; exit 0
fi
sudo=()
if [[ $(id -u) != 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); else
    echo "note: chromium is not installed and apt-get needs root; the site's browser test will be skipped"; exit 0
  fi
fi
log=$(mktemp)
echo "installing chromium with apt-get for the site's browser test (log: $log) ..."
export DEBIAN_FRONTEND=noninteractive
install() { timeout 600 "${sudo[@]}" apt-get install -y -q --no-install-recommends chromium >>"$log" 2>&1; }
if install || { timeout 300 "${sudo[@]}" apt-get update -q >>"$log" 2>&1 && install; }; then
  echo "chromium installed: $(/usr/bin/chromium --version 2>/dev/null)"
else
  echo "note: apt-get could not install chromium; the site's browser test will be skipped. Last lines of $log:"
  tail -n 5 "$log"
fi
exit 0
