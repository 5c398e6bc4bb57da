#!/bin/sh
# The e2e scenario, run by /init in dom0 once xenstored, xen-init-dom0 and
# xenconsoled are up. It creates the test guests, runs the project's tools
# on them and keeps every output in /results; at the end it pauses the
# guests (a quiet console) and prints every file in a framed block:
#
#   E2E-BLOCK-BEGIN <name>
#   |<line of the file>
#   E2E-BLOCK-END <name> lines=<n> md5=<md5 of the file>
#
# Xen's own console lines may still land between the framed lines (they
# start with "(XEN)" or "(dN)", never with "|"); the md5 lets the checker
# detect a line that was cut. Judging is done on the host by check.py, from
# these blocks; this script only runs things and keeps what they said.
#
# Files per command NAME: NAME.cmd (the command line), NAME.out, NAME.err,
# NAME.rc. Guests' port-0xE9 output and hvmloader's report are read from
# xl-dmesg.out (Xen's console ring, `xl dmesg`). Progress goes to the
# console as it happens: "E2E-STEP ... t=<dom0 uptime>".

R=/results
mkdir -p $R
: >/etc/xen/xl.conf

step() {
  read -r up _ </proc/uptime
  echo "E2E-STEP $* t=$up"
}

# keep NAME FILE: a file to print at the end.
keep() {
  [ "$2" = "$R/$1" ] || cp "$2" "$R/$1"
  echo "$1" >>$R/.order
}

# run NAME CMD...: run a command, keep its output, exit status and command
# line.
run() {
  n=$1
  shift
  echo "$*" >$R/$n.cmd
  "$@" >$R/$n.out 2>$R/$n.err
  echo $? >$R/$n.rc
  for x in cmd out err rc; do echo "$n.$x" >>$R/.order; done
  step "ran $n rc=$(cat $R/$n.rc)"
}

# Print every kept file, framed, in the order it was kept: one md5sum and
# one awk for all of them (every fork is slow under emulation).
emit_all() {
  (
    cd $R || exit 1
    # shellcheck disable=SC2046
    md5sum $(cat .order) >/tmp/sums
    awk 'BEGIN {
      while ((getline l < "/tmp/sums") > 0) {
        f = substr(l, 35); sum[++n] = substr(l, 1, 32); name[n] = f
      }
      for (i = 1; i <= n; i++) {
        f = name[i]; c = 0
        print "E2E-BLOCK-BEGIN " f
        while ((getline l < f) > 0) { print "|" l; c++ }
        close(f)
        print "E2E-BLOCK-END " f " lines=" c " md5=" sum[i]
      }
    }'
  )
}

# wait_dmesg PATTERN SECONDS: until `xl dmesg` has a line matching PATTERN.
wait_dmesg() {
  n=0
  while ! xl dmesg | grep -q -- "$1"; do
    n=$((n + 1))
    if [ $n -gt $(($2 * 2)) ]; then
      echo "E2E-TIMEOUT waiting for '$1'"
      return 1
    fi
    usleep 500000
  done
}

# Guest-physical addresses asked of the PVH guests: every fixed-range
# region, each variable pair, their overlaps, gaps, and high addresses
# (kept below 2^36, the smallest width a guest may have here).
PVH_GPAS="0x0 0x40000 0x50000 0x60000 0x70000 0x80000 0x98000 0x9c000
 0xa0000 0xbf000 0xc0000 0xc8000 0xcc000 0xd0000 0xf0000 0xf8000 0xfc000
 0x100000 0x1000000 0x8000000 0xa000000 0xc000000 0x10000000 0x18000000
 0x20000000 0x3f000000 0x3fff0000 0x40000000 0x48000000 0x50000000
 0x58000000 0x60000000 0x80000000 0x90000000 0x90ff0000 0x91000000
 0xc0000000 0xc8000000 0xd0000000 0xf0000000 0xfff00000 0x100000000
 0x110000000 0x150000000 0xffffff000"
# The HVM guest: low RAM and the fixed ranges, the VGA hole, RAM above
# 1 MiB, the PCI hole (mmio_hole=384: from 0xe8000000; hvmloader covers
# [0xe8000000, 0xfc000000) with three UC pairs, of which the save record
# shows only the first), the reserved region above it, and above 4 GiB.
HVM_GPAS="0x0 0x9f000 0xa0000 0xb8000 0xbf000 0xc0000 0xe0000 0xf0000
 0x100000 0x1000000 0x3fff000 0x4000000 0x80000000 0xe7fff000 0xe8000000
 0xefffe000 0xf0000000 0xf8000000 0xfbfff000 0xfc000000 0xfee00000 0xfffff000
 0x100000000"

step "scenario start"
run xl-info xl info

# --- PVH guests: our own freestanding kernel programs the MTRRs ------------
for g in mixed disabled sparse; do
  case $g in mixed) vcpus=2 ;; *) vcpus=1 ;; esac
  cat >/etc/xen/pvh-$g.cfg <<EOF
name = "pvh-$g"
type = "pvh"
kernel = "/guests/pvh-$g.elf"
memory = 16
vcpus = $vcpus
on_crash = "preserve"
EOF
  run create-pvh-$g xl create /etc/xen/pvh-$g.cfg
done
for g in mixed disabled sparse; do
  wait_dmesg "XCX $g all done" 60
done
step "pvh guests done"
for g in mixed disabled sparse; do
  d=$(xl domid pvh-$g)
  echo "$d" >$R/domid-pvh-$g
  keep domid-pvh-$g $R/domid-pvh-$g
  # shellcheck disable=SC2086
  run pvh-$g-type-json xc-mtrr-type --all-vcpus --json "$d" $PVH_GPAS
  run pvh-$g-map-json xc-mtrr-map --all-vcpus --json "$d"
  run pvh-$g-map xc-mtrr-map --all-vcpus "$d"
  # shellcheck disable=SC2086
  run pvh-$g-compat xcx-e2e-compat "$d" $PVH_GPAS
done
# Xen's own dump of the record (xen-hvmctx), only its MTRR entries.
hvmctx_mtrr() {
  xen-hvmctx "$1" >/tmp/hvmctx || return
  awk '/^Entry/ { p = / type 14 / } p' /tmp/hvmctx
}
run pvh-mixed-hvmctx hvmctx_mtrr "$(cat $R/domid-pvh-mixed)"
run pvh-mixed-type xc-mtrr-type --vcpu 1 "$(cat $R/domid-pvh-mixed)" \
  0x0 0x8000000 0x80000000 0x90000000
run pvh-mixed-range xc-mtrr-type --json --size 2M "$(cat $R/domid-pvh-mixed)" \
  0x0 0x7fe00000 0x80000000 0x8000000
step "pvh checks done"

# --- A nonexistent domain ---------------------------------------------------
run nodomain-type xc-mtrr-type 4242 0x1000
run nodomain-map xc-mtrr-map 4242
run nodomain-compat xcx-e2e-compat 4242 0x1000

# --- HVM guest: hvmloader + SeaBIOS, qemu-system-xen as device model -------
cat >/etc/xen/hvm.cfg <<EOF
name = "hvm"
type = "hvm"
memory = 64
vcpus = 2
mmio_hole = 384
device_model_version = "qemu-xen"
vga = "none"
nographic = 1
vnc = 0
sdl = 0
serial = "none"
boot = "c"
on_reboot = "destroy"
on_crash = "preserve"
EOF
keep hvm.cfg /etc/xen/hvm.cfg
run create-hvm xl create /etc/xen/hvm.cfg
d=$(xl domid hvm)
echo "$d" >$R/domid-hvm
keep domid-hvm $R/domid-hvm
if wait_dmesg "(d$d) .*Invoking SeaBIOS" 90; then
  step "hvmloader done"
  # shellcheck disable=SC2086
  run hvm-type-json xc-mtrr-type --all-vcpus --json "$d" $HVM_GPAS
  run hvm-map-json xc-mtrr-map --all-vcpus --json "$d"
  run hvm-map xc-mtrr-map "$d"
  run hvm-hvmctx hvmctx_mtrr "$d"
fi
if [ -f /var/log/xen/qemu-dm-hvm.log ]; then
  keep qemu-dm-hvm.log /var/log/xen/qemu-dm-hvm.log
fi

# --- PV guest: Debian's kernel with a tiny busybox initramfs --------------
cat >/etc/xen/pv.cfg <<EOF
name = "pv"
type = "pv"
kernel = "/guests/vmlinuz"
ramdisk = "/guests/pv-initrd.gz"
extra = "console=hvc0 rdinit=/init quiet"
memory = 128
vcpus = 1
on_crash = "preserve"
EOF
run create-pv xl create /etc/xen/pv.cfg
d=$(xl domid pv)
echo "$d" >$R/domid-pv
keep domid-pv $R/domid-pv
run pv-type xc-mtrr-type "$d" 0x1000
run pv-type-json xc-mtrr-type --json "$d" 0x1000
run pv-map xc-mtrr-map "$d"
run pv-compat xcx-e2e-compat "$d" 0x1000
step "pv checks done"

# --- The end: quiet the guests, then print everything ----------------------
run xl-list xl list
for g in pvh-mixed pvh-disabled pvh-sparse hvm pv; do
  xl pause "$g" 2>/dev/null
done
# Everything Xen printed, guests' port-0xE9 output included.
run xl-dmesg xl dmesg
step "scenario end"
emit_all
