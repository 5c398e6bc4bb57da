#!/usr/bin/env bash
# Boots Debian's Xen (whichever version fetch.sh unpacked) + its dom0 kernel + an e2e initramfs under QEMU's
# software emulation and writes the serial console to a log file.
#
#   boot.sh CACHE_ROOT INITRD LOG [TIMEOUT_SECONDS]
#
# Environment: XCX_E2E_CPU (QEMU -cpu, default qemu64,+svm,+npt,+rdrand;
# `max,-smap` is the documented alternative), XCX_E2E_SMP (default 2).
# Bounded by `timeout`; only the QEMU this script started is ever killed,
# by the pid in its own -pidfile. Exit status: QEMU's (0 after the dom0's
# `poweroff -f`), 124 on timeout.
set -euo pipefail

root=$1 initrd=$2 log=$3 limit=${4:-420}
cpu=${XCX_E2E_CPU:-qemu64,+svm,+npt,+rdrand}
smp=${XCX_E2E_SMP:-2}

xen=$(ls "$root"/boot/xen-*-amd64 2>/dev/null | head -n1)
kernel=$(ls "$root"/boot/vmlinuz-* | head -n1)
[ -f "$xen" ] && [ -f "$kernel" ] && [ -f "$initrd" ] || {
  echo "boot.sh: missing $xen, $kernel or $initrd" >&2
  exit 2
}
case "$kernel$initrd" in
*,*) echo "boot.sh: no comma may appear in the module paths" >&2; exit 2 ;;
esac

pidfile=$(mktemp "${TMPDIR:-/tmp}/xcx-e2e-qemu.XXXXXX")
rm -f "$pidfile"
tpid=""
kill_ours() {
  local pid
  # `timeout` runs in a process group of its own, which a test harness's
  # kill of our group does not reach: stop it, and QEMU, ourselves.
  [ -n "$tpid" ] && kill -TERM "$tpid" 2>/dev/null
  pid=$(cat "$pidfile" 2>/dev/null) || pid=""
  # Only our QEMU: the pid from our pidfile, and still a QEMU.
  if [ -n "$pid" ] && grep -qa qemu-system "/proc/$pid/cmdline" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    sleep 1
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}
trap kill_ours EXIT
trap 'exit 143' TERM INT HUP

# Xen: serial console on COM1, everything logged, guests' port 0xE9 output
# in the console (guest_loglvl=all). dom0: 768 MiB, console on hvc0.
xen_args="console=com1 dom0_mem=768M,max:768M loglvl=all guest_loglvl=all conring_size=1M console_timestamps=boot"
dom0_args="console=hvc0 rdinit=/init"

# In the background, so that a TERM from the test harness is handled at
# once (bash runs traps only between foreground commands, but during wait).
timeout --kill-after=10 "$limit" \
  qemu-system-x86_64 -machine pc -accel tcg -cpu "$cpu" -m 2048 -smp "$smp" \
  -display none -vga none -monitor none -serial stdio -no-reboot \
  -nodefaults -pidfile "$pidfile" \
  -kernel "$xen" -append "$xen_args" \
  -initrd "$kernel $dom0_args,$initrd" </dev/null >"$log" 2>&1 &
tpid=$!
rc=0
wait "$tpid" || rc=$?
tpid=""
exit $rc
