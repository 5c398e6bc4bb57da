#!/usr/bin/env bash
# apt-install.sh PACKAGE...: install the Debian packages among PACKAGE that
# are missing, after `apt-get update` (also run when the machine has no
# package lists yet: tests/e2e/fetch.sh resolves versions from them).
# Uses sudo when not root.
set -euo pipefail

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]})) || ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
  $sudo apt-get update -q
fi
if ((${#missing[@]})); then
  echo "apt-install: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
    --no-install-recommends "${missing[@]}"
fi
