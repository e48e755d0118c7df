#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine with Python 3.11:
# the project with its [test] extra, and Debian's Chromium (browser tests), Noto CJK fonts
# (Chinese PDF/screenshots), poppler-utils (pdftotext) and the Pango/HarfBuzz libraries WeasyPrint
# loads — each only when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -e '.[test]'

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if ! (command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh family | grep -qi "Noto Sans CJK"); then
  missing+=(fonts-noto-cjk fontconfig)
fi
# WeasyPrint (PDF reports) loads Pango, HarfBuzz and fontconfig through cffi at run time.
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
