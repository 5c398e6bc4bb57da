#!/usr/bin/env bash
# Installs the Debian packages xenctrl-ext needs (names that exist in Debian
# 12 and 13 alike), then configures and builds it in ./build. Safe to run again: it only installs what is missing
# and reuses an existing build directory.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential pkg-config meson ninja-build
  libxen-dev            # libxenctrl, libxenguest, libxentoollog, ... (4.17, 4.20)
  libcmocka-dev         # unit, back-end and CLI tests
  scdoc                 # man pages
  clang libclang-rt-dev # libFuzzer targets of the fuzz suite (the default clang)
  clang-format          # style check in .ci/run
  valgrind              # suite 'valgrind' (memcheck over the tools)
)

scripts/apt-install.sh "${packages[@]}"
# Host packages of the e2e suite (QEMU, cpio, ...); the suite fetches Xen itself.
tests/e2e/setup-host.sh

if [ -f build/build.ninja ]; then
  meson setup --reconfigure build >/dev/null
else
  meson setup build
fi
ninja -C build
