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
#
# Time bounds: every section starts with `begin NAME SECONDS`, its bound on
# a loaded machine (times XCX_E2E_TIME_SCALE, from /etc/xcx-e2e.conf). A
# section that runs out is reported ("E2E-TIMEOUT step NAME ran out after
# N s"), the scenario is killed with what it was running, and init.sh runs
# `scenario.sh --finish` (the section `end`), which lists the domains,
# takes `xl dmesg` and prints everything kept: the checks of the sections
# that completed are judged as usual. The host derives QEMU's bound from
# these numbers (run.sh).

R=/results
mkdir -p $R
: >/etc/xen/xl.conf

step() {
  read -r up _ </proc/uptime
  echo "E2E-STEP $* t=$up"
}

SCALE=1
[ -f /etc/xcx-e2e.conf ] && . /etc/xcx-e2e.conf
STEP="" WD=""
# This shell and the processes under it (not the watchdog @1), killed when
# a step runs out: one awk over /proc (forks are slow under emulation).
# init.sh then runs `scenario.sh --finish`.
kill_step() {
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v top=$$ -v me="$1" '
    { pid = $1; sub(/^.*\) /, ""); pp[pid] = $2 }
    END { n = 0; q[n++] = top
      for (i = 0; i < n; i++) for (p in pp) if (pp[p] == q[i] && p != me) q[n++] = p
      for (i = 0; i < n; i++) print q[i] }' | xargs -r kill -KILL 2>/dev/null
}
# begin NAME SECONDS: a new section, bounded.
begin() {
  [ -n "$WD" ] && kill "$WD" 2>/dev/null
  [ -n "$STEP" ] && [ ! -e $R/.expired ] && step "end $STEP"
  STEP=$1
  b=$(($2 * SCALE))
  step "begin $STEP bound=${b}s"
  [ -e $R/.expired ] && WD="" && return
  (
    sleep $b
    read -r me _ </proc/self/stat
    echo "$STEP $b" >$R/.expired
    echo "E2E-TIMEOUT step $STEP ran out after $b s"
    kill_step "$me"
  ) &
  WD=$!
}
# True once a step has run out: the rest is skipped.
expired() { [ -e $R/.expired ]; }

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
  if expired; then
    : >$R/$n.out
    echo "skipped: step $(cat $R/.expired) s ran out" >$R/$n.err
    echo 124 >$R/$n.rc
    for x in cmd out err rc; do echo "$n.$x" >>$R/.order; done
    return
  fi
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

# The end: quiet the guests, then print everything. Also what init.sh runs
# (scenario.sh --finish) when a step ran out and took the scenario down:
# xl dmesg and the listing are what the completed steps are judged against.
finish() {
  [ -e $R/.expired ] && mv $R/.expired $R/.ranout
  begin end 300
  run xl-list xl list
  for g in pvh-mixed pvh-disabled pvh-sparse hvm pv; do
    xl pause "$g" 2>/dev/null
  done
  # Everything Xen printed, guests' port-0xE9 output included.
  run xl-dmesg xl dmesg
  step "scenario end"
  [ -n "$WD" ] && kill "$WD" 2>/dev/null
  emit_all
  : >$R/.finished
}
if [ "${1:-}" = --finish ]; then
  finish
  exit 0
fi

# wait_dmesg PATTERN SECONDS: until `xl dmesg` has a line matching PATTERN.
wait_dmesg() {
  n=0
  while ! xl dmesg | grep -q -- "$1"; do
    expired && return 1
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

begin pvh 300
step "scenario start"
run xl-info xl info
# Which Xen the tools say they run on (and were built for).
run version-type xc-mtrr-type --version
run version-audit xc-mtrr-audit --version

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

# --- effective types (issue 12a): this bed is AMD with NPT -----------------
# What a PV dom0 sees of the host MTRRs, then the effective type of guest
# RAM and of the hole through PAT index 0 (WB) and 3 (UC), every vCPU.
run eff-proc-mtrr sh -c 'ls -l /proc/mtrr; cat /proc/mtrr'
d=$(cat $R/domid-pvh-mixed)
run eff-type xc-mtrr-type --effective --pat-index 0 --all-vcpus --json "$d" \
  0x0 0x100000 0x80000000 0xe8000000
run eff-type-uc xc-mtrr-type --effective --pat-index 3 --json "$d" \
  0x100000 0x80000000
run eff-type-plain xc-mtrr-type --effective --pat-index 0 "$d" 0x100000
run eff-audit xc-mtrr-audit --json "$d"
step "effective checks done"

# --- xc-mtrr-watch from the guest's first instruction -----------------------
begin watch 300
# The "watch" PVH guest is created paused; the watcher attaches with
# --from-start --record, then the guest runs: it programs its MTRRs (every
# write seen), says "all done", then keeps rewriting MTRRphysBase7 with a
# heartbeat line every few writes. SIGINT stops the watcher while the guest
# writes; the guest must go on running (xl list, heartbeats), a second
# watcher must attach, and replaying the log on a saved context must give
# what the live tracker had.
WATCH_GPAS="$PVH_GPAS 0x20000 0xe4000 0x2fffffff 0x30000000 0x40ff0000
 0x7ffff000 0xbffff000 0xdfff0000 0xe0000000 0xe0fff000 0xe1000000 0xf3fff000
 0xf4000000 0x13ffff000 0x140000000"
last_beat() {
  xl dmesg | grep "XCX watch beat" | tail -n 1
}
cat >/etc/xen/pvh-watch.cfg <<EOF
name = "pvh-watch"
type = "pvh"
kernel = "/guests/pvh-watch.elf"
memory = 16
vcpus = 2
on_crash = "preserve"
EOF
run create-pvh-watch xl create -p /etc/xen/pvh-watch.cfg
d=$(xl domid pvh-watch)
echo "$d" >$R/domid-pvh-watch
keep domid-pvh-watch $R/domid-pvh-watch
# The watcher in the background, as xc-mtrr-watch(1) documents it: with
# --unpause it unpauses the guest itself once attached, and says so first
# (an "attached" event). A non-interactive shell starts it with SIGINT
# ignored; xc-mtrr-watch installs its own handler all the same.
: >$R/watch.log
set -- xc-mtrr-watch --from-start --unpause --record $R/watch.log --json \
  --show-final "$d"
echo "$*" >$R/watch1.cmd
"$@" >$R/watch1.out 2>$R/watch1.err &
wpid=$!
# Done programming, and 16 loop writes made (a beat every 8).
if wait_dmesg "XCX watch all done" 60 &&
  wait_dmesg "XCX watch beat 10\$" 30; then
  step "pvh-watch writing"
fi
run watch-beat-0 last_beat
kill -INT "$wpid"
# Bounded: a watcher that hangs in its teardown is killed after 30 s.
(sleep 30 && kill -KILL "$wpid" 2>/dev/null) &
dog=$!
wait "$wpid"
echo $? >$R/watch1.rc
kill "$dog" 2>/dev/null
for x in cmd out err rc; do echo "watch1.$x" >>$R/.order; done
step "watcher stopped rc=$(cat $R/watch1.rc)"
run watch-list xl list
run watch-beat-1 last_beat
usleep 1000000
run watch-beat-2 last_beat
run watch2 xc-mtrr-watch --count 3 --duration 20 --json "$d"
usleep 500000
run watch-beat-3 last_beat
# --from-start on a guest that has run: refused, the guest left running;
# paused, it is left paused (even with --unpause).
run watch-refused xc-mtrr-watch --from-start --json --count 1 --duration 10 \
  "$d"
run watch-refused-list xl list
xl pause "$d"
run watch-refused-paused xc-mtrr-watch --from-start --unpause --count 1 \
  --duration 10 "$d"
run watch-refused-paused-list xl list
xl unpause "$d"
# Its context for the replay, then the guest goes: it would keep writing
# onto dom0's console lines and take CPU from the scenarios after this one.
xl pause "$d"
run watch-savectx xcx-e2e-savectx "$d" /tmp/watch.ctx
run watch-destroy xl destroy "$d"
keep watch.log $R/watch.log
# The guest's physical-address width, from its own report (hex).
w=$(xl dmesg | sed -n 's/.*XCX watch start maxphys \([0-9a-f]*\).*/\1/p')
run watch-map-replay xc-mtrr-map --all-vcpus --json -w "0x$w" \
  --context /tmp/watch.ctx --replay $R/watch.log
# shellcheck disable=SC2086
run watch-type-replay xc-mtrr-type --all-vcpus --json -w "0x$w" \
  --context /tmp/watch.ctx --replay $R/watch.log $WATCH_GPAS
run watch-map-record xc-mtrr-map --all-vcpus --json -w "0x$w" \
  --context /tmp/watch.ctx
# The log says its own width and mode: replayed with no option, the same;
# a width that contradicts its header is refused.
run watch-map-replay-bare xc-mtrr-map --all-vcpus --json \
  --context /tmp/watch.ctx --replay $R/watch.log
# shellcheck disable=SC2086
run watch-type-replay-bare xc-mtrr-type --all-vcpus --json \
  --context /tmp/watch.ctx --replay $R/watch.log $WATCH_GPAS
wrong=36
[ $((0x$w)) = 36 ] && wrong=40
run watch-replay-wrongw xc-mtrr-map --all-vcpus --json -w $wrong \
  --context /tmp/watch.ctx --replay $R/watch.log
step "watch checks done"

# --- A nonexistent domain ---------------------------------------------------
begin nodomain 120
run nodomain-type xc-mtrr-type 4242 0x1000
run nodomain-map xc-mtrr-map 4242
run nodomain-compat xcx-e2e-compat 4242 0x1000

# --- HVM guest: hvmloader + SeaBIOS, qemu-system-xen as device model -------
begin hvm 360
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
  # The whole context of this real hvmloader guest, for the host to keep
  # as a sample of this Xen's records (check.py --save-dir).
  run hvm-savectx xcx-e2e-savectx "$d" /tmp/hvm.ctx
  # shellcheck disable=SC2086
  run hvm-ctx-type-json xc-mtrr-type --all-vcpus --json --context /tmp/hvm.ctx \
    $HVM_GPAS
  base64 /tmp/hvm.ctx >$R/hvm-savectx.b64 2>/dev/null &&
    keep hvm-savectx.b64 $R/hvm-savectx.b64
  rm -f /tmp/hvm.ctx
fi
# SeaBIOS finds no boot device and resets the guest some seconds later
# (on_reboot: destroyed): paused here, it stays for the audit and the end.
xl pause "$d"
if [ -f /var/log/xen/qemu-dm-hvm.log ]; then
  keep qemu-dm-hvm.log /var/log/xen/qemu-dm-hvm.log
fi

# --- PV guest: Debian's kernel with a tiny busybox initramfs --------------
begin pv-start 300
# Created paused: first its start-of-day state, the page tables, start_info
# and boot stack Xen's domain builder set up (found from vCPU 0's context
# and start_info), walked before the guest's first instruction; then it
# boots while the MTRR tools and the audit run, and its /init prints what
# its kernel says of its own layout (kallsyms, /proc/iomem, vmallocinfo) on
# its console, which xenconsoled logs.
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
run create-pv xl create -p /etc/xen/pv.cfg
pvd=$(xl domid pv)
echo "$pvd" >$R/domid-pv
keep domid-pv $R/domid-pv

# hx EXPR: a shell arithmetic expression (64-bit, wrapping) as 0x... hex.
hx() { printf '0x%x' $(($1)); }
# field KEY FILE: the value of a "KEY value" line.
field() { sed -n "s/^$1 //p" "$2" | head -n 1; }

run pv-sod-info xcx-e2e-pvref info "$pvd"
run pv-sod-startinfo xcx-e2e-pvref startinfo "$pvd"
pv_sod_vas() {
  i=$R/pv-sod-info.out si=$R/pv-sod-startinfo.out
  rip=$(field rip $i) rsp=$(field rsp $i) rsi=$(field rsi $i)
  pt=$(field pt_base $si) npt=$(field nr_pt_frames $si)
  ml=$(field mfn_list $si) np=$(field nr_pages $si)
  [ -n "$rip" ] && [ -n "$pt" ] && [ -n "$ml" ] || return
  # Entry point, boot stack, start_info and the xenstore and console pages
  # the builder puts after it, the page tables (the L4 at pt_base), the
  # builder's P2M list (its first and last entry), the kernel image's link
  # address (pfn 0) and _text's; holes: no user space, no direct map yet,
  # Xen's areas.
  echo "$rip $(hx "$rsp - 8") $rsi $(hx "$rsi + 0x1000") $(hx "$rsi + 0x2000")" \
    "$pt $(hx "$pt + 0x1000") $(hx "$pt + ($npt - 1) * 0x1000")" \
    "$ml $(hx "$ml + ($np - 1) * 8")" \
    "0xffffffff80000000 0xffffffff81000000" \
    "0x1000 0xffff888000000000 0xffff800000000000 0xffff830000000000"
}
PV_SOD_VAS=$(pv_sod_vas)
echo "$PV_SOD_VAS" >$R/pv-sod-vas
keep pv-sod-vas $R/pv-sod-vas
if [ -n "$PV_SOD_VAS" ]; then
  # shellcheck disable=SC2086
  run pv-sod-walk xc-pv-pagetable --json "$pvd" $PV_SOD_VAS
  # shellcheck disable=SC2086
  run pv-sod-ref xcx-e2e-pvref xlate "$pvd" --boot $PV_SOD_VAS
fi
run unpause-pv xl unpause "$pvd"
run pv-type xc-mtrr-type "$pvd" 0x1000
run pv-type-json xc-mtrr-type --json "$pvd" 0x1000
run pv-map xc-mtrr-map "$pvd"
run pv-compat xcx-e2e-compat "$pvd" 0x1000
step "pv checks done"

# --- xc-mtrr-audit (issue 6): each PVH/HVM guest, then the whole host ------
begin audit 300
# Every guest is up here (the PV guest and dom0 are listed as skipped). The
# libxl configurations the audit reads are kept for the checker: their
# names, and their text without the NUL libxl stores at the end.
audit_guests() {
  for g in pvh-mixed pvh-disabled pvh-sparse hvm; do
    d=$(cat $R/domid-$g)
    run audit-$g xc-mtrr-audit --json "$d"
    for f in /var/lib/xen/userdata-d."$d".*.libxl-json; do
      [ -f "$f" ] || continue
      echo "$f" >$R/audit-config-$g.path
      tr -d '\000' <"$f" >$R/audit-config-$g.json
      keep audit-config-$g.path $R/audit-config-$g.path
      keep audit-config-$g.json $R/audit-config-$g.json
    done
  done
  run audit-hvm-plain xc-mtrr-audit "$(cat $R/domid-hvm)"
  run audit-host xc-mtrr-audit --json
  run audit-host-warnings xc-mtrr-audit --severity warning
  # A paused guest: E clear may be its power-on state, so only info.
  xl pause pvh-disabled
  run audit-pvh-disabled-paused xc-mtrr-audit --json "$(cat $R/domid-pvh-disabled)"
  xl unpause pvh-disabled
  step "audit checks done"
}
audit_guests

# --- xc-pv-pagetable on the booted PV guest, live and from xl dump-core ----
begin pv-walks 1200
# The guest is paused for all of it: every walk, libxc's own answers and
# the dump-core file see the same tables.
PVCON=/var/log/xen/console/guest-pv.log
# run_to NAME FILE CMD...: as run, but the output (too long to print) goes
# to FILE.
run_to() {
  n=$1 f=$2
  shift 2
  echo "$*" >$R/$n.cmd
  "$@" >"$f" 2>$R/$n.err
  echo $? >$R/$n.rc
  for x in cmd err rc; do echo "$n.$x" >>$R/.order; done
  step "ran $n rc=$(cat $R/$n.rc)"
}
n=0
until grep -q "XCX-PV ready" $PVCON 2>/dev/null; do
  expired && break
  n=$((n + 1))
  if [ $n -gt 180 ]; then
    echo "E2E-TIMEOUT waiting for the PV guest's 'XCX-PV ready'"
    break
  fi
  usleep 500000
done
xl pause "$pvd"
step "pv guest booted (waited $n half-seconds)"
# Its console without the tty's carriage returns.
tr -d '\r' <$PVCON >$R/pv-console 2>/dev/null
keep pv-console $R/pv-console
xl info | grep xen_caps >$R/xen-caps
keep xen-caps $R/xen-caps
# sym NAME: the address the guest's kallsyms gives NAME (0x...).
sym() {
  sed -n "s/^XCX-PV sym \([0-9a-f]*\) [A-Za-z] $1\$/0x\1/p" $R/pv-console |
    head -n 1
}
# iomem NAME: start and end of the guest's (last) /proc/iomem entry NAME.
iomem() {
  sed -n "s/^XCX-PV iomem *\([0-9a-f]*\)-\([0-9a-f]*\) : $1\$/0x\1 0x\2/p" \
    $R/pv-console | tail -n 1
}
run pv-info xcx-e2e-pvref info "$pvd"
# Variables the guest holds, read through libxc: the direct map's base,
# where start_info is now, the P2M's address.
for v in page_offset_base xen_start_info xen_p2m_addr; do
  a=$(sym $v)
  [ -n "$a" ] && run pv-peek-$v xcx-e2e-pvref peek "$pvd" "$a"
done
peeked() { sed -n 's/.* value //p' $R/pv-peek-$1.out 2>/dev/null; }
pv_vas() {
  for s in _text _stext schedule __start_rodata page_offset_base _sdata \
    jiffies_64 init_top_pgt __bss_start xen_start_info __bss_stop \
    start_kernel; do
    sym $s
  done
  for s in _etext __end_rodata _edata _end; do
    a=$(sym $s)
    [ -n "$a" ] && hx "$a - 1" && echo
  done
  a=$(sym _text)
  [ -n "$a" ] && hx "$a + 0x200000" && echo
  # The direct map: pfn 0, the aliases of the kernel's code and data, the
  # last page of RAM and the page after it, 1 GiB in (no RAM there).
  p=$(peeked page_offset_base)
  if [ -n "$p" ]; then
    echo "$p"
    for r in "Kernel code" "Kernel data" "System RAM"; do
      # shellcheck disable=SC2046
      set -- $(iomem "$r")
      [ $# = 2 ] || continue
      case $r in
      System*) hx "$p + ($2 & ~0xfff)" && echo && hx "$p + $2 + 1" && echo ;;
      *) hx "$p + $1" && echo ;;
      esac
    done
    hx "$p + 0x40000000" && echo
  fi
  peeked xen_start_info
  peeked xen_p2m_addr
  # vmalloc areas: the first page, the last one and the guard page after
  # it ("pages=N": the area's size counts the guard page).
  sed -n 's/^XCX-PV vmalloc \(0x[0-9a-f]*\)-.* pages=\([0-9]*\) .*/\1 \2/p' \
    $R/pv-console | while read -r a np; do
    echo "$a"
    hx "$a + ($np - 1) * 0x1000" && echo
    hx "$a + $np * 0x1000" && echo
  done
  # Holes: user space in the kernel root (below mmap_min_addr), below
  # _text (freed at boot), an L4 slot no one uses, the guard hole after
  # Xen's area; Xen's areas themselves, and their last byte.
  echo 0x1000 0xffffffff80000000 0xffff900000000000 0xffff880000000000
  echo 0xffff800000000000 0xffff808000000000 0xffff830000000000
  echo 0xffff87ffffffffff
  # The start-of-day entry point, boot stack and start_info as they are now.
  echo "$PV_SOD_VAS" | tr ' ' '\n' | sed -n '1,3p'
}
PV_VAS=$(pv_vas | tr '\n' ' ')
echo "$PV_VAS" >$R/pv-vas
keep pv-vas $R/pv-vas
# shellcheck disable=SC2086
run pv-walk xc-pv-pagetable --json "$pvd" $PV_VAS
# shellcheck disable=SC2086
run pv-walk-plain xc-pv-pagetable "$pvd" $PV_VAS
# shellcheck disable=SC2086
run pv-ref xcx-e2e-pvref xlate "$pvd" $PV_VAS
# Non-canonical VAs: EINVAL. libxc drops bits 63..48 and walks anyway: the
# second is _text with them cleared.
a=$(sym _text)
PV_NONCANON="0x800000000000${a:+ $(hx "$a & 0xffffffffffff")}"
# shellcheck disable=SC2086
run pv-noncanon xc-pv-pagetable --json "$pvd" $PV_NONCANON
# shellcheck disable=SC2086
run pv-noncanon-ref xcx-e2e-pvref xlate "$pvd" $PV_NONCANON
# The user root (ctrlreg[1]): the lowest user mapping the kernel root has
# (the running process's), and _text, which the user root does not map.
# (The whole dump has thousands of runs: kept in /tmp, not printed.)
run_to pv-dump-live /tmp/pv-dump-live.out xc-pv-pagetable --dump --json "$pvd"
PV_USER_VAS="$(sed -n '1s/^{"va_start":"\(0x[0-9a-f]\{1,12\}\)".*/\1/p' \
  /tmp/pv-dump-live.out) $(sym _text)"
echo "$PV_USER_VAS" >$R/pv-user-vas
keep pv-user-vas $R/pv-user-vas
# shellcheck disable=SC2086
run pv-walk-user xc-pv-pagetable --json --user "$pvd" $PV_USER_VAS
# shellcheck disable=SC2086
run pv-ref-user xcx-e2e-pvref xlate "$pvd" $PV_USER_VAS
# The kernel text's mappings as runs.
PV_TEXT="$(sym _text)-$(sym _etext)"
run pv-dump-text xc-pv-pagetable --json --dump="$PV_TEXT" "$pvd"

run pv-dumpcore xl dump-core "$pvd" /tmp/pv.core
run pv-core-size stat -c %s /tmp/pv.core
# shellcheck disable=SC2086
run pv-core-walk xc-pv-pagetable --json --core /tmp/pv.core $PV_VAS
# shellcheck disable=SC2086
run pv-core-walk-user xc-pv-pagetable --json --user --core /tmp/pv.core \
  $PV_USER_VAS
# shellcheck disable=SC2086
run pv-core-noncanon xc-pv-pagetable --json --core /tmp/pv.core $PV_NONCANON
run pv-core-dump-text xc-pv-pagetable --json --dump="$PV_TEXT" \
  --core /tmp/pv.core
# The whole guest's mappings, live and offline: thousands of runs, compared
# here; the checker gets their sums, counts and any difference.
run_to pv-dump-core /tmp/pv-dump-core.out xc-pv-pagetable --dump --json \
  --core /tmp/pv.core
dump_cmp() {
  cd /tmp || return 1
  # A live dump names its domain in every run; the core's cannot.
  sed -E 's/,"domid":[0-9]+,"name":("[^"]*"|null)//' pv-dump-live.out \
    >pv-dump-live.tmp && mv pv-dump-live.tmp pv-dump-live.out
  md5sum pv-dump-live.out pv-dump-core.out
  wc -l pv-dump-live.out pv-dump-core.out
  diff pv-dump-live.out pv-dump-core.out | head -n 40
}
run pv-dump-cmp dump_cmp
rm -f /tmp/pv.core /tmp/pv-dump-core.out /tmp/pv-dump-live.out
step "pv walks done"

# --- Domains by name (issue 14) -------------------------------------------
# The HVM guest (paused since hvmloader finished) is saved with -p, so it is
# left paused as it was, and read back at the live width. Our PVH guests
# cannot be saved: libxl asks a PVH guest to suspend through xenstore
# (control/shutdown), and the freestanding test kernel has no xenstore
# client, so xl save would wait a minute and fail.
names_check() {
  run names-map xc-mtrr-map --all-vcpus --json pvh-mixed
  run names-map-plain xc-mtrr-map pvh-mixed
  run names-unknown xc-mtrr-type no-such-guest 0x1000
  run names-audit xc-mtrr-audit --json hvm
  # xl save of the paused HVM guest (scenario xl-save in check.py) is left
  # out: it passed in one idle run on Xen 4.17 and 4.20 and failed in the
  # next on both ("Dom N not suspended" after libxl's 60 s wait), so it is
  # not a test yet. Saved images are tested offline (tests/unit,
  # tests/cli/test_cli_saved.c, the fuzz target).
  step "names done"
}
begin names 300
names_check

finish
