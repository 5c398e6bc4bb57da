#!/usr/bin/env python3
"""--svg of xc-mtrr-map and xc-mtrr-audit (suite cli): the file parses as
SVG (xml.etree), its range rects are exactly the ranges `xc-mtrr-map
--json` prints for every vCPU, with their types and reliability, the
magnified part covers [0, 1 MiB) without a gap, unreliable ranges are
hatched, and the audit's picture numbers the findings that have ranges.
Bad input: an unwritable FILE is exit 1 naming it; usage errors exit 2.

Arguments: XC_MTRR_MAP XC_MTRR_AUDIT SAMPLE_CONTEXT
"""
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
    return cond


def run(*argv):
    p = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def rects(root, cls):
    return [r.attrib for r in root.iter(SVG + "rect")
            if r.attrib.get("class") == cls]


def check_map(xc_map, sample, tmp):
    path = os.path.join(tmp, "map.svg")
    rc, out, err = run(xc_map, "--all-vcpus", "--json", "--svg", path,
                       "--context", sample)
    if not check(rc == 0, f"xc-mtrr-map --svg exited {rc}: {err}"):
        return
    root = ET.parse(path).getroot()
    check(root.tag == SVG + "svg", f"root element {root.tag}")
    want = {}
    for line in out.splitlines():
        o = json.loads(line)
        if o["kind"] == "range":
            want.setdefault(o["vcpu"], []).append(
                (int(o["start"], 16), int(o["end"], 16), o["type"],
                 o["reliable"]))
    got = {}
    for a in rects(root, "range"):
        got.setdefault(int(a["data-vcpu"]), []).append(
            (int(a["data-start"], 16), int(a["data-end"], 16),
             a["data-type"], a["data-reliable"] == "true"))
    check(sorted(want) == [0, 1], f"vCPUs in the JSON map: {sorted(want)}")
    check(got == want, f"SVG ranges {got} differ from the map's {want}")
    # The sample: VGA hole WC, the PCI hole's first pair UC, the rest WB,
    # unreliable above 1 MiB outside the known UC pair.
    v0 = want.get(0, [])
    check((0xa0000, 0xc0000, "WC", True) in v0, "no WC VGA hole")
    check((0xe8000000, 0xf0000000, "UC", True) in v0, "no UC pair 0")
    hatched = [r for r in root.iter(SVG + "rect")
               if r.attrib.get("fill") == "url(#unreliable)"]
    unreliable = sum(1 for v in want.values() for r in v if not r[3])
    check(len(hatched) >= unreliable > 0,
          f"{len(hatched)} hatched rects for {unreliable} unreliable ranges")
    check(root.find(f".//{SVG}pattern[@id='unreliable']") is not None,
          "no hatch pattern")
    for v in (0, 1):
        fx = sorted((int(a["data-start"], 16), int(a["data-end"], 16),
                     a["data-type"])
                    for a in rects(root, "fixed") if a["data-vcpu"] == str(v))
        check(fx and fx[0][0] == 0 and fx[-1][1] == 0x100000 and
              all(fx[i][1] == fx[i + 1][0] for i in range(len(fx) - 1)),
              f"vCPU {v}: the magnified part does not tile [0, 1M): {fx}")
        check((0xa0000, 0xc0000, "WC") in fx, f"vCPU {v}: no WC in [0, 1M)")
    texts = " ".join(t.text or "" for t in root.iter(SVG + "text"))
    for word in ("UC", "WC", "WT", "WP", "WB", "unreliable", "vCPU 0",
                 "vCPU 1", "magnified"):
        check(word in texts, f"no '{word}' in the picture's text")


def check_audit(xc_audit, sample, tmp):
    path = os.path.join(tmp, "audit.svg")
    rc, out, err = run(xc_audit, "--json", "--svg", path, "--context", sample)
    if not check(rc in (0, 3), f"xc-mtrr-audit --svg exited {rc}: {err}"):
        return
    findings = [json.loads(l) for l in out.splitlines()]
    findings = [f for f in findings if f.get("kind") == "finding"]
    root = ET.parse(path).getroot()
    marks = rects(root, "mark")
    ranged = {f["id"] for f in findings if f["ranges"]}
    check(ranged and {m.get("data-finding") for m in marks
                      if "data-finding" in m} == ranged,
          f"marked findings differ from the audit's ranged ones {ranged}")
    texts = " ".join(t.text or "" for t in root.iter(SVG + "text"))
    for f in findings:
        check(f["id"] in texts, f"finding {f['id']} not in the legend")


def check_errors(xc_map, xc_audit, sample, tmp):
    bad = os.path.join(tmp, "no-such-dir", "x.svg")
    rc, out, err = run(xc_map, "--svg", bad, "--context", sample)
    check(rc == 1 and bad in err, f"unwritable --svg: exit {rc}, {err}")
    rc, out, err = run(xc_map, "--svg", "", "--context", sample)
    check(rc == 2 and "empty --svg" in err, f"empty --svg: exit {rc}, {err}")
    rc, out, err = run(xc_audit, "--svg", os.path.join(tmp, "h.svg"))
    check(rc == 2 and "--svg needs" in err, f"audit --svg: exit {rc}, {err}")
    rc, out, err = run(xc_map, "--svg")
    check(rc == 2, f"--svg without FILE: exit {rc}")
    # A context whose name is no valid XML text: the picture stays valid.
    weird = os.path.join(tmp, "a<b&c\x01d").encode() + b"\xff"
    with open(sample, "rb") as src, open(weird, "wb") as dst:
        dst.write(src.read())
    path = os.path.join(tmp, "weird.svg")
    p = subprocess.run([xc_map, "--svg", path, "--context", weird],
                       capture_output=True, timeout=60)
    if check(p.returncode == 0, f"weird name: exit {p.returncode}"):
        try:
            ET.parse(path)
        except ET.ParseError as e:
            check(False, f"weird name: invalid SVG: {e}")


def main():
    xc_map, xc_audit, sample = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as tmp:
        check_map(xc_map, sample, tmp)
        check_audit(xc_audit, sample, tmp)
        check_errors(xc_map, xc_audit, sample, tmp)
    for f in failures:
        print("FAIL:", f)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
