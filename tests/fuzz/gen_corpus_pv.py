#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Write the seed corpus of fuzz_pv_walk.c into corpus-pv/.

Input format (see fuzz_pv_walk.c): mode byte, 4 VAs of 8 bytes, then
12-byte records [frame][index: 2][kind][value: 8], little-endian. Frames
0..5 are the guest's, 6 and 7 not; kind 1 links to frame (value >> 12) % 8
keeping the value's flags, kind 2 names a frame near max_mfn, kind 3 a
large leaf, kind 0 writes the value as it is.

Usage: gen_corpus_pv.py [OUTDIR]   (default: corpus-pv next to this file)
"""
import os
import struct
import sys

P, RW, US, PWT, PCD, A, D, PSE, G = 1, 2, 4, 8, 0x10, 0x20, 0x40, 0x80, 0x100
NX = 1 << 63
TABLE = P | RW | US | A

WIDTH8, PAE, USER = 0, 1, 2
RANGE_ALL, RANGE_VAS, RANGE_LOW, RANGE_16M = 0, 4, 8, 12


def rec(frame, index, kind, value):
    return struct.pack("<BHBQ", frame, index, kind, value)


def link(frame, index, to, flags=TABLE):
    return rec(frame, index, 1, to << 12 | flags)


def raw(frame, index, value):
    return rec(frame, index, 0, value)


def seed(mode, vas, records):
    vas = (list(vas) + [0] * 4)[:4]
    return bytes([mode]) + b"".join(
        struct.pack("<Q", v & 0xFFFFFFFFFFFFFFFF) for v in vas) + b"".join(records)


def tree64(extra=()):
    """L4 (0) -> L3 (2) -> L2 (3) -> L1 (4) at VA 0, 8 small pages."""
    r = [link(0, 0, 2), link(2, 0, 3), link(3, 0, 4)]
    r += [raw(4, i, (0x100 + 3 * i) << 12 | P | RW | (A if i & 1 else D))
          for i in range(8)]
    return r + list(extra)


SEEDS = {
    "walk64": seed(WIDTH8 | RANGE_ALL, [0, 0x1000, 0x7FFF, 0x200000],
                   tree64()),
    "large64": seed(WIDTH8 | RANGE_VAS, [0, 0x200000, 0x40000000, 0x600000],
                    tree64([rec(3, 1, 3, 0x200 << 12 | P | RW | 0x1000),
                            rec(3, 2, 3, 0x400 << 12 | P | PWT | PCD),
                            rec(2, 1, 3, 0x40000 << 12 | P | RW)])),
    "kernel-half": seed(WIDTH8 | RANGE_ALL,
                        [0xFFFFFFFF81000000, 0xFFFF880000000000,
                         0xFFFF800000000000, 0xFFFF808000001000],
                        [link(0, 511, 2), link(0, 256, 3), link(0, 272, 3),
                         link(2, 510, 3), link(3, 8, 4),
                         raw(4, 0, 0x123 << 12 | P | RW | G | NX)]),
    "user-root": seed(WIDTH8 | USER | RANGE_LOW, [0x400000, 0x401000, 0, 0],
                      [link(1, 0, 2, TABLE), link(2, 0, 3), link(3, 2, 4),
                       raw(4, 0, 0x55 << 12 | P | US)] + tree64()),
    "pae": seed(PAE | RANGE_ALL, [0x08048000, 0xC0000000, 0xF5800000,
                                  0xF57FF000],
                [link(0, 0, 2, P), link(0, 3, 3, P), link(2, 64, 4),
                 raw(4, 72, 0x77 << 12 | P | RW | US),
                 rec(3, 0, 3, 0x200 << 12 | P | RW),
                 link(3, 0x1AB, 4), link(3, 0x1AC, 4)]),
    "pae-pse-pdpte": seed(PAE | RANGE_ALL, [0x40000000, 0, 0, 0],
                          [raw(0, 1, 0x40000000 | P | PSE)]),
    "l4-self": seed(WIDTH8 | RANGE_ALL,
                    [0xFFFFF6FB7DBED000, 0xFFFFF68000000000, 0, 0x1000],
                    tree64([link(0, 0x1ED, 0), link(0, 0x1EE, 0)])),
    "l2-self": seed(WIDTH8 | RANGE_16M, [0, 0x600000, 0x603000, 0],
                    tree64([link(3, 3, 3)])),
    "alias": seed(WIDTH8 | RANGE_ALL, [0, 0x8000000000, 0xA00000, 0],
                  tree64([link(0, 1, 2), link(3, 5, 4, P | US)])),
    "foreign": seed(WIDTH8 | RANGE_ALL, [0, 0x1000, 0x2000, 0],
                    tree64([link(4, 8, 6, P | RW), link(4, 9, 7, P | RW),
                            link(3, 1, 6)])),
    "hostile": seed(WIDTH8 | RANGE_ALL, [0x8000000000, 0x10000000000,
                                         0x200000, 0x8080808080808080],
                    tree64([raw(0, 1, 0x1000 | P | PSE),
                            rec(0, 2, 2, 0x5000 | P),
                            rec(3, 1, 3, 0x2000 << 12 | P | 0x2000),
                            raw(2, 3, 0x40200000 | P | PSE)])),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus-pv")
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
