#!/usr/bin/env bash
# build-debs.sh [--install-only] [OUTDIR]: build the Debian packages of this tree with
# dpkg-buildpackage (native format, debian/), check them with lintian (no
# error or warning may remain), install them with apt into a clean Debian
# root made by debootstrap (minbase, the host's release; cached in
# ${XDG_CACHE_HOME:-~/.cache}/xenctrl-ext-debroot) and run
# `xc-mtrr-type --context` on the sample context there.
# The packages end up in OUTDIR (default: build/debs/); --install-only
# takes those already there and only installs and runs them. Needs root
# (or sudo) for apt-get, debootstrap and chroot.
set -euo pipefail
cd "$(dirname "$0")/.."
install_only=false
if [ "${1:-}" = --install-only ]; then
  install_only=true
  shift
fi
out=$(realpath -m "${1:-build/debs}")
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

# Build dependencies (debian/control), lintian, debootstrap.
scripts/apt-install.sh build-essential debhelper dpkg-dev meson ninja-build \
  pkg-config libxen-dev scdoc lintian debootstrap

work=$(mktemp -d)
trap '$sudo rm -rf "$work"' EXIT
if ! $install_only; then
  # Build in a copy of the tree, so dpkg-buildpackage writes its results
  # next to the copy, never next to this tree.
  mkdir "$work/src"
  git ls-files -z --cached --others --exclude-standard |
    tar --null -T - -cf - | tar -xf - -C "$work/src"
  (cd "$work/src" && dpkg-buildpackage -us -uc -b)
  rm -rf "$out"
  mkdir -p "$out"
  cp "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out/"
  echo "build-debs: built $(cd "$out" && echo *.deb)"

  # lintian: errors and warnings fail.
  lintian --fail-on error,warning --info "$out"/*.changes
  echo "build-debs: lintian clean (no errors, no warnings)"
fi

# A clean root of the host's release, cached as a tarball.
. /etc/os-release
cache="${XDG_CACHE_HOME:-$HOME/.cache}/xenctrl-ext-debroot"
base="$cache/$VERSION_CODENAME-minbase.tar"
mkdir -p "$cache"
if [ ! -f "$base" ]; then
  $sudo debootstrap --variant=minbase "$VERSION_CODENAME" "$work/base" \
    http://deb.debian.org/debian
  $sudo tar -C "$work/base" -cf "$base.tmp" .
  mv "$base.tmp" "$base"
  $sudo rm -rf "$work/base"
fi
root="$work/root"
mkdir "$root"
$sudo tar -C "$root" -xf "$base"
# The host's apt sources in place of debootstrap's (security and updates
# too: the packages' Xen library dependencies are the host's versions).
$sudo rm -f "$root/etc/apt/sources.list"
$sudo cp -a /etc/apt/sources.list.d/. "$root/etc/apt/sources.list.d/"
if [ -f /etc/apt/sources.list ]; then
  $sudo cp /etc/apt/sources.list "$root/etc/apt/"
fi
$sudo cp /etc/resolv.conf "$root/etc/resolv.conf"
$sudo mkdir -p "$root/tmp/debs"
$sudo cp "$out"/*.deb tests/data/hvmloader-guest.hvmctx "$root/tmp/debs/"
in_root() { $sudo chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
in_root apt-get update -q
# Not the -dbgsym packages: what a host installs. The glob is the root's.
in_root sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
  --no-install-recommends $(ls /tmp/debs/*.deb | grep -v -- -dbgsym_)'
in_root dpkg -l 'libxenctrl-ext*' xenctrl-ext-tools | tail -n 4
in_root xc-mtrr-type --version
in_root xc-mtrr-type --context /tmp/debs/hvmloader-guest.hvmctx \
  0xa0000 0x100000 0xe8000000 0xf0000000 | tee "$work/smoke.out"
grep -q "^vcpu 0 gpa 0xa0000: WC (fixed range 0xa0000-0xa3fff)$" "$work/smoke.out"
grep -q "^vcpu 0 gpa 0xe8000000: UC " "$work/smoke.out"
in_root man -w xc-mtrr-type >/dev/null 2>&1 ||
  in_root test -f /usr/share/man/man1/xc-mtrr-type.1.gz
echo "build-debs: installed in a clean $VERSION_CODENAME root and smoke-run: OK"
