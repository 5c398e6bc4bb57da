#!/usr/bin/env bash
# Downloads Debian 12's Xen 4.17 hypervisor, tools, libraries, a dom0 kernel,
# busybox and the HVM device model with `apt-get download` and unpacks them
# with `dpkg-deb -x` into a cache directory outside the source tree. Nothing
# is installed on the host.
#
#   tests/e2e/fetch.sh            prints the unpacked tree's path on stdout
#
# Cache: $XCX_E2E_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/xenctrl-ext-e2e.
# One subdirectory per set of package versions (the key is a hash of the .deb
# file names apt would fetch, which carry the versions), so a warm cache is
# reused as long as the archive offers the same versions, and a security
# update of any package gives a fresh tree. Older trees are removed once a
# new one is complete. Without apt lists (no `apt-get update` yet) or without
# network the newest complete tree is reused, with a warning.
set -euo pipefail

layout=3 # bump when the tree's layout changes
cache=${XCX_E2E_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/xenctrl-ext-e2e}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

log() { echo "e2e fetch: $*" >&2; }

# The kernel linux-image-amd64 depends on, e.g. linux-image-6.1.0-56-amd64.
kernel_pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
  awk '/Depends: linux-image-[0-9]/ {print $2; exit}') || true

xen_pkgs=(
  xen-hypervisor-4.17-amd64 xen-utils-4.17 xen-utils-common xenstore-utils
  libxenmisc4.17 libxencall1 libxendevicemodel1 libxenevtchn1
  libxenforeignmemory1 libxengnttab1 libxenhypfs1 libxenstore4
  libxentoolcore1 libxentoollog1 libyajl2
)
# The HVM guest's device model and firmware (hvmloader is in xen-utils-4.17).
hvm_pkgs=(qemu-system-xen seabios qemu-system-data)
# Shared-library closure of the Xen tools and of qemu-system-xen, so the
# initramfs takes nothing from the host's /lib (check-closure below proves
# the list is complete).
lib_pkgs=(
  libc6 libgcc-s1 libtinfo6 libncurses6 libuuid1
  libbz2-1.0 libdw1 libelf1 libfdt1 libffi8 libglib2.0-0
  libgstreamer-plugins-base1.0-0 libgstreamer1.0-0 libjpeg62-turbo liblz4-1
  liblzma5 libopus0 liborc-0.4-0 libpcre2-8-0 libpixman-1-0 libsasl2-2
  libspice-server1 libssl3 libstdc++6 libudev1 libunwind8 libusb-1.0-0
  libzstd1 zlib1g
)
pkgs=("${xen_pkgs[@]}" "${hvm_pkgs[@]}" "${lib_pkgs[@]}" busybox-static)
[ -n "$kernel_pkg" ] && pkgs+=("$kernel_pkg")

newest_complete() {
  ls -1dt "$cache"/pkgs-*/.complete 2>/dev/null | head -n1 | xargs -r dirname
}

uris=""
if [ -n "$kernel_pkg" ]; then
  uris=$(apt-get download --print-uris "${pkgs[@]}" 2>/dev/null) || uris=""
fi
if [ -z "$uris" ]; then
  dir=$(newest_complete)
  if [ -n "$dir" ]; then
    log "apt cannot resolve the packages (no 'apt-get update'?); reusing $dir"
    echo "$dir/root"
    exit 0
  fi
  log "apt cannot resolve: ${pkgs[*]}"
  log "run 'apt-get update' (tests/e2e/setup-host.sh does) and try again"
  exit 1
fi

# One line per package: 'URI' file size hash. The file names carry versions.
key=$( (
  echo "layout $layout"
  awk '{print $2}' <<<"$uris" | sort
) | sha256sum | cut -c1-16)
dir="$cache/pkgs-$key"

exec 9>"$cache/.lock"
flock 9
if [ -f "$dir/.complete" ]; then
  touch "$dir/.complete"
  echo "$dir/root"
  exit 0
fi

log "cache $dir is cold: downloading ${#pkgs[@]} packages"
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp/debs" "$dir.tmp/root"
(
  cd "$dir.tmp/debs"
  # Sandbox user root: the _apt user may not be able to write here.
  apt-get -q -o APT::Sandbox::User=root download "${pkgs[@]}" >&2
)
root="$dir.tmp/root"
for deb in "$dir.tmp"/debs/*.deb; do
  case $(basename "$deb") in
  linux-image-*)
    # Only the kernel image and the Xen driver modules are needed.
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$root" --wildcards \
      './boot/vmlinuz-*' './lib/modules/*/kernel/drivers/xen/*' ;;
  qemu-system-data_*)
    # The device model opens the keymap even with VNC off.
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$root" --wildcards \
      './usr/share/qemu/keymaps/*' ;;
  *)
    dpkg-deb -x "$deb" "$root" ;;
  esac
done
(
  cd "$dir.tmp/debs"
  for deb in *.deb; do
    dpkg-deb -W --showformat='${Package} ${Version}\n' "$deb"
  done
) >"$dir.tmp/manifest"

# Sanity: the pieces the boot needs are there.
for f in boot/xen-4.17-amd64.gz usr/lib/xen-4.17/boot/hvmloader \
  usr/libexec/xen-qemu-system-i386 usr/share/seabios/bios-256k.bin \
  usr/lib/xen-4.17/bin/xl bin/busybox; do
  [ -e "$root/$f" ] || { log "missing $f after unpacking"; exit 1; }
done
ls "$root"/boot/vmlinuz-* >/dev/null
# The multiboot loader of QEMU needs Xen uncompressed.
gunzip -c "$root/boot/xen-4.17-amd64.gz" >"$root/boot/xen-4.17-amd64"
rm -rf "$dir.tmp/debs"

# Publish, then drop trees of older package versions.
rm -rf "$dir"
mv "$dir.tmp" "$dir"
touch "$dir/.complete"
for old in "$cache"/pkgs-*; do
  [ "$old" = "$dir" ] || rm -rf "$old"
done
log "cache ready: $dir ($(du -sh "$dir" | cut -f1))"
echo "$dir/root"
