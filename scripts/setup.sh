#!/usr/bin/env bash
# Installs the Debian 12 packages xenctrl-ext needs, then configures and
# builds it in ./build. Safe to run again: it only installs what is missing
# and reuses an existing build directory.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential pkg-config meson ninja-build
  libxen-dev            # libxenctrl, libxenguest, libxentoollog, ... 4.17
  libcmocka-dev         # unit, back-end and CLI tests
  scdoc                 # man pages
  clang libclang-rt-14-dev  # libFuzzer targets of the fuzz suite
  clang-format          # style check in .ci/run
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ -f build/build.ninja ]; then
  meson setup --reconfigure build >/dev/null
else
  meson setup build
fi
ninja -C build
