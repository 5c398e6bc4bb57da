#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Write the seed corpus of fuzz_config.c into corpus-config/ (or argv[1]):
libxl domain configurations as libxl_domain_config_to_json() writes them
(HVM, PVH, PV; pcidevs, iomem, ioports, dtdevs, passthrough; video and MMIO
hole variants; libxl's trailing NUL), and documents the reader must refuse
(wrong kinds, syntax errors, nesting past JSON_MAX_DEPTH, long strings and
paths). Deterministic: rerunning rewrites the same bytes.
"""
import json
import os
import sys


def config(kind, mem=1048576, **extra):
    """extra: c__KEY into c_info, hvm__KEY into b_info/type.KIND, top__KEY
    beside c_info and b_info, b__KEY into b_info."""
    b_info = {"max_vcpus": 2, "max_memkb": mem, "target_memkb": mem,
              "sched_params": {}, "device_model_version": "qemu_xen",
              "type.%s" % kind: {}}
    c_info = {"type": kind, "name": "guest-" + kind,
              "uuid": "5d1ab3a3-0d2b-4b6c-8b7e-4a8d0e2a9c11"}
    doc = {"c_info": c_info, "b_info": b_info}
    where = {"c": c_info, "hvm": b_info["type.%s" % kind], "top": doc,
             "b": b_info}
    for k, v in extra.items():
        scope, _, key = k.partition("__")
        where[scope][key] = v
    return json.dumps(doc, indent=4).encode()


SEEDS = {
    "hvm-plain": lambda: config("hvm", b__video_memkb=8192),
    "hvm-nul": lambda: config("hvm") + b"\0",
    "hvm-std-vga": lambda: config("hvm", hvm__vga={"kind": "std"}),
    "hvm-qxl-trad": lambda: config(
        "hvm", hvm__vga={"kind": "qxl"},
        b__device_model_version="qemu_xen_traditional"),
    "hvm-mmio-hole": lambda: config("hvm", mem=8 << 20,
                                    hvm__mmio_hole_memkb=1 << 20),
    "hvm-mmio-hole-4g": lambda: config("hvm", hvm__mmio_hole_memkb=4 << 20),
    "hvm-video-too-big": lambda: config("hvm", mem=4096,
                                        b__video_memkb=8192),
    "hvm-pcidevs": lambda: config(
        "hvm", top__pcidevs=[{"dev": 1, "bus": 0}, {"dev": 2}],
        c__passthrough="sync_pt"),
    "pvh-iomem": lambda: config(
        "pvh", b__iomem=[{"start": 0xfed00, "number": 1}],
        b__ioports=[{"first": 0x3f8, "number": 8}], top__dtdevs=[{}]),
    "pvh-passthrough-disabled": lambda: config(
        "pvh", c__passthrough="disabled"),
    "pv": lambda: config("pv"),
    "no-type": lambda: b'{"c_info":{},"b_info":{"max_memkb":1024}}',
    "bad-kind": lambda: b'{"c_info":{"type":7},"b_info":{"max_memkb":"x"}}',
    "bad-number": lambda: b'{"b_info":{"max_memkb":-1e3}}',
    "bad-syntax": lambda: b'{"c_info": {"type": "hvm",}',
    "not-object": lambda: b'[1, 2.5e-3, true, false, null, "\\u00e9\\n"]',
    "deep": lambda: b"[" * 64 + b"]" * 64,
    "too-deep": lambda: b"[" * 65 + b"]" * 65,
    "long-string": lambda: b'{"c_info":{"name":"' + b"n" * 600 + b'"}}',
    "long-path": lambda: (b'{"' + b"k" * 200 + b'":' ) * 4 + b"1" + b"}" * 4,
    "escapes": lambda: b'{"c_\\u0069nfo":{"ty\\/pe":"h\\"vm","type":"hvm"}}',
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus-config")
    os.makedirs(out, exist_ok=True)
    for name, make in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(make())


if __name__ == "__main__":
    main()
