#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Write the seed corpus of the fuzz harnesses into corpus/ (or argv[1]).

HVM contexts follow xen/hvm/save.h: records {u16 typecode, u16 instance,
u32 length} + payload, HEADER (1) first, END (0) last; MTRR records (14)
are struct hvm_hw_mtrr, 240 bytes little-endian. Deterministic: rerunning
rewrites the same bytes.
"""
import os
import random
import struct
import sys

HVM_MAGIC = 0x54381286
UC, WC, WT, WP, WB = 0, 1, 4, 5, 6
PAT = 0x0007040600070406


def mask(size, width):
    return (((1 << width) - 1) & ~(size - 1)) | 0x800


def fixed(t):
    return 0x0101010101010101 * t


def record(pairs, cap=0x508, def_type=0xC06, fix=None, pat=PAT):
    """pairs: up to 8 (base, mask) tuples; fix: 11 fixed MSRs."""
    if fix is None:
        fix = [fixed(WB)] * 11
        fix[2] = fixed(UC)  # 0x259: VGA hole 0xa0000-0xbffff
    var = []
    for i in range(8):
        b, m = pairs[i] if i < len(pairs) else (0, 0)
        var += [b, m]
    return struct.pack('<Q16Q11QQQ', pat, *var, *fix, cap, def_type)


def rec(code, inst, payload):
    return struct.pack('<HHI', code, inst, len(payload)) + payload


def header():
    return rec(1, 0, struct.pack('<IIQII', HVM_MAGIC, 1, 0x4170000, 0x806f1,
                                 2000000))


def context(mtrrs, cpu=True):
    out = header()
    for i, m in enumerate(mtrrs):
        if cpu:
            out += rec(2, i, bytes(range(40)))  # a CPU-like record
        out += rec(14, i, m)
    return out + rec(0, 0, b'')


# Every typecode Xen's HVM save records use besides HEADER, MTRR and END
# (xen/include/public/arch-x86/hvm/save.h, 2..24), with payloads of
# assorted lengths: the parser must skip each by its descriptor's length
# (record sizes change between versions, e.g. LAPIC grew in 4.21).
SAVE_TYPES = [(2, 1024), (3, 8 * 24), (4, 16), (5, 3 * 8), (6, 24),
              (7, 32), (8, 64), (9, 8), (10, 24), (11, 16), (12, 16),
              (13, 8), (15, 8 * 24), (16, 24), (17, 8), (18, 16), (19, 8),
              (20, 16), (21, 16), (22, 16), (23, 32), (24, 8)]


def every_type(mtrrs):
    """A context with a record of every type Xen saves, per vCPU."""
    out = header()
    for i, m in enumerate(mtrrs):
        for code, size in SAVE_TYPES:
            out += rec(code, i, bytes((code * 7 + k) & 0xFF
                                      for k in range(size)))
        out += rec(14, i, m)
    return out + rec(0, 0, b'')


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), 'corpus')
    os.makedirs(outdir, exist_ok=True)

    # hvmloader: UC PCI hole in two pairs, as Xen >= 4.12 saves it (pair 0
    # copied into every slot) and as the guest programmed it.
    p0 = (0xF0000000 | UC, mask(256 << 20, 36))
    p1 = (0xE8000000 | UC, mask(128 << 20, 36))
    hvm_copies = record([p0] * 8)
    hvm_exact = record([p0, p1])
    busy = record([
        (0x0 | WB, mask(8 << 30, 46)),
        (0xC0000000 | UC, mask(1 << 30, 46)),
        (0xE0000000 | WC, mask(256 << 20, 46)),
        (0x100000000 | WT, mask(1 << 30, 46)),
        (0x140000000 | WP, mask(512 << 20, 46)),
        (0x150000000 | WC, mask(64 << 20, 46)),
        (0x100000000000 | WB, mask(1 << 44, 46)),
        (0x100080000000 | UC, mask(2 << 30, 46)),
    ], def_type=0xC00)
    # A non-contiguous mask: matches many disjoint 4 KiB..1 MiB pieces.
    noncontig = record([(0x0 | UC, 0xFFFF0A800), (0x100000 | WT,
                                                 mask(1 << 20, 36))],
                       cap=0x502)
    disabled = record([p0], def_type=0x006)
    bad_type = record([p0], def_type=0xC02)
    bad_mask = record([(0xF0000000 | UC, 0xFF0000801)])

    one = context([hvm_copies])
    seeds = {
        'ctx-1vcpu-hvmloader-copies': one,
        'ctx-2vcpu-exact': context([hvm_exact, busy]),
        'ctx-1vcpu-nocpu': context([hvm_exact], cpu=False),
        'ctx-2vcpu-every-type': every_type([hvm_exact, hvm_copies]),
        'ctx-0vcpu': header() + rec(0, 0, b''),
        'ctx-truncated': one[:len(one) - 100],
        'ctx-bad-magic': one[:8] + b'\x00\x00\x00\x00' + one[12:],
        'rec-hvmloader-copies': hvm_copies,
        'rec-hvmloader-exact': hvm_exact,
        'rec-busy-w46': busy,
        'rec-noncontig': noncontig,
        'rec-disabled': disabled,
        'rec-bad-type': bad_type,
        'rec-bad-mask': bad_mask,
        'rec-short': hvm_exact[:200],
        'random-256': random.Random(20240601).randbytes(256),
        'random-1024': random.Random(7).randbytes(1024),
    }
    for name, data in sorted(seeds.items()):
        with open(os.path.join(outdir, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()
