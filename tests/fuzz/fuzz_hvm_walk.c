/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness: bytes -> a vCPU state and a few page-table frames of
 * a synthetic HVM/PVH guest (tests/support/hvmbuild.c), walked at several
 * VAs and dumped over a range. The walker must never crash, read past a
 * frame or read more than one frame per level; it ends in a result, EINVAL
 * ENOENT (a table in a frame the guest does not have) or, with EFER
 * unknown, ENODATA. The dump reads each frame once, gives
 * runs in VA order inside the range that walks agree with, and calls back
 * at most 1024 times per level of each distinct frame.
 *
 * Input: byte 0 the mode (bits 0-2 % 5: paging mode, bit 3: EFER unknown,
 * bit 4: NXE clear, bit 5: CR4.PSE clear, bits 6-7: the dump range), byte
 * 1 the guest's width (32 + byte % 21), byte 2 the root's offset in its
 * frame (PAE: 32-byte steps), 4 x 8 bytes of VAs, then 12-byte records
 * [frame][index: 2][kind][value: 8], little-endian: kind 1 links the entry
 * to planted frame (value >> 12) % 8 keeping the value's flags, anything
 * else writes the value as it is (the low 4 bytes in 32-bit mode).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "fuzz_fail.h"
#include "hvmbuild.h"

#define NR_FRAMES   8
#define NR_VAS      4
#define RECORD      12
#define MAX_RECORDS 256
#define MAX_RUNS    4096
#define FLAG_BITS   (UINT64_C(0xfff0000000000fff))

static const unsigned int tops[] = {0, 2, 3, 4, 5};

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

static uint64_t frame_gpa(unsigned int k)
{
    return (HVB_TABLE_GFN + k) << 12;
}

static void plant(struct hvb *b, const uint8_t *rec)
{
    uint64_t v = load_le(rec + 4, 8);
    unsigned int n = b->mode == XCX_PGMODE_32BIT ? 1024 : 512;

    if ((rec[3] & 3) == 1)
        v = frame_gpa((v >> 12) % NR_FRAMES) | (v & FLAG_BITS);
    hvb_set_entry(b, frame_gpa(rec[0] % NR_FRAMES), load_le(rec + 1, 2) % n,
                  b->mode == XCX_PGMODE_32BIT ? (uint32_t)v : v);
}

static void check_walk(struct hvb *b, const struct xcx_hvm_guest *g,
                       uint64_t va)
{
    struct xcx_hvm_walk w;
    int rc;

    hvb_reset_reads(b);
    errno = 0;
    rc = xcx_hvm_walk(g, &b->cpu, va, &w, NULL);
    require(b->reads <= tops[b->mode], "more than one read per level", va);
    require(rc == 0 || errno == EINVAL || errno == ENODATA || errno == ENOENT,
            "walk failed, not EINVAL", va);
    if (rc)
        return;
    require(w.nr_levels <= 5 && w.va == va, "levels", va);
    require(w.mapped == (w.stop_level == 0), "mapped and stop_level", va);
    if (w.mapped)
        require(w.pat_index < 8 && w.page_size >= 4096 &&
                    (w.gpa & (w.page_size - 1)) == (va & (w.page_size - 1)),
                "leaf", va);
}

struct runs {
    struct xcx_hvm_run v[MAX_RUNS];
    size_t n, calls;
};

static int collect(void *arg, const struct xcx_hvm_run *run)
{
    struct runs *r = arg;

    r->calls++;
    if (r->n < MAX_RUNS)
        r->v[r->n++] = *run;
    return 0;
}

/* Runs ascend inside the range, and a walk of a run's first page agrees
 * (its last too, when the run is not an alias). */
static void check_runs(const struct hvb *b, const struct xcx_hvm_guest *g,
                       const struct runs *r, uint64_t lo, uint64_t hi)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct xcx_hvm_run *x = &r->v[i];
        struct xcx_hvm_walk w;

        require(x->va_start >= (lo & ~UINT64_C(0xfff)) &&
                    (x->va_end == 0 || x->va_start < x->va_end) &&
                    (hi == 0 || (x->va_end && x->va_end <= hi + 4095)),
                "run outside the range", x->va_start);
        require(i == 0 || r->v[i - 1].va_end == 0 ||
                    r->v[i - 1].va_end <= x->va_start,
                "runs out of order", x->va_start);
        if (x->alias || i >= 64)
            continue;
        require(xcx_hvm_walk(g, &b->cpu, x->va_start, &w, NULL) == 0 &&
                    w.mapped && w.gpa == x->gpa_start &&
                    w.pat_index == x->pat_index,
                "a walk disagrees with a run", x->va_start);
    }
}

static void check_dump(struct hvb *b, const struct xcx_hvm_guest *g,
                       uint64_t lo, uint64_t hi)
{
    static struct runs r;
    unsigned long frames;
    int rc;

    r.n = r.calls = 0;
    hvb_reset_reads(b);
    errno = 0;
    rc = xcx_hvm_dump(g, &b->cpu, lo, hi, collect, &r, NULL);
    frames = hvb_distinct_reads(b);
    /* A failed read (a frame the guest lacks) ends the dump. */
    require(b->reads <= frames + (rc != 0), "dump read a frame twice", lo);
    require(r.calls <= 5 * 1024 * (frames + 1), "too many runs", lo);
    require(rc == 0 || (rc == -1 && (errno == EINVAL || errno == ENODATA ||
                                     errno == ENOENT)),
            "dump failed, not EINVAL", lo);
    if (rc == 0)
        check_runs(b, g, &r, lo, hi);
}

static void setup(struct hvb *b, const uint8_t *data, size_t size)
{
    uint8_t mode = size ? data[0] : 0;

    hvb_init(b, (mode & 7) % 5);
    if (mode & 8)
        b->cpu.efer_known = false;
    if (mode & 16)
        b->cpu.efer &= ~HVB_EFER_NXE;
    if (mode & 32)
        b->cpu.cr4 &= ~HVB_CR4_PSE;
    if (size > 1)
        b->maxphys = 32 + data[1] % 21;
    if (size > 2 && b->mode != XCX_PGMODE_OFF)
        b->cpu.cr3 = frame_gpa(0) | (data[2] & 0xfe0);
    for (unsigned int k = 0; k < NR_FRAMES; k++)
        hvb_frame(b, HVB_TABLE_GFN + k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t vas[NR_VAS] = {0}, lo = 0, hi = 0;
    struct xcx_hvm_guest g;
    struct hvb b;
    size_t pos = 3;

    setup(&b, data, size);
    for (unsigned int i = 0; i < NR_VAS && pos + 8 <= size; i++, pos += 8)
        vas[i] = load_le(data + pos, 8);
    for (unsigned int n = 0; n < MAX_RECORDS && pos + RECORD <= size;
         n++, pos += RECORD)
        plant(&b, data + pos);
    hvb_guest(&b, &g);
    for (unsigned int i = 0; i < NR_VAS; i++) {
        check_walk(&b, &g, vas[i]);
        check_walk(&b, &g, (uint64_t)((int64_t)(vas[i] << 16) >> 16));
        check_walk(&b, &g, vas[i] & 0xffffffff);
    }
    if (size && (data[0] >> 6) == 1) {
        lo = vas[0] < vas[1] ? vas[0] : vas[1];
        hi = vas[0] < vas[1] ? vas[1] : vas[0];
    } else if (size && (data[0] >> 6) == 2) {
        lo = vas[0] & ~UINT64_C(0xfff);
        hi = lo + (UINT64_C(64) << 20);
    }
    if (hi == 0 || lo < hi)
        check_dump(&b, &g, lo, hi);
    hvb_free(&b);
    return 0;
}
