#!/usr/bin/env bash
# Builds the project's dom0 programs for a Debian release other than the
# host's, inside a root of that release, so that they link against its Xen
# libraries (libxenctrl's soname changes with every Xen version).
#
#   buildroot.sh SRC_DIR TARGET...   prints the build directory (on the host)
#   buildroot.sh --check SRC_DIR     the whole project and its tests, then the
#                                    unit, back-end and CLI suites and the
#                                    style check, with the release's GCC and
#                                    clang-format
#
# The root is made once with `debootstrap --variant=minbase` into the e2e
# cache (buildroot-<release>-<key>, the key a hash of the build packages'
# .deb names, which carry their versions) and reused while those versions
# do not change. Each run copies the source tree (the files git knows, else
# all but build directories) into the root and runs meson + ninja there for
# TARGETs (paths relative to a build directory, e.g. cli/xc-mtrr-type), with
# --werror: a compiler warning of this release's GCC fails the build. The
# build directory inside the root is kept between runs (incremental).
# Needs root (debootstrap, chroot); every failure says which step failed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
XCX_LOG_TAG=buildroot
# shellcheck source=release.sh
. "$here/release.sh"
trap 'xcx_log "failed (line $LINENO): $BASH_COMMAND"' ERR

check=false
[ "${1:-}" = --check ] && check=true && shift
src=$(cd "$1" && pwd)
shift
release=$(xcx_release)
cache=$(xcx_cache)
[ "$(id -u)" -eq 0 ] || xcx_die "building in a $release root needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null ||
  xcx_die "no debootstrap on this host: run tests/e2e/setup-host.sh"
xcx_apt_init "$release"

# What the build needs (the compiler, Meson, Xen's headers and libraries),
# and clang-format, so the style check can be run with this release's.
pkgs=(gcc libc6-dev pkg-config meson ninja-build libxen-dev libcmocka-dev
  clang-format)
key=$(xcx_versions_key "release $release" "${pkgs[@]}")
root="$cache/buildroot-$release-$key"

exec 8>"$cache/.lock-buildroot-$release"
flock 8
if [ ! -f "$root/.complete" ]; then
  mirror=$(xcx_mirror)
  xcx_log "making a $release root in $root (debootstrap from $mirror)"
  rm -rf "$root.tmp"
  inc=$(
    IFS=,
    echo "${pkgs[*]}"
  )
  debootstrap --variant=minbase --include="$inc" "$release" "$root.tmp" \
    "$mirror" >"$cache/debootstrap-$release.log" 2>&1 || {
    tail -n 20 "$cache/debootstrap-$release.log" >&2
    xcx_die "debootstrap of $release failed (log: $cache/debootstrap-$release.log)"
  }
  mv "$root.tmp" "$root"
  touch "$root/.complete"
  for old in "$cache"/buildroot-"$release"-*; do
    [ "$old" = "$root" ] || rm -rf "$old"
  done
  xcx_log "root ready: $root ($(du -sh "$root" | cut -f1))"
fi

# The source, afresh; the build directory beside it is kept.
rm -rf "$root/xcx/src"
mkdir -p "$root/xcx/src"
if git -C "$src" rev-parse --show-toplevel >/dev/null 2>&1; then
  git -C "$src" ls-files -z --cached --others --exclude-standard |
    (cd "$src" && xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh) |
    tar -C "$src" --null -T - -cf - | tar -C "$root/xcx/src" -xf -
else
  tar -C "$src" --exclude='./build*' -cf - . | tar -C "$root/xcx/src" -xf -
fi

# In a mount namespace of its own: /proc for the build, gone with it.
targets=$(printf ' %q' "$@")
after=""
if $check; then
  targets=""
  after="
  meson test -C /xcx/build --suite unit --suite backend --suite cli --print-errorlogs
  git_files=\$(find lib cli include tests bench -name '*.[ch]' | sort)
  clang-format --version
  clang-format --dry-run --Werror \$git_files
  echo 'style: clang-format accepts every file'"
fi
unshare --mount --propagation private sh -c '
  mount -t proc proc "$1/proc" && exec chroot "$1" /bin/sh -c "$2"' sh "$root" "
  set -e
  cd /xcx/src
  if [ ! -f /xcx/build/build.ninja ]; then
    meson setup /xcx/build --werror -Dfuzz=disabled -Dman=disabled >/xcx/setup.log 2>&1 ||
      { cat /xcx/setup.log; exit 1; }
  else
    meson configure /xcx/build -Dwerror=true
  fi
  gcc --version | head -n 1
  ninja -C /xcx/build$targets$after" >"$cache/build-$release.log" 2>&1 || {
  tail -n 30 "$cache/build-$release.log" >&2
  xcx_die "building or testing in the $release root failed (log: $cache/build-$release.log)"
}
if $check; then
  cat "$cache/build-$release.log"
else
  echo "$root/xcx/build"
fi
