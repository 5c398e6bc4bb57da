#!/usr/bin/env python3
"""gen-symbols.py OUTDIR: the Debian symbols files of both libraries, from
their version maps (lib/pure/libxenctrl_ext_pure.map, lib/libxenctrl_ext.map):
each symbol with its version node, introduced in the node's version. Run by
debian/rules, so the files never drift from the maps."""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIBS = [("lib/pure/libxenctrl_ext_pure.map", "libxenctrl_ext_pure.so.1",
         "libxenctrl-ext-pure1"),
        ("lib/libxenctrl_ext.map", "libxenctrl_ext.so.1", "libxenctrl-ext1")]


def symbols(mapfile, soname, pkg):
    text = re.sub(r"/\*.*?\*/", "", open(os.path.join(ROOT, mapfile)).read(),
                  flags=re.S)
    lines = [f"{soname} {pkg} #MINVER#",
             "* Build-Depends-Package: libxenctrl-ext-dev"]
    nodes = re.findall(r"(XENCTRL_EXT_(\d+)\.(\d+))\s*\{(.*?)\}", text, re.S)
    if not nodes:
        sys.exit(f"gen-symbols: no version node in {mapfile}")
    for node, major, minor, body in nodes:
        version = f"{major}.{minor}.0"
        lines.append(f" {node}@{node} {version}")
        for sym in re.findall(r"([A-Za-z_]\w*)\s*;", body.split("local:")[0]):
            lines.append(f" {sym}@{node} {version}")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen-symbols.py OUTDIR")
    for mapfile, soname, pkg in LIBS:
        with open(os.path.join(sys.argv[1], f"{pkg}.symbols"), "w") as f:
            f.write(symbols(mapfile, soname, pkg))


if __name__ == "__main__":
    main()
