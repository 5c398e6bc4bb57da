#!/bin/busybox sh
# /init of the e2e dom0: bring up what the Xen tools need, run
# /scenario.sh, power off. Everything goes to the console (hvc0 -> Xen's
# console -> COM1 -> QEMU's stdio).
/bin/busybox --install -s
# The Xen tools' directory (usr/lib/xen-X.Y/bin) of whichever Xen this is.
for XEN_BIN in /usr/lib/xen-*/bin; do :; done
export PATH=/opt/xcx/bin:$XEN_BIN:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
export LD_LIBRARY_PATH=/opt/xcx/lib # the freshly built libxenctrl_ext.so.1

say() { echo "E2E-INIT $*"; }
die() {
  echo "E2E-FATAL $*"
  poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620 devpts /dev/pts # xenconsoled needs ptys
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -p /run/xen /run/xenstored /run/lock
# Keep the kernel's own messages off the console: only errors.
echo 3 >/proc/sys/kernel/printk

# Keep one dom0 vCPU busy until the end. Under QEMU's TCG an idle dom0 vCPU
# is woken late (seconds) for the event channels the guests signal, and
# every I/O request of the HVM guest waits for such a wakeup: hvmloader
# alone took 18-40 s with an idle dom0 and 1 s with a busy one (NOTES.md).
(while :; do :; done) &
spinner=$!

for m in xen-privcmd xen-evtchn xen-gntdev xen-gntalloc xenfs; do
  insmod /lib/modules/$m.ko || die "insmod $m failed"
done
mount -t xenfs xenfs /proc/xen || die "mounting xenfs failed"
[ -e /dev/xen/privcmd ] || die "no /dev/xen/privcmd"

xenstored --pid-file /run/xenstored.pid || die "xenstored failed"
n=0
until xenstore-exists / 2>/dev/null; do
  n=$((n + 1))
  [ $n -gt 100 ] && die "xenstored does not answer"
  usleep 100000
done
xen-init-dom0 >/tmp/xen-init-dom0.log 2>&1 ||
  { cat /tmp/xen-init-dom0.log; die "xen-init-dom0 failed"; }
# Guests' consoles logged to /var/log/xen/console/guest-NAME.log: the PV
# guest says there what its kernel knows of its own mappings.
mkdir -p /var/log/xen/console
xenconsoled --pid-file=/run/xenconsoled.pid --log=guest ||
  die "xenconsoled failed"
say "dom0 ready after $(cut -d' ' -f1 /proc/uptime) s of dom0 uptime"

sh /scenario.sh
rc=$?
# A step that ran out killed the scenario: print what the others kept.
[ -e /results/.finished ] || sh /scenario.sh --finish
kill $spinner
say "scenario exited with $rc"
sync
poweroff -f
