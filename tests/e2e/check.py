#!/usr/bin/env python3
"""Judge one scenario of the e2e suite from the serial log of the boot.

    check.py --log SERIAL_LOG [--results DIR] SCENARIO
    check.py --results DIR --summary

The dom0 scenario (scenario.sh) only runs commands and prints their output
in md5-checked blocks; every expectation lives here. What the guests really
hold comes from the guests themselves: the PVH test guest's rdmsr read-back
(port 0xE9) and hvmloader's own MTRR report, both taken from the `xl dmesg`
block. Prints `E2E-RESULT <scenario> PASS|FAIL <detail>`, and on failure the
parts of the serial log the scenario used. Exit status 0 on PASS, 1 on FAIL.
"""
import argparse
import hashlib
import json
import os
import re
import sys

UC, WC, WT, WP, WB = 0, 1, 4, 5, 6
TYPE_NAMES = {0: "UC", 1: "WC", 4: "WT", 5: "WP", 6: "WB", 7: "UC-"}
FIXED_MSRS = [0x250, 0x258, 0x259] + list(range(0x268, 0x270))
DEF_E, DEF_FE, MASK_V = 0x800, 0x400, 0x800
PVH_GUESTS = ["mixed", "disabled", "sparse"]
NODOMAIN = 4242
# The PAT Xen gives a new HVM/PVH vCPU (NOTES §2). Under QEMU's TCG the
# guest's own rdmsr(0x277) returns Xen's host PAT instead (QEMU's SVM
# emulation does not switch to the VMCB's guest PAT), so the record's PAT
# is compared with this, not with the guest's read-back.
XEN_GUEST_PAT = 0x0007040600070406


# --- The serial log -------------------------------------------------------

class Log:
    def __init__(self, path):
        self.path = path
        # Byte-transparent: a guest may print any byte (SeaBIOS once printed
        # 0xff in its banner), and the md5 is over the file's bytes.
        with open(path, "rb") as f:
            raw = f.read().decode("latin-1")
        self.lines = [l.rstrip("\r") for l in raw.split("\n")]
        self.blocks = {}    # name -> text
        self.corrupt = {}   # name -> reason
        self.markers = []   # E2E-* lines outside blocks
        self.foreign = {}   # name -> console lines that landed inside it
        cur, data = None, []
        for line in self.lines:
            if line.startswith("E2E-BLOCK-BEGIN "):
                cur, data = line.split(None, 1)[1].strip(), []
            elif line.startswith("E2E-BLOCK-END ") and cur is not None:
                self._close(cur, data, line)
                cur = None
            elif cur is not None:
                if line.startswith("|"):
                    data.append(line[1:])
                else:
                    # Xen's or the kernel's, between our lines.
                    self.foreign.setdefault(cur, []).append(line)
            elif line.startswith("E2E-"):
                self.markers.append(line)

    def _close(self, name, data, end):
        m = re.search(r"lines=(\d+) md5=([0-9a-f]{32})", end)
        text = "".join(l + "\n" for l in data)
        if not m:
            self.corrupt[name] = "unreadable end marker"
        else:
            want = m.group(2)
            for cand in (text, text[:-1]):
                if hashlib.md5(cand.encode("latin-1")).hexdigest() == want:
                    text = cand
                    break
            else:
                self.corrupt[name] = ("md5 mismatch: a line was cut by other "
                                      "console output")
        self.blocks[name] = text

    def block(self, name):
        return self.blocks.get(name)


class Checker:
    """Collects failures and the blocks a scenario looked at."""

    def __init__(self, log, name):
        self.log = log
        self.name = name
        self.failures = []
        self.evidence = []  # (failure, [log lines that show it])
        self.notes = []
        self.used = []
        self.dmesg_filters = []

    def fail(self, msg, ev=None):
        if msg in self.failures:
            return
        self.failures.append(msg)
        if ev:
            self.evidence.append((msg, ev))

    def check(self, cond, msg, ev=None):
        if not cond:
            self.fail(msg, ev)
        return cond

    def block(self, name, required=True):
        if name not in self.used:
            self.used.append(name)
        text = self.log.block(name)
        if text is None:
            if required:
                self.fail(f"no block '{name}' in the serial log")
            return None
        if name in self.log.corrupt:
            self.fail(f"block '{name}': {self.log.corrupt[name]}",
                      self.log.foreign.get(name, [])[:10] or
                      ["(no foreign line inside it: characters were lost)"])
        return text

    def command(self, name):
        """(rc, out, err) of a command the scenario ran, or None."""
        rc = self.block(name + ".rc")
        out = self.block(name + ".out")
        err = self.block(name + ".err")
        self.block(name + ".cmd", required=False)
        if rc is None or out is None or err is None:
            return None
        try:
            return int(rc.strip()), out, err
        except ValueError:
            self.fail(f"{name}: exit status '{rc.strip()}' is no number")
            return None

    def json_lines(self, name, text):
        objs = []
        for i, line in enumerate(text.splitlines(), 1):
            try:
                objs.append(json.loads(line))
            except ValueError as e:
                self.fail(f"{name}: line {i} is not JSON ({e}): {line[:120]}")
        return objs


# --- Xen's MTRR rules, for the checker's own expectations ----------------

def phys_mask(width):
    return ((1 << width) - 1) & ~0xfff


def fixed_types(fixed):
    """The 88 sub-range types of 11 fixed-range MSR values."""
    return [(v >> (8 * b)) & 0xff for v in fixed for b in range(8)]


def fixed_index(gpa):
    if gpa < 0x80000:
        return gpa >> 16
    if gpa < 0xC0000:
        return 8 + ((gpa - 0x80000) >> 14)
    return 24 + ((gpa - 0xC0000) >> 12)


class State:
    """One vCPU's MTRRs: def_type, fixed[11], var[8] of (base, mask)."""

    def __init__(self, def_type, fixed, var, width, cap=0x508, pat=None):
        self.def_type, self.fixed, self.var = def_type, list(fixed), list(var)
        self.width, self.cap, self.pat = width, cap, pat

    @property
    def vcnt(self):
        return self.cap & 0xff

    def record_view(self):
        """What Xen 4.17's save record shows: pair 0 in every slot."""
        return State(self.def_type, self.fixed, [self.var[0]] * 8,
                     self.width, self.cap, self.pat)

    def resolve(self, gpa):
        """(type, origin, matching pairs), as Xen's mtrr_get_type()."""
        if not self.def_type & DEF_E:
            return UC, "disabled", []
        if self.def_type & DEF_FE and gpa < 0x100000:
            return fixed_types(self.fixed)[fixed_index(gpa)], "fixed", []
        pm = phys_mask(self.width)
        hits = []
        for i in range(self.vcnt):
            base, mask = self.var[i]
            if mask & MASK_V and (gpa & mask & pm) == (base & mask & pm):
                hits.append(i)
        if not hits:
            return self.def_type & 0xff, "default", []
        types = {self.var[i][0] & 0xff for i in hits}
        if len(types) == 1:
            return types.pop(), "variable", hits
        if UC in types:
            return UC, "variable", hits
        if types == {WT, WB}:
            return WT, "variable", hits
        return self.var[hits[-1]][0] & 0xff, "variable", hits

    def record_reliable(self, gpa):
        """Whether an answer from the record view can be trusted: it does
        not rest on pairs 1..7 (unknown), or a known (pair 0) match is UC."""
        t, origin, hits = self.record_view().resolve(gpa)
        if origin in ("disabled", "fixed"):
            return True
        return bool(hits) and (self.var[0][0] & 0xff) == UC


def tname(code):
    return TYPE_NAMES.get(code, str(code))


# --- The guests' own reports, from `xl dmesg` -----------------------------

def dmesg(c):
    return c.block("xl-dmesg.out") or ""


GUEST_LINE = re.compile(r"^\(d(\d+)\) (?:\[\s*[\d.]+\] )?(.*)$")


def guest_lines(c, domid=None):
    """(domid, text) of the guests' console lines in xl dmesg, without
    Xen's timestamps (console_timestamps=boot)."""
    for line in dmesg(c).splitlines():
        m = GUEST_LINE.match(line.strip())
        if m and (domid is None or int(m.group(1)) == domid):
            yield int(m.group(1)), m.group(2)


def pvh_reports(c):
    """Per PVH variant: width, per-vCPU init/set/got MSR values."""
    guests = {}
    rx = re.compile(r"^XCX (\w+) (.*)$")
    for dom, text in guest_lines(c):
        m = rx.match(text)
        if not m:
            continue
        name, rest = m.group(1), m.group(2).split()
        g = guests.setdefault(name, {"domid": dom, "vcpus": {}, "done": False,
                                     "errors": [], "width": None})
        if rest[0] == "start":
            g["width"] = int(rest[2], 16)
            g["nr_vcpus"] = int(rest[4], 16)
        elif rest[0] == "all":
            g["done"] = True
        elif rest[0] in ("error", "exception"):
            g["errors"].append(" ".join(rest))
        elif rest[0].startswith("v") and len(rest) == 4:
            v = g["vcpus"].setdefault(int(rest[0][1:]),
                                      {"init": {}, "set": {}, "got": {}})
            v[rest[1]][int(rest[2], 16)] = int(rest[3], 16)
    return guests


def guest_state(g, vcpu):
    got = g["vcpus"][vcpu]["got"]
    var = [(got.get(0x200 + 2 * i, 0), got.get(0x201 + 2 * i, 0))
           for i in range(8)]
    return State(got.get(0x2ff, 0), [got.get(m, 0) for m in FIXED_MSRS], var,
                 g["width"], got.get(0xfe, 0), got.get(0x277))


def pvh_guest(c, name):
    c.dmesg_filters.append(f"XCX {name} ")
    g = pvh_reports(c).get(name)
    if not c.check(g is not None, f"pvh-{name}: no report from the guest in "
                   "xl dmesg"):
        return None
    c.check(g["done"], f"pvh-{name}: the guest did not finish ('all done')")
    for e in g["errors"]:
        c.fail(f"pvh-{name}: the guest reports: {e}")
    for v in range(g.get("nr_vcpus", 0)):
        if not c.check(v in g["vcpus"], f"pvh-{name}: no report for vCPU {v}"):
            return None
        rep = g["vcpus"][v]
        for msr, val in rep["set"].items():
            c.check(rep["got"].get(msr) == val,
                    f"pvh-{name} vCPU {v}: wrote {msr:#x}={val:#x} but read "
                    f"back {rep['got'].get(msr, 0):#x}")
    if g["width"] is None or not g["vcpus"]:
        c.fail(f"pvh-{name}: incomplete guest report")
        return None
    return g


# --- Checks of tool output against the guest's real state -----------------

def check_answer(c, what, st, gpa, code, origin, reliable, stats, ev=None):
    """One answer of the tools for one address of one vCPU; @ev: the
    output line it came from."""
    ev = [ev] if ev else None
    truth = st.resolve(gpa)
    rec = st.record_view().resolve(gpa)
    exp_rel = st.record_reliable(gpa)
    ok = c.check(code == rec[0] and (origin is None or origin == rec[1]),
                 f"{what} gpa {gpa:#x}: tool says {tname(code)} ({origin}), "
                 f"the record says {tname(rec[0])} ({rec[1]})", ev)
    if reliable is not None:
        ok &= c.check(reliable == exp_rel,
                      f"{what} gpa {gpa:#x}: reliable={str(reliable).lower()}"
                      f", expected {str(exp_rel).lower()}", ev)
    if reliable or (reliable is None and exp_rel):
        ok &= c.check(code == truth[0],
                      f"{what} gpa {gpa:#x}: tool says {tname(code)} "
                      f"(trusted), the guest's rdmsr gives {tname(truth[0])}",
                      ev)
    stats["answers"] += 1
    stats["reliable"] += bool(exp_rel)
    if code != truth[0]:
        stats["hidden"] += 1  # wrong, and flagged unreliable
    return ok


def check_registers(c, what, reg, st, width):
    """A registers line of xc-mtrr-map --json against the guest's rdmsr."""
    h = lambda s: int(s, 16)
    c.check(reg.get("maxphysaddr") == width,
            f"{what}: maxphysaddr {reg.get('maxphysaddr')}, the guest's "
            f"CPUID says {width}")
    c.check(h(reg["def_type"]) == st.def_type,
            f"{what}: def_type {reg['def_type']}, guest rdmsr "
            f"{st.def_type:#x}")
    c.check(reg["enabled"] == bool(st.def_type & DEF_E),
            f"{what}: enabled={reg['enabled']} vs def_type {st.def_type:#x}")
    c.check(reg["fixed_enabled"] == bool(st.def_type & DEF_FE),
            f"{what}: fixed_enabled={reg['fixed_enabled']} vs def_type "
            f"{st.def_type:#x}")
    c.check(h(reg["mtrrcap"]) == st.cap,
            f"{what}: mtrrcap {reg['mtrrcap']}, guest rdmsr {st.cap:#x}")
    c.check(h(reg["pat"]) == XEN_GUEST_PAT,
            f"{what}: pat {reg['pat']}, Xen's default guest PAT is "
            f"{XEN_GUEST_PAT:#x}")
    pairs = reg.get("pairs", [])
    c.check(len(pairs) == st.vcnt and reg.get("vcnt") == st.vcnt,
            f"{what}: {len(pairs)} pairs, vcnt {reg.get('vcnt')}, MTRRcap "
            f"VCNT {st.vcnt}")
    for p in pairs:
        i = p["index"]
        if i == 0:
            c.check((h(p["base"]), h(p["mask"])) == st.var[0],
                    f"{what}: pair 0 base {p['base']} mask {p['mask']}, guest "
                    f"rdmsr {st.var[0][0]:#x} {st.var[0][1]:#x}")
            c.check(p["exact"] is True, f"{what}: pair 0 not marked exact")
        else:
            c.check(p["exact"] is False,
                    f"{what}: pair {i} marked exact, but the save record "
                    "cannot show it")
    # The fixed ranges: the tool's coalesced list, expanded to 88 types.
    got = [None] * 88
    for r in reg.get("fixed", []):
        start, end = h(r["start"]), h(r["end"])
        code = [k for k, v in TYPE_NAMES.items() if v == r["type"]]
        for idx in range(88):
            lo = (idx << 16 if idx < 8 else 0x80000 + ((idx - 8) << 14)
                  if idx < 24 else 0xC0000 + ((idx - 24) << 12))
            if start <= lo < end:
                got[idx] = code[0] if code else None
    want = fixed_types(st.fixed)
    bad = [i for i in range(88) if got[i] != want[i]]
    c.check(not bad, f"{what}: fixed sub-ranges {bad[:8]} differ from the "
            f"guest's rdmsr (tool {[got[i] for i in bad[:8]]}, guest "
            f"{[want[i] for i in bad[:8]]})")


def new_stats():
    return {"answers": 0, "reliable": 0, "hidden": 0}


# --- Scenarios --------------------------------------------------------------

def sc_boot(c):
    m = c.log.markers
    fatal = [l for l in m if l.startswith(("E2E-FATAL", "E2E-TIMEOUT"))]
    for l in fatal:
        c.fail(l)
    c.check(any(l.startswith("E2E-INIT dom0 ready") for l in m),
            "dom0 never got ready (xenstored, xen-init-dom0, xenconsoled)")
    c.check(any(l.startswith("E2E-STEP scenario end") for l in m),
            "the scenario did not run to its end")
    panic = [l for l in c.log.lines if "Panic on CPU" in l or
             "Kernel panic" in l]
    for l in panic:
        c.fail(l.strip())
    r = c.command("xl-info")
    if r:
        rc, out, err = r
        c.check(rc == 0, f"xl info exited {rc}")
        ver = re.search(r"^xen_version\s*:\s*(\S+)", out, re.M)
        c.check(ver and ver.group(1).startswith("4.17"),
                f"xl info: xen_version {ver.group(1) if ver else '?'}")
        caps = re.search(r"^virt_caps\s*:\s*(.*)$", out, re.M)
        c.check(caps and "hap" in caps.group(1),
                "xl info: no 'hap' in virt_caps (PVH/HVM need nested paging)")
        if ver:
            c.notes.append(f"Xen {ver.group(1)}")
    d = c.block("xl-dmesg.out")
    if d is not None:
        c.check("(XEN)" in d, "xl dmesg shows no Xen messages")
    lst = c.command("xl-list")
    if lst:
        rc, out, _ = lst
        for g in ["pvh-mixed", "pvh-disabled", "pvh-sparse", "pv", "hvm"]:
            row = [l for l in out.splitlines() if l.split()[:1] == [g]]
            if c.check(row, f"xl list: no domain {g} at the end"):
                state = row[0].split()[4]
                c.check("c" not in state,
                        f"xl list: {g} crashed (state {state})")
    steps = [l for l in m if l.startswith("E2E-STEP")]
    if steps:
        c.notes.append(steps[-1].split(" t=")[-1] + " s dom0 uptime at the end")


def sc_pvh_registers(c):
    """xc-mtrr-map --json: def type, enable bits, MTRRcap, PAT, pair 0 and
    every fixed sub-range agree with the guest's rdmsr, for every vCPU of
    every PVH guest; pairs 1..7 are marked not exact."""
    n = 0
    for name in PVH_GUESTS:
        g = pvh_guest(c, name)
        r = c.command(f"pvh-{name}-map-json")
        if not g or not r:
            continue
        rc, out, err = r
        if not c.check(rc == 0, f"xc-mtrr-map on pvh-{name} exited {rc}: "
                       f"{err.strip()}"):
            continue
        regs = {o["vcpu"]: o for o in c.json_lines(f"pvh-{name}-map-json", out)
                if o.get("kind") == "registers"}
        c.check(sorted(regs) == list(range(g["nr_vcpus"])),
                f"pvh-{name}: registers for vCPUs {sorted(regs)}, the guest "
                f"has {g['nr_vcpus']}")
        for v, reg in sorted(regs.items()):
            if v in g["vcpus"]:
                check_registers(c, f"pvh-{name} vCPU {v}", reg,
                                guest_state(g, v), g["width"])
                n += 1
        # The plain listing says the same in words.
        p = c.command(f"pvh-{name}-map")
        if p:
            rc, out, err = p
            c.check(rc == 0, f"xc-mtrr-map (plain) on pvh-{name} exited {rc}")
            for v in range(g["nr_vcpus"]):
                c.check(f"vcpu {v}: maxphysaddr {g['width']}" in out,
                        f"pvh-{name} plain map: no 'vcpu {v}' header")
            c.check(out.count("UNKNOWN: the save record shows a copy of pair "
                              "0 here") == 7 * g["nr_vcpus"],
                    f"pvh-{name} plain map: pairs 1-7 not all UNKNOWN")
            c.check(re.search(r"pair 0: .*, exact$", out, re.M),
                    f"pvh-{name} plain map: pair 0 not 'exact'")
    c.notes.append(f"{n} vCPUs' registers match the guests' rdmsr")


def sc_pvh_types(c):
    """xc-mtrr-type --json and the type map: every answer is what the save
    record says; every answer marked reliable is the guest's real type;
    an answer is reliable exactly when it does not rest on pairs 1..7."""
    stats = new_stats()
    for name in PVH_GUESTS:
        g = pvh_guest(c, name)
        r = c.command(f"pvh-{name}-type-json")
        if not g or not r:
            continue
        rc, out, err = r
        if not c.check(rc == 0, f"xc-mtrr-type on pvh-{name} exited {rc}: "
                       f"{err.strip()}"):
            continue
        seen = set()
        for o in c.json_lines(f"pvh-{name}-type-json", out):
            v, gpa = o["vcpu"], int(o["gpa"], 16)
            seen.add(v)
            check_answer(c, f"pvh-{name} vCPU {v}", guest_state(g, v), gpa,
                         o["code"], o["origin"], o["reliable"], stats,
                         json.dumps(o, separators=(",", ":")))
        c.check(seen == set(range(g["nr_vcpus"])),
                f"pvh-{name}: answers for vCPUs {sorted(seen)}")
        # Every range of the coalesced map, at its first and last address.
        m = c.command(f"pvh-{name}-map-json")
        if m and m[0] == 0:
            for o in c.json_lines(f"pvh-{name}-map-json", m[1]):
                if o.get("kind") != "range":
                    continue
                st = guest_state(g, o["vcpu"])
                for gpa in (int(o["start"], 16), int(o["end"], 16) - 1):
                    check_answer(c, f"pvh-{name} map vCPU {o['vcpu']}", st,
                                 gpa, o["code"], o["origin"], o["reliable"],
                                 stats, json.dumps(o, separators=(",", ":")))
    # --size: a range is reliable only if every address in it is.
    g = pvh_guest(c, "mixed")
    r = c.command("pvh-mixed-range")
    if g and r and c.check(r[0] == 0, f"xc-mtrr-type --size exited {r[0]}"):
        st = guest_state(g, 0)
        for o in c.json_lines("pvh-mixed-range", r[1]):
            gpa, size = int(o["gpa"], 16), int(o["size"], 16)
            probes = range(gpa, gpa + size, 0x1000)
            types = {st.record_view().resolve(a)[0] for a in probes}
            rel = all(st.record_reliable(a) for a in probes)
            c.check(o["uniform"] == (len(types) == 1),
                    f"--size range {gpa:#x}+{size:#x}: uniform={o['uniform']}"
                    f", record types {sorted(tname(t) for t in types)}")
            c.check(o["reliable"] == rel,
                    f"--size range {gpa:#x}+{size:#x}: reliable="
                    f"{o['reliable']}, expected {rel}")
    p = c.command("pvh-mixed-type")
    if g and p:
        rc, out, err = p
        # vCPU 1 of "mixed": pair 0 WB over [0, 2 GiB), pair 1 UC over
        # [0, 1 MiB), FE clear. The record shows pair 0 everywhere: WB, and
        # the tool must say it cannot be sure (the guest's real type is UC).
        want = ("vcpu 1 gpa 0x0: WB (variable pairs 0-7, same type), "
                "unreliable: depends on variable pairs 1-7, which the save "
                "record does not show")
        c.check(rc == 0 and want in out.splitlines(),
                f"xc-mtrr-type --vcpu 1 (plain): rc {rc}, no line '{want}'")
        st1 = guest_state(g, 1)
        c.check(st1.resolve(0)[0] == UC, "vCPU 1's real type at 0 is not UC")
    c.notes.append(f"{stats['answers']} answers checked, {stats['reliable']} "
                   f"reliable and right, {stats['hidden']} flagged unreliable "
                   "that differ from the guest's real type")
    c.check(stats["hidden"] > 0, "no answer differed from the guest's real "
            "type: the scenario no longer shows what pairs 1..7 hide")


def sc_pvh_record_bug(c):
    """The save record shows pair 0 in slot 1 while the guest's own rdmsr
    says otherwise; xen-hvmctx (Xen's own tool) shows the same copies."""
    g = pvh_guest(c, "mixed")
    r = c.command("pvh-mixed-map-json")
    x = c.command("pvh-mixed-hvmctx")
    if not g or not r:
        return
    regs = {o["vcpu"]: o for o in c.json_lines("pvh-mixed-map-json", r[1])
            if o.get("kind") == "registers"}
    shown = 0
    for v in range(g["nr_vcpus"]):
        st = guest_state(g, v)
        if v not in regs:
            c.fail(f"no registers for vCPU {v}")
            continue
        pairs = {p["index"]: (int(p["base"], 16), int(p["mask"], 16))
                 for p in regs[v]["pairs"]}
        for i in range(1, 8):
            c.check(pairs.get(i) == st.var[0],
                    f"vCPU {v}: record slot {i} is not a copy of pair 0: the "
                    "save record now holds the real pairs (Xen fixed?); the "
                    "library's assumption needs revisiting")
            if st.var[i] != st.var[0] and pairs.get(i) == st.var[0]:
                shown += 1
        if v == 0:
            c.notes.append(
                f"vCPU 0: record slot 1 = base {pairs[1][0]:#x} mask "
                f"{pairs[1][1]:#x} (pair 0), guest rdmsr pair 1 = base "
                f"{st.var[1][0]:#x} mask {st.var[1][1]:#x}")
    c.check(shown > 0, "no slot where the record and the guest differ")
    c.notes.append(f"{shown} slots where the record shows pair 0 but the "
                   "guest holds another pair")
    # Xen's own dump of the same record, independent of this project.
    if x and c.check(x[0] == 0, f"xen-hvmctx exited {x[0]}"):
        var = re.findall(r"var\s*(\d)\s+(?:0x)?([0-9a-fA-F]+)\s+(?:0x)?"
                         r"([0-9a-fA-F]+)", x[1])
        if c.check(var, "xen-hvmctx: no MTRR variable ranges in its output"):
            slots = [(int(b, 16), int(mk, 16)) for _, b, mk in var]
            st0 = guest_state(g, 0)
            c.check(len(slots) >= 8 and all(s == st0.var[0]
                                            for s in slots[:8]),
                    "xen-hvmctx: vCPU 0's slots are not all pair 0: "
                    f"{[(hex(b), hex(m)) for b, m in slots[:8]]}")


def sc_pvh_compat(c):
    """xc_domain_hvm_get_mtrr_type() on the PVH guests: vCPU 0's type as
    the record gives it, the guest's real type wherever that is reliable;
    NULL handle or type: EINVAL."""
    n = 0
    for name in PVH_GUESTS:
        g = pvh_guest(c, name)
        r = c.command(f"pvh-{name}-compat")
        if not g or not r:
            continue
        rc, out, err = r
        c.check(rc == 0, f"xcx-e2e-compat on pvh-{name} exited {rc}: "
                f"{err.strip()}")
        st = guest_state(g, 0)
        lines = out.splitlines()
        for line in lines:
            f = line.split()
            if f[0] == "gpa":
                gpa = int(f[1], 16)
                if c.check(f[3] == "0" and f[5] == "0",
                           f"pvh-{name}: {line}"):
                    check_answer(c, f"pvh-{name} compat", st, gpa, int(f[7]),
                                 None, None, new_stats(), line)
                    n += 1
            elif f[0] in ("null-xch", "null-type"):
                c.check(f[2] == "-1" and f[4] == "EINVAL",
                        f"pvh-{name}: {line} (want rc -1 errno EINVAL)")
        c.check(any(l.startswith("null-type") for l in lines),
                f"pvh-{name}: the compat program stopped early")
    c.notes.append(f"{n} calls of xc_domain_hvm_get_mtrr_type() checked")


def expect_error(c, name, errname, words):
    r = c.command(name)
    if not r:
        return
    rc, out, err = r
    c.check(rc == 1, f"{name}: exit status {rc}, want 1")
    c.check(out.strip() == "", f"{name}: printed on stdout: {out.strip()[:200]}")
    for w in words:
        c.check(w in err, f"{name}: stderr lacks '{w}': {err.strip()[:300]}")
    c.notes.append(f"{name}: {err.strip().splitlines()[0] if err.strip() else ''}")


def expect_compat_errno(c, name, errname):
    r = c.command(name)
    if not r:
        return
    lines = [l for l in r[1].splitlines() if l.startswith("gpa ")]
    c.check(lines, f"{name}: no result line")
    for l in lines:
        f = l.split()
        c.check(f[3] == "-1" and f[5] == errname,
                f"{name}: {l} (want rc -1 errno {errname})")


def sc_pv(c):
    """A PV guest: a clear EOPNOTSUPP error and exit 1, nothing on stdout."""
    d = c.block("domid-pv")
    words = [f"domain {d.strip() if d else '?'} is PV",
             "MTRR types need an HVM guest", "Operation not supported"]
    for n in ("pv-type", "pv-type-json", "pv-map"):
        expect_error(c, n, "EOPNOTSUPP", words)
    expect_compat_errno(c, "pv-compat", "EOPNOTSUPP")


def sc_nodomain(c):
    """A domain id that does not exist: ESRCH and exit 1."""
    words = [f"no domain {NODOMAIN}", "No such process"]
    for n in ("nodomain-type", "nodomain-map"):
        expect_error(c, n, "ESRCH", words)
    expect_compat_errno(c, "nodomain-compat", "ESRCH")


def hvmloader_state(c, domid):
    """hvmloader's own report in xl dmesg: per CPU "CPUn ... NN-bit phys
    ... fixed MTRRs ... var MTRRs [k/n] ... done.", the start of the PCI
    hole ("pci_mem_start=0x... (was ...)" when mmio_hole is set, else
    where it put the largest BAR) and its E820 table."""
    c.dmesg_filters.append(f"(d{domid}) ")
    lines = [t for _, t in guest_lines(c, domid)]
    cpus, bars, e820, start = {}, [], [], None
    for l in lines:
        m = re.search(r"CPU(\d+) \.\.\. (\d+)-bit phys \.\.\. (fixed MTRRs "
                      r"\.\.\. )?var MTRRs \[(\d+)/(\d+)\]", l)
        if m:
            cpus[int(m.group(1))] = (int(m.group(2)), bool(m.group(3)),
                                     int(m.group(4)), int(m.group(5)))
        m = re.search(r"pci_mem_start=(0x[0-9a-f]+)", l)
        if m:
            start = int(m.group(1), 16)
        m = re.search(r"pci dev [0-9a-f:]+ bar [0-9a-f]+ size [0-9a-f]+: "
                      r"([0-9a-f]+)", l)
        if m and not int(m.group(1), 16) & 1:  # a memory BAR
            bars.append(int(m.group(1), 16) & ~0xf)
        m = re.search(r"\[\d+\]: ([0-9a-f]{8}):([0-9a-f]{8}) - ([0-9a-f]{8}):"
                      r"([0-9a-f]{8}): (\w+)", l)
        if m:
            e820.append((int(m.group(1) + m.group(2), 16),
                         int(m.group(3) + m.group(4), 16), m.group(5)))
    if start is None and bars:
        start = min(b for b in bars if b < 1 << 32)
    return lines, cpus, start, e820


def hvmloader_ranges(start, end, width):
    """The UC pairs of hvmloader 4.17's cacheattr.c over [start, end):
    from the bottom, each as large as the base's alignment and the end
    allow."""
    out, base, pm = [], start, phys_mask(width)
    while base != end and len(out) < 8:
        size = 0x1000
        while not base & size:
            size <<= 1
        while base + size > end:
            size >>= 1
        out.append((base, (~(size - 1) & pm) | MASK_V))
        base += size
    return out


def sc_hvm(c):
    """The HVM guest as hvmloader left it: legacy VGA hole WC, RAM WB, the
    PCI hole UC; the record shows only the hole's first pair, so answers
    that rest on the others are flagged unreliable."""
    d = c.block("domid-hvm")
    cfg = c.block("hvm.cfg") or ""
    if d is None:
        return
    domid = int(d.strip())
    lines, cpus, start, e820 = hvmloader_state(c, domid)
    if not c.check(lines, f"no hvmloader output from d{domid} in xl dmesg"):
        return
    if not c.check(cpus, "hvmloader printed no MTRR report "
                   "('CPUn ... NN-bit phys ... var MTRRs [k/n]')"):
        return
    width, fixed_on, k, n = cpus[min(cpus)]
    c.check(len({v for v in cpus.values()}) == 1,
            f"hvmloader's CPUs differ: {cpus}")
    if not c.check(start is not None, "hvmloader reports no PCI hole"):
        return
    hole = re.search(r"mmio_hole\s*=\s*(\d+)", cfg)
    if hole:
        want = (1 << 32) - int(hole.group(1)) * (1 << 20)
        c.check(start == want, f"hvmloader's pci_mem_start {start:#x}, "
                f"mmio_hole in the config says {want:#x}")
    # pci_mem_end: where the region above the hole that hvmloader reserves
    # begins (RESERVED_MEMBASE, 0xfc000000), as its E820 table shows.
    above = [a for a, _, _ in e820 if a >= start]
    if not c.check(above, "no E820 entry above the PCI hole in hvmloader's "
                   "report"):
        return
    end = min(above)
    ranges = hvmloader_ranges(start, end, width)
    c.check(len(ranges) == k, f"hvmloader says var MTRRs [{k}/{n}]; tiling "
            f"[{start:#x}, {end:#x}) as its cacheattr.c does gives "
            f"{len(ranges)} pairs")
    c.check(fixed_on, "hvmloader did not program the fixed ranges")
    c.notes.append(f"hvmloader: {len(cpus)} CPUs, {width}-bit, var MTRRs "
                   f"[{k}/{n}] over the PCI hole [{start:#x}, {end:#x}): "
                   + ", ".join(f"{b:#x}/{m:#x}" for b, m in ranges))
    # cacheattr.c: fixed ranges WB, but 0xa0000-0xbffff WC when MTRRcap
    # says WC is supported (MTRRcap is read-only: the record's is right).
    m = c.command("hvm-map-json")
    cap = 0x508
    if m and m[0] == 0:
        regs = [o for o in c.json_lines("hvm-map-json", m[1])
                if o.get("kind") == "registers"]
        if regs:
            cap = int(regs[0]["mtrrcap"], 16)
    fixed = [0x0606060606060606] * 11
    if cap & 0x400:
        fixed[2] = 0x0101010101010101
    var = ranges + [(0, 0)] * (8 - len(ranges))
    st = State(DEF_E | DEF_FE | WB, fixed, [(b | UC, m) for b, m in var],
               width, cap)

    r = c.command("hvm-type-json")
    stats = new_stats()
    answers = {}
    if r and c.check(r[0] == 0, f"xc-mtrr-type on the HVM guest exited "
                     f"{r[0]}: {r[2].strip()}"):
        seen = set()
        for o in c.json_lines("hvm-type-json", r[1]):
            gpa = int(o["gpa"], 16)
            seen.add(o["vcpu"])
            check_answer(c, f"hvm vCPU {o['vcpu']}", st, gpa, o["code"],
                         o["origin"], o["reliable"], stats,
                         json.dumps(o, separators=(",", ":")))
            answers[(o["vcpu"], gpa)] = o
        c.check(seen == set(cpus), f"answers for vCPUs {sorted(seen)}, "
                f"hvmloader set up {sorted(cpus)}")
    # The regions by name, spelled out.
    want = [("VGA hole", 0xa0000, "WC", True),
            ("VGA hole", 0xbf000, "WC", True),
            ("RAM", 0x0, "WB", True),
            ("RAM", 0x100000, "WB", False),
            ("RAM", 0x3fff000, "WB", False),
            ("PCI hole pair 0", start, "UC", True)]
    if len(ranges) > 1:
        # Pair 1 of the record is a copy of pair 0: the tool sees the
        # default type there and must say it cannot be sure.
        for i in range(1, len(ranges)):
            want.append((f"PCI hole pair {i}", ranges[i][0], "WB", False))
    shown = []
    for label, gpa, t, rel in want:
        o = answers.get((0, gpa))
        if c.check(o is not None, f"no answer for the {label} ({gpa:#x})"):
            c.check(o["type"] == t and o["reliable"] == rel,
                    f"{label} {gpa:#x}: {o['type']} reliable="
                    f"{str(o['reliable']).lower()}, want {t} reliable="
                    f"{str(rel).lower()}")
            real = tname(st.resolve(gpa)[0])
            shown.append(f"{label} {gpa:#x} {o['type']}"
                         + ("" if o["reliable"] else
                            f" unreliable (really {real})"))
    c.notes.insert(0, "; ".join(shown))
    if m and c.check(m[0] == 0, f"xc-mtrr-map on the HVM guest exited {m[0]}"):
        for o in c.json_lines("hvm-map-json", m[1]):
            if o.get("kind") == "registers":
                check_registers(c, f"hvm vCPU {o['vcpu']}", o, st, width)


SCENARIOS = {
    "boot": sc_boot,
    "pvh-registers": sc_pvh_registers,
    "pvh-types": sc_pvh_types,
    "pvh-record-bug": sc_pvh_record_bug,
    "pvh-compat": sc_pvh_compat,
    "hvm-hvmloader": sc_hvm,
    "pv-eopnotsupp": sc_pv,
    "nodomain-esrch": sc_nodomain,
}


def show_evidence(c):
    """The parts of the serial log behind the failures: the output line
    of each wrong answer, the outputs of commands that failed otherwise,
    the guests' own reports, the progress markers."""
    print(f"--- serial log {c.log.path}: what '{c.name}' failed on ---")
    for msg, ev in c.evidence[:10]:
        print(f"[{msg}]")
        for l in ev:
            print("  " + l)
    if len(c.evidence) > 10:
        print(f"... {len(c.evidence) - 10} more")
    bare = [f for f in c.failures if f not in {m for m, _ in c.evidence}]
    if bare:
        # Failures without a line of their own: the stderr and the start of
        # the output of the commands they name, or that did not exit 0.
        for name in c.used:
            text = c.log.block(name)
            if text is None or name == "xl-dmesg.out":
                continue
            lines = text.splitlines()
            if name.endswith((".cmd", ".rc")) or not lines:
                continue
            cmd = name.rsplit(".", 1)[0]
            rc = (c.log.block(cmd + ".rc") or "0").strip()
            if rc == "0" and not any(cmd in f for f in bare):
                continue
            print(f"[{name}]")
            for l in lines[:15]:
                print("  " + l)
            if len(lines) > 15:
                print(f"  ... {len(lines) - 15} more lines")
    if c.dmesg_filters and c.log.block("xl-dmesg.out"):
        rel = [l for l in c.log.block("xl-dmesg.out").splitlines()
               if any(f in l for f in c.dmesg_filters)]
        vcpus = set()
        for f in c.failures:
            vcpus.update(re.findall(r"vCPU (\d+)", f))
        key = [l for l in rel if any(k in l for k in
                                     ("error", "exception", "start",
                                      "MTRR", "pci_mem_start"))]
        key += [l for l in rel if " got " in l and
                (not vcpus or any(f" v{v} got" in l for v in vcpus))]
        if not key:
            key = rel[-20:]
        print(f"[xl dmesg: the guests' own report ({len(key)} of "
              f"{len(rel)} lines)]")
        for l in key[:45]:
            print("  " + l)
    markers = [l for l in c.log.markers
               if l.startswith(("E2E-FATAL", "E2E-TIMEOUT"))]
    steps = [l for l in c.log.markers if l.startswith(("E2E-STEP",
                                                        "E2E-INIT"))]
    print("[progress]")
    for l in markers + steps[-3:]:
        print("  " + l)
    if not c.log.blocks or c.name == "boot":
        print("[last 40 lines of the serial log]")
        for l in c.log.lines[-40:]:
            print("  " + l)


def summary(results_dir):
    """One line per scenario (its verdict and what it showed), then the
    count."""
    passed = failed = 0
    names = sorted(f for f in os.listdir(results_dir) if f.endswith(".result"))
    for f in names:
        with open(os.path.join(results_dir, f)) as fh:
            line = fh.read().strip()
        verdict = line.split()[0] if line else "FAIL"
        detail = line[len(verdict):].strip()
        if len(detail) > 220:
            detail = detail[:217] + "..."
        print(f"  {f[:-7]}: {verdict} {detail}")
        if verdict == "PASS":
            passed += 1
        else:
            failed += 1
    print(f"e2e: {passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--log")
    ap.add_argument("--results", help="directory for <scenario>.result")
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("scenario", nargs="?", choices=sorted(SCENARIOS))
    a = ap.parse_args()
    if a.summary:
        return summary(a.results)
    if not a.log or not a.scenario:
        ap.error("--log and a scenario are required")
    if not os.path.exists(a.log):
        detail = "no serial log: the boot test did not run (run the whole " \
                 "suite: meson test --suite e2e)"
        verdict = "FAIL"
        c = None
    else:
        c = Checker(Log(a.log), a.scenario)
        try:
            SCENARIOS[a.scenario](c)
        except Exception as e:  # a malformed output is a failure, not a crash
            import traceback
            traceback.print_exc()
            c.fail(f"checker error: {type(e).__name__}: {e}")
        verdict = "FAIL" if c.failures else "PASS"
        detail = "; ".join(c.failures[:3] if c.failures else c.notes)
        if len(c.failures) > 3:
            detail += f"; ... {len(c.failures) - 3} more"
        detail = " | ".join(detail.splitlines())
    # Evidence first, verdict last: meson shows the end of a long log.
    if c and c.failures:
        show_evidence(c)
    if c:
        for n in c.notes:
            print(f"  note: {n}")
        for f in c.failures:
            print(f"  FAIL: {f}")
    print(f"E2E-RESULT {a.scenario} {verdict} {detail}")
    if a.results:
        os.makedirs(a.results, exist_ok=True)
        with open(os.path.join(a.results, a.scenario + ".result"), "w") as f:
            f.write(f"{verdict} {detail}\n")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
