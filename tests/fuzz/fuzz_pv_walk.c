/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness: bytes -> a few page-table frames of a synthetic PV
 * guest (tests/support/pvbuild.c), walked at several VAs and dumped over a
 * range. The walker must never crash, read past a frame, read more than
 * one frame per level, or ask for a frame at or above max_mfn; it ends in
 * a result or EINVAL. The dump reads each frame once, gives well-formed
 * runs (tests/support/pvcheck.c) that walks agree with, and calls back at
 * most 2048 times per distinct frame.
 *
 * Input: byte 0 the mode (bit 0: PAE, bit 1: the user root, bits 2-3: the
 * dump range), 4 x 8 bytes of VAs, then 12-byte records, each writing one
 * entry: [frame][index: 2][kind][value: 8], little-endian. Kind 1 links
 * the entry to planted frame (value >> 12) % 8 (the fuzzer need not guess
 * MFNs), keeping the value's flags,
 * kind 2 names a frame near max_mfn, kind 3 makes a large leaf in the
 * guest's large-page frames, anything else writes the value as it is.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_fail.h"
#include "pvbuild.h"
#include "pvcheck.h"

#define NR_FRAMES   8
#define NR_VAS      4
#define RECORD      12
#define MAX_RECORDS 256
#define RUNS_WALKED 64
#define LOW_BITS    (UINT64_C(0x8000000000000fff))

static void require(bool ok, const char *what, uint64_t va)
{
    if (!ok)
        fuzz_fail("%s (VA 0x%" PRIx64 ")", what, va);
}

static uint64_t load_le(const uint8_t *p, unsigned int n)
{
    uint64_t v = 0;

    while (n--)
        v = v << 8 | p[n];
    return v;
}

/* Frames 0..5 are the guest's table frames, 6 and 7 are not its own. */
static uint64_t frame_mfn(unsigned int k)
{
    return k < 6 ? pvb_mfn(PVB_TABLE_PFN + k) : PVB_FOREIGN_MFN + k;
}

static uint64_t record_entry(uint8_t kind, uint64_t v)
{
    switch (kind & 3) {
    case 1:
        return frame_mfn((v >> 12) % NR_FRAMES) << 12 | (v & LOW_BITS);
    case 2:
        return (PVB_MAX_MFN - 8 + (v >> 12) % 16) << 12 | (v & LOW_BITS);
    case 3:
        return (pvb_mfn(PVB_LARGE_PFN) + (v >> 12) % PVB_LARGE_PFNS) << 12 |
               (v & LOW_BITS) | PVB_PSE;
    default:
        return v;
    }
}

static void plant(struct pvb *b, const uint8_t *rec)
{
    uint64_t table = frame_mfn(rec[0] % NR_FRAMES);
    unsigned int index = load_le(rec + 1, 2) % 512;

    pvb_set_entry(b, table, index, record_entry(rec[3], load_le(rec + 4, 8)));
}

/* A VA from 8 input bytes: mostly canonical (or below 4 GiB for PAE). */
static uint64_t pick_va(unsigned int width, uint64_t raw)
{
    if ((raw >> 56) == 0x80)
        return raw; /* as it is: non-canonical, above 4 GiB */
    if (width == 4)
        return raw & 0xffffffff;
    return (uint64_t)((int64_t)(raw << 16) >> 16);
}

static void check_walk(struct pvb *b, const struct xcx_pv_guest *g,
                       uint64_t root, uint64_t va)
{
    unsigned int top = g->width == 8 ? 4 : 3;
    struct xcx_pv_walk w;
    int rc;

    pvb_reset_reads(b);
    errno = 0;
    rc = xcx_pv_walk(g, root, va, &w, NULL);
    require(b->reads <= top, "more than one read per level", va);
    require(b->bad_reads == 0, "read of a frame past max_mfn", va);
    require(rc == 0 || errno == EINVAL, "walk failed, not EINVAL", va);
    if (rc)
        return;
    require(w.nr_levels <= top && w.va == va, "levels", va);
    if (w.area != XCX_PV_AREA_GUEST) {
        require(!w.mapped && w.nr_levels == 0 && b->reads == 0,
                "walked into Xen's area", va);
        return;
    }
    require(w.mapped == (w.stop_level == 0), "mapped and stop_level", va);
    if (!w.mapped)
        return;
    require(w.page_size == SZ_4K || w.page_size == SZ_2M ||
                (w.page_size == SZ_1G && g->width == 8),
            "page size", va);
    require(w.mfn < g->max_mfn && w.pat_index < 8, "leaf frame", va);
    require((w.maddr >> 12) == w.mfn, "maddr", va);
}

/* The dump range of mode bits 2-3. */
static void dump_range(uint8_t mode, const uint64_t *vas, uint64_t *lo,
                       uint64_t *hi)
{
    switch ((mode >> 2) & 3) {
    case 0:
        *lo = *hi = 0;
        break;
    case 1:
        *lo = vas[0] < vas[1] ? vas[0] : vas[1];
        *hi = vas[0] < vas[1] ? vas[1] : vas[0];
        break;
    case 2:
        *lo = 0;
        *hi = UINT64_C(1) << 47;
        break;
    default:
        *lo = vas[0] & ~UINT64_C(0xfff);
        *hi = *lo + (UINT64_C(16) << 20);
    }
}

static void check_dump(struct pvb *b, const struct xcx_pv_guest *g,
                       uint64_t root, uint64_t lo, uint64_t hi)
{
    struct pvc_runs r;
    unsigned long frames;
    const char *bad;
    int rc;

    memset(&r, 0, sizeof(r));
    pvb_reset_reads(b);
    errno = 0;
    rc = xcx_pv_dump(g, root, lo, hi, pvc_collect, &r, NULL);
    frames = pvb_distinct_reads(b);
    require(b->bad_reads == 0, "dump read a frame past max_mfn", lo);
    require(b->reads == frames, "dump read a frame twice", lo);
    require(r.calls <= 2048 * (frames + 1), "too many runs", lo);
    require(rc == 0 || (rc == -1 && (errno == EINVAL || lo >= hi)),
            "dump failed, not EINVAL", lo);
    if (rc == 0) {
        bad = pvc_check_runs(&r, g->width, lo, hi);
        if (bad)
            fuzz_fail("runs of [0x%" PRIx64 ", 0x%" PRIx64 "): %s", lo, hi,
                      bad);
        for (size_t i = 0; i < r.n && i < RUNS_WALKED; i++) {
            bad = pvc_check_walk(g, root, &r.v[i], r.v[i].va_start);
            if (!bad)
                bad = pvc_check_walk(g, root, &r.v[i], r.v[i].va_end - 1);
            if (bad)
                fuzz_fail("a walk disagrees with run %zu: %s", i, bad);
        }
    }
    pvc_runs_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t mode = size ? data[0] : 0;
    unsigned int width = mode & 1 ? 4 : 8;
    uint64_t vas[NR_VAS] = {0}, root, lo, hi;
    struct xcx_pv_guest g;
    struct pvb b;
    size_t pos = 1;

    pvb_init(&b, width);
    pvb_guest(&b, &g);
    for (unsigned int k = 0; k < NR_FRAMES; k++)
        pvb_frame(&b, frame_mfn(k));
    for (unsigned int i = 0; i < NR_VAS && pos + 8 <= size; i++, pos += 8)
        vas[i] = pick_va(width, load_le(data + pos, 8));
    for (unsigned int n = 0; n < MAX_RECORDS && pos + RECORD <= size;
         n++, pos += RECORD)
        plant(&b, data + pos);
    root = frame_mfn(mode & 2 && width == 8 ? 1 : 0);

    for (unsigned int i = 0; i < NR_VAS; i++) {
        check_walk(&b, &g, root, vas[i]);
        check_walk(&b, &g, root, vas[i] ^ 0x1000);
    }
    dump_range(mode, vas, &lo, &hi);
    check_dump(&b, &g, root, lo, hi);
    pvb_free(&b);
    return 0;
}
