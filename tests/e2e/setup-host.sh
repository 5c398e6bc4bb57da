#!/usr/bin/env bash
# Installs the host packages the e2e suite needs: QEMU, cpio, gcc and
# binutils for the PVH test guest (built -m32 -ffreestanding -nostdinc
# -nostdlib, so gcc-multilib is not needed), python3 for the checker. Only
# what is missing, after `apt-get update`. Nothing Xen-related is installed
# on the host: fetch.sh unpacks Debian's Xen packages into a cache instead.
set -euo pipefail

packages=(
  qemu-system-x86 # qemu-system-x86_64 -accel tcg
  cpio gzip       # the initramfs images
  gcc binutils    # the PVH test guest
  python3         # mkinitramfs.py, check.py
  debootstrap     # a root of another Debian release to build its dom0 programs in
)

exec "$(dirname "$0")/../../scripts/apt-install.sh" "${packages[@]}"
