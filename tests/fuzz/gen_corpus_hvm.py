#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Write the seed corpus of fuzz_hvm_walk.c into corpus-hvm/.

Input format (see fuzz_hvm_walk.c): mode byte, width byte, root-offset
byte, 4 VAs of 8 bytes, then 12-byte records [frame][index: 2][kind]
[value: 8]; kind 1 links to planted frame (value >> 12) % 8 keeping the
value's flags, kind 0 writes the value as it is.

Usage: gen_corpus_hvm.py [OUTDIR]   (default: corpus-hvm next to this file)
"""
import os
import struct
import sys

OFF, B32, PAE, L4, L5 = 0, 1, 2, 3, 4
P, RW, US, PWT, PCD, A, PS = 1, 2, 4, 8, 0x10, 0x20, 0x80
TABLE = P | RW | US | A
NX = 1 << 63


def rec(frame, index, kind, value):
    return struct.pack("<BHBQ", frame, index, kind, value)


def link(frame, index, to, flags=TABLE):
    return rec(frame, index, 1, to << 12 | flags)


def head(mode, width=52, offset=0, vas=(0, 0, 0, 0)):
    return bytes([mode, width - 32, offset]) + b"".join(
        struct.pack("<Q", v) for v in vas)


def chain(levels, va, leaf, bits=9, pdpt=False):
    """Frames 0..levels-1 linked along va's path, the leaf entry last."""
    out = b""
    for lv in range(levels, 1, -1):
        frame = levels - lv
        shift = 12 + bits * (lv - 1)
        index = (va >> shift) & ((1 << bits) - 1)
        if pdpt and lv == 3:
            index = (va >> 30) & 3
            out += link(frame, index, frame + 1, P)
        else:
            out += link(frame, index, frame + 1)
    idx = (va >> 12) & ((1 << bits) - 1)
    return out + rec(levels - 1, idx, 0, leaf)


def seeds():
    va4 = 0x00007F1234567000
    yield "l4-4k", head(L4, vas=(va4, va4 + 0x1000, 0, 0)) + chain(
        4, va4, 0x345000 | P | RW | PCD | 0x80)
    va5 = 0x00F1234567812000
    yield "l5-4k", head(L5, vas=(va5, 0, 0, 0)) + chain(5, va5, 0x9000 | P | NX)
    yield "l4-1g", head(L4, vas=(0x40000000, 0, 0, 0)) + link(0, 0, 1) + rec(
        1, 1, 0, 0x40000000 | P | PS | 0x1000)
    yield "pae", head(PAE, offset=0x40, vas=(0xC1234000, 0, 0, 0)) + chain(
        3, 0xC1234000, 0x7000 | P | RW, pdpt=True)
    yield "b32-4m", head(B32, vas=(0x00400000, 0x00801000, 0, 0)) + rec(
        0, 1, 0, 0x00c00000 | P | PS | (0xab << 13)) + rec(
            0, 2, 1, 1 << 12 | TABLE) + rec(1, 1, 0, 0x5000 | P)
    yield "self", head(L4, vas=(0xFFFFFFFF81234000, 0, 0, 0)) + b"".join(
        link(0, i, 0) for i in (0, 1, 511))
    yield "dump-range", head(L4 | 0x40, vas=(0, 1 << 47, 0, 0)) + b"".join(
        link(0, i, i % 8) for i in range(0, 16)) + b"".join(
            rec(i % 8, j, 0, (j << 12) | P | RW) for i in range(8)
            for j in range(0, 64, 7))
    yield "reserved", head(L4, width=36, vas=(va4, 0, 0, 0)) + chain(
        4, va4, (1 << 40) | P)
    yield "efer-unknown", head(PAE | 8, vas=(0x1000, 0, 0, 0))
    yield "off", head(OFF, vas=(0xfee00000, 1 << 40, 0, 0))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus-hvm")
    os.makedirs(out, exist_ok=True)
    for name, data in seeds():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
