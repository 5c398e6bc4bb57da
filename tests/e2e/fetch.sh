#!/usr/bin/env bash
# Downloads a Debian release's Xen hypervisor, tools and libraries, dom0
# kernel, busybox, qemu-system-xen and SeaBIOS with `apt-get download` and
# unpacks them with `dpkg-deb -x` into a cache directory outside the source
# tree. Nothing is installed on the host.
#
#   tests/e2e/fetch.sh            prints the unpacked tree's path on stdout
#
# Release: $XCX_E2E_RELEASE (a codename), else the host's (release.sh);
# apt runs with a private sources list and state for it (release.sh), so
# another release's packages come from the same archive without touching
# the host's apt set-up.
#
# What is fetched is not a list of names: it is the dependency closure, in
# that release, of a few roots: xen-system-amd64 (the hypervisor and tools of
# whatever Xen version it depends on), xenstore-utils, qemu-system-xen (with
# seabios and qemu-system-data, its dependencies), busybox-static and
# linux-image-amd64 (the kernel it depends on). Dependencies are followed
# into Xen's and the kernel's packages and into libraries (lib*, zlib1g), so
# renamed libraries (Debian 13's t64 names) come as the release names them;
# programs the tools merely call (python3, udev, ...) are not followed.
#
# Cache: $XCX_E2E_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/xenctrl-ext-e2e.
# One subdirectory per release and set of package versions (the key is a
# hash of the .deb file names, which carry the versions), reused while the
# archive offers the same versions; older trees of the release are removed
# once a new one is complete. Every failure names the package or the step.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
XCX_LOG_TAG=fetch
# shellcheck source=release.sh
. "$here/release.sh"
trap 'xcx_log "failed (line $LINENO): $BASH_COMMAND"' ERR

layout=4 # bump when the tree's layout changes
release=$(xcx_release)
cache=$(xcx_cache)
xcx_apt_init "$release"

roots=(xen-system-amd64 xenstore-utils qemu-system-xen busybox-static
  linux-image-amd64)
follow='^(lib|zlib1g$|xen-|linux-image-|qemu-system-(xen|data)$|seabios$|busybox-static$|xenstore-utils$)'
nodeps=(--no-recommends --no-suggests --no-conflicts --no-breaks
  --no-replaces --no-enhances)

# The closure: one apt-cache call per level. Of alternatives the first is
# taken; a virtual package is its first provider. A package apt does not
# know is an error naming it and what needed it.
declare -A needed_by=()
for p in "${roots[@]}"; do needed_by[$p]="(root)"; done
todo=("${roots[@]}")
pkgs=()
while ((${#todo[@]})); do
  out=$(apt-cache "${XCX_APT[@]}" depends "${nodeps[@]}" "${todo[@]}" 2>&1) ||
    xcx_die "release $release: apt-cache depends ${todo[*]} failed: $out"
  known=" $(awk '/^[^ <]/ {print $1}' <<<"$out" | tr '\n' ' ')"
  for p in "${todo[@]}"; do
    [[ $known == *" $p "* ]] ||
      xcx_die "release $release: no package '$p' (needed by ${needed_by[$p]})"
    pkgs+=("$p")
  done
  next=()
  while read -r parent dep; do
    [[ $dep =~ $follow ]] || continue
    [ -n "${needed_by[$dep]+x}" ] && continue
    needed_by[$dep]=$parent
    next+=("$dep")
  done < <(awk '
    /^[^ ]/ { parent = $1; skip = 0; next }
    # "|Depends: a" then "Depends: b": a or b; keep a.
    /^ *(\|)?(Pre)?Depends: / {
      alt = ($1 ~ /^\|/); dep = $2
      if (skip) { skip = alt; next }
      skip = alt
      if (dep ~ /^</) { virt = 1; next }
      virt = 0; sub(/:any$/, "", dep); print parent, dep; next }
    # Providers of a virtual package: the first.
    /^    [^ ]/ && virt { print parent, $1; virt = 0 }' <<<"$out")
  todo=("${next[@]}")
done

key=$(xcx_versions_key "layout $layout release $release" "${pkgs[@]}")
dir="$cache/pkgs-$release-$key"

exec 9>"$cache/.lock"
flock 9
if [ -f "$dir/.complete" ]; then
  touch "$dir/.complete"
  echo "$dir/root"
  exit 0
fi

xcx_log "cache $dir is cold: downloading ${#pkgs[@]} packages of $release"
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp/debs" "$dir.tmp/root"
(
  cd "$dir.tmp/debs"
  apt-get "${XCX_APT[@]}" download "${pkgs[@]}" >&2
) || xcx_die "release $release: apt-get download failed (see above for the package)"
root="$dir.tmp/root"
for deb in "$dir.tmp"/debs/*.deb; do
  case $(basename "$deb") in
  linux-image-[0-9]*)
    # Only the kernel image and the Xen driver modules are needed; where
    # they are differs (lib/ or usr/lib/, .ko or .ko.xz).
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$root" --wildcards \
      './boot/vmlinuz-*' '*/modules/*/kernel/drivers/xen/*' ;;
  qemu-system-data_*)
    # The device model opens the keymap even with VNC off.
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$root" --wildcards \
      './usr/share/qemu/keymaps/*' ;;
  *)
    dpkg-deb -x "$deb" "$root" ;;
  esac || xcx_die "unpacking $(basename "$deb") failed"
done
(
  cd "$dir.tmp/debs"
  for deb in *.deb; do
    dpkg-deb -W --showformat='${Package} ${Version}\n' "$deb"
  done
) >"$dir.tmp/manifest"

# Sanity: the pieces the boot needs are there, wherever the release puts
# them (merged /usr or not).
xen=$(ls "$root"/boot/xen-*-amd64.gz 2>/dev/null | head -n1)
[ -n "$xen" ] || xcx_die "no boot/xen-*-amd64.gz after unpacking the xen-hypervisor package"
ver=$(basename "$xen" .gz)
ver=${ver#xen-}
ver=${ver%-amd64}
for f in "usr/lib/xen-$ver/boot/hvmloader:xen-utils-$ver" \
  "usr/lib/xen-$ver/bin/xl:xen-utils-$ver" \
  "usr/share/seabios/bios-256k.bin:seabios" \
  "usr/share/qemu/keymaps/en-us:qemu-system-data"; do
  [ -e "$root/${f%%:*}" ] || xcx_die "no ${f%%:*} after unpacking ${f#*:}"
done
ls "$root"/boot/vmlinuz-* >/dev/null 2>&1 || xcx_die "no boot/vmlinuz-* in the linux-image package"
[ -e "$root/bin/busybox" ] || [ -e "$root/usr/bin/busybox" ] ||
  xcx_die "no busybox after unpacking busybox-static"
# The multiboot loader of QEMU needs Xen uncompressed.
gunzip -c "$xen" >"${xen%.gz}"
echo "$ver" >"$dir.tmp/xen-version"
rm -rf "$dir.tmp/debs"

# Publish, then drop this release's trees of older package versions.
rm -rf "$dir"
mv "$dir.tmp" "$dir"
touch "$dir/.complete"
for old in "$cache"/pkgs-"$release"-*; do
  [ "$old" = "$dir" ] || rm -rf "$old"
done
xcx_log "cache ready: $dir (Xen $ver, $(du -sh "$dir" | cut -f1))"
echo "$dir/root"
