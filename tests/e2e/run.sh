#!/usr/bin/env bash
# The e2e suite's boot test: fetch (or reuse) Debian's Xen packages, build
# the dom0 initramfs from this build's tools, boot it under QEMU and keep
# the serial log for the per-scenario tests (check.py).
#
#   run.sh OUTDIR BUILD_DIR GUEST=PATH... -- TOOL...
#
# Environment: XCX_E2E_CACHE (download cache), XCX_E2E_TIMEOUT (QEMU's
# bound in seconds, default 420), XCX_E2E_CPU, XCX_E2E_SMP (see boot.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1 build=$2
shift 2
guests=() tools=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do guests+=(--guest "$1"); shift; done
[ $# -gt 0 ] && shift
for t in "$@"; do tools+=(--tool "$t"); done

mkdir -p "$out"
rm -rf "$out/results" "$out/serial.log"
mkdir -p "$out/results"
t0=$(date +%s.%N)
elapsed() { echo "$(date +%s.%N) $t0" | awk '{printf "%.1f", $1 - $2}'; }

# A failure before the boot: say why, as the scenarios' checker would.
fail_boot() {
  echo "E2E-RESULT boot FAIL $*"
  echo "FAIL $*" >"$out/results/boot.result"
  exit 1
}

for p in qemu-system-x86_64 cpio gzip; do
  command -v $p >/dev/null ||
    fail_boot "no $p on this host: run tests/e2e/setup-host.sh"
done
for t in "${tools[@]}"; do
  [ "$t" = --tool ] || [ -x "$t" ] || fail_boot "no built program $t"
done

root=$("$here/fetch.sh") || fail_boot "fetch.sh could not provide the Xen packages"
echo "e2e: packages ready after $(elapsed) s: $root"
python3 "$here/mkinitramfs.py" --cache-root "$root" --build-dir "$build" \
  --init "$here/init.sh" --scenario "$here/scenario.sh" \
  "${guests[@]}" "${tools[@]}" --out "$out/dom0-initrd.cpio" ||
  fail_boot "mkinitramfs.py could not build the dom0 initramfs"
echo "e2e: initramfs ready after $(elapsed) s ($(du -h "$out/dom0-initrd.cpio" | cut -f1))"

set +e
"$here/boot.sh" "$root" "$out/dom0-initrd.cpio" "$out/serial.log" \
  "${XCX_E2E_TIMEOUT:-420}"
rc=$?
set -e
echo "e2e: QEMU exited $rc after $(elapsed) s; serial log: $out/serial.log"
if [ $rc -eq 124 ]; then
  echo "E2E-TIMEOUT QEMU killed after ${XCX_E2E_TIMEOUT:-420} s" >>"$out/serial.log"
fi
crc=0
python3 "$here/check.py" --log "$out/serial.log" --results "$out/results" boot ||
  crc=$?
[ $rc -eq 0 ] || exit 1
exit $crc
