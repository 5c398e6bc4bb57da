#!/usr/bin/env bash
# The e2e suite's boot test for one Debian release: fetch (or reuse) that
# release's Xen packages, build the dom0 programs against its libraries (the
# host's build when it is the host's release, else a build in a root of
# that release: buildroot.sh), build the dom0 initramfs, boot it under QEMU
# and keep the serial log for the per-scenario tests (check.py).
#
#   run.sh OUTDIR BUILD_DIR SRC_DIR XEN_VERSION GUEST=PATH... -- TOOL...
#
# Environment: XCX_E2E_RELEASE (the release; default the host's),
# XCX_E2E_CACHE (download cache), XCX_E2E_TIME_SCALE (multiplies every time
# bound, default 1), XCX_E2E_CPU, XCX_E2E_SMP (see boot.sh).
#
# Time bounds, each phase its own, so that a slow machine is told which
# phase ran out: fetch, buildroot, initramfs, and the boot, whose bound is
# derived from the scenario's per-step bounds (`begin NAME SECONDS` lines
# in scenario.sh) plus dom0's start and the final printing. Each phase's
# time goes to OUTDIR/times.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1 build=$2 src=$3 want_xen=$4
shift 4
guests=() tools=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do guests+=(--guest "$1"); shift; done
[ $# -gt 0 ] && shift
tools=("$@")
scale=${XCX_E2E_TIME_SCALE:-1}

mkdir -p "$out"
rm -rf "$out/results" "$out/serial.log" "$out/times"
mkdir -p "$out/results"
t0=$(date +%s.%N)
elapsed() { echo "$(date +%s.%N) $1" | awk '{printf "%.1f", $1 - $2}'; }

# A failure before the boot: say why, as the scenarios' checker would.
fail_boot() {
  echo "E2E-RESULT boot FAIL $*"
  echo "FAIL $*" >"$out/results/boot.result"
  exit 1
}

# phase NAME BOUND CMD...: CMD bounded by BOUND seconds (times the scale);
# its stdout is kept in $phase_out.
phase() {
  local name=$1 bound=$(($2 * scale)) t rc=0
  shift 2
  t=$(date +%s.%N)
  phase_out=$(timeout --kill-after=10 "$bound" "$@") || rc=$?
  echo "$name $(elapsed "$t")" >>"$out/times"
  echo "e2e: $name took $(elapsed "$t") s (bound $bound s)"
  [ $rc -ne 124 ] || fail_boot "phase $name ran out after $bound s"
  return $rc
}

for p in qemu-system-x86_64 cpio gzip; do
  command -v $p >/dev/null ||
    fail_boot "no $p on this host: run tests/e2e/setup-host.sh"
done
for t in "${tools[@]}"; do
  [ -x "$t" ] || fail_boot "no built program $t"
done

release=$("$here/release.sh" codename) || fail_boot "no release to test"
host=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
echo "e2e: Debian $release, Xen $want_xen expected"

phase fetch 900 "$here/fetch.sh" ||
  fail_boot "fetch.sh could not provide $release's Xen packages (the reason is above)"
root=$phase_out
got_xen=$(cat "$root/../xen-version")
[ "$got_xen" = "$want_xen" ] ||
  fail_boot "$release now ships Xen $got_xen, not $want_xen: reconfigure (meson setup --reconfigure)"

# The dom0 programs: this build when the release is the host's, else built
# in a root of the release (same targets, same places under its build dir).
if [ "$release" != "$host" ]; then
  rel=()
  for t in "${tools[@]}"; do rel+=("${t#"$build"/}"); done
  phase buildroot 1200 "$here/buildroot.sh" "$src" "${rel[@]}" ||
    fail_boot "building the dom0 programs in a $release root failed (the reason is above)"
  rbuild=$phase_out
  for i in "${!tools[@]}"; do tools[i]=$rbuild/${rel[i]}; done
  build=$rbuild
fi
targs=()
for t in "${tools[@]}"; do targs+=(--tool "$t"); done

phase initramfs 300 python3 "$here/mkinitramfs.py" --cache-root "$root" \
  --build-dir "$build" --init "$here/init.sh" --scenario "$here/scenario.sh" \
  --time-scale "$scale" "${guests[@]}" "${targs[@]}" \
  --out "$out/dom0-initrd.cpio" ||
  fail_boot "mkinitramfs.py could not build the dom0 initramfs (the reason is above)"
echo "e2e: initramfs $(du -h "$out/dom0-initrd.cpio" | cut -f1)"

# QEMU's bound: Xen and dom0 up (300 s), every step's bound, the printing.
steps=$(awk '/^begin [a-z0-9-]+ [0-9]+$/ { s += $3 } END { print s + 0 }' \
  "$here/scenario.sh")
limit=$(((300 + steps + 120) * scale))
echo "e2e: QEMU bound $limit s (300 s to dom0, $steps s of steps, 120 s to print, times $scale)"
t=$(date +%s.%N)
set +e
"$here/boot.sh" "$root" "$out/dom0-initrd.cpio" "$out/serial.log" "$limit"
rc=$?
set -e
echo "boot $(elapsed "$t")" >>"$out/times"
echo "e2e: QEMU exited $rc after $(elapsed "$t") s; serial log: $out/serial.log"
if [ $rc -eq 124 ]; then
  echo "E2E-TIMEOUT QEMU killed after $limit s" >>"$out/serial.log"
fi
echo "total $(elapsed "$t0")" >>"$out/times"
crc=0
python3 "$here/check.py" --log "$out/serial.log" --results "$out/results" \
  --xen "$want_xen" --save-dir "$out" boot || crc=$?
[ $rc -eq 0 ] || exit 1
exit $crc
