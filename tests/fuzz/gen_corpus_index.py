#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Write the seed corpus of fuzz_index.c into corpus-index/.

Input format (see fuzz_index.c): width byte (32 + b if b < 21, else
from all bytes), flags byte
(0x80 E, 0x40 FE, VCNT b % 9, var_known (b >> 2) & 0xff), default type
byte (index into UC WC WT WP WB), 8 pairs of [base: 8][mask: 8]
little-endian (type from base % 5, index into the same list), 11
fixed-range bytes, then 8-byte addresses.

Usage: gen_corpus_index.py [OUTDIR]   (default: corpus-index next to it)
"""
import os
import struct
import sys

UC, WC, WT, WP, WB = 0, 1, 2, 3, 4   # indexes into the harness's type list
VALID = 0x800
FLAGS = 0xC5                          # E, FE, VCNT 8


def width_byte(width):
    return bytes([width - 32])


def base(addr, t):
    """An address whose value % 5 is the type index t (low bits spare)."""
    for low in range(5):
        if (addr + low) % 5 == t:
            return addr + low
    raise AssertionError


def mask(size, width):
    return ((1 << width) - 1) & ~(size - 1) & ~0xfff | VALID


def seed(width, flags, default, pairs, fixed=b"\x00" * 11, addrs=()):
    out = width_byte(width) + bytes([flags, default])
    pairs = list(pairs) + [(0, 0)] * (8 - len(pairs))
    for b, m in pairs:
        out += struct.pack("<QQ", b, m)
    out += fixed
    for a in addrs:
        out += struct.pack("<Q", a)
    return out


GiB, MiB = 1 << 30, 1 << 20
SEEDS = {
    "hvmloader": seed(36, FLAGS, WB, [
        (base(0xE8000000, UC), mask(128 * MiB, 36)),
        (base(0xF0000000, UC), mask(256 * MiB, 36))],
        addrs=[0xA0000, 0xE8000000, 0xFFFFFFFF, 5 * GiB]),
    "busy": seed(46, FLAGS, UC, [
        (base(0, WB), mask(8 * GiB, 46)),
        (base(0xC0000000, UC), mask(GiB, 46)),
        (base(0xE0000000, WC), mask(256 * MiB, 46)),
        (base(4 * GiB, WT), mask(GiB, 46)),
        (base(0x140000000, WP), mask(512 * MiB, 46)),
        (base(0x150000000, WC), mask(64 * MiB, 46)),
        (base(1 << 44, WB), mask(1 << 44, 46)),
        (base(0x100080000000, UC), mask(2 * GiB, 46))]),
    # Boundaries on 4 KiB only: nodes down to the last level.
    "unaligned": seed(52, FLAGS, WB, [
        (base(0x7B801000, UC), mask(0x1000, 52)),
        (base(0xFFFFF000, WC), mask(0x1000, 52)),
        (base(0x000FFFFFFFFFF000, WT), mask(0x1000, 52)),
        (base(0x123456789000, WP), mask(0x1000, 52))],
        bytes(range(1, 12))),
    # A non-contiguous mask: thousands of entries, the node budget.
    "holes": seed(40, FLAGS, WB, [
        (base(0x1000, UC), ((1 << 40) - 1) & ~0xfff & ~0x7fe000 | VALID)]),
    "fixed-mixed": seed(32, FLAGS, WB, [], bytes(
        [0x13, 0x57, 0x9b, 0xdf, 0x21, 0x43, 0x65, 0x87, 0xa9, 0xcb, 0xed])),
    "disabled": seed(36, 0x05, WB, [(base(0, UC), mask(GiB, 36))]),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus-index")
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
