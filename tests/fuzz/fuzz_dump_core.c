/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness: bytes as an xl dump-core image, through
 * xcx_core_open(). An image it accepts is held to the header: vCPU count
 * and width, roots (EINVAL past the last vCPU, ENOENT for none), frames
 * inside the image that the M2P agrees with, and walks and a dump from
 * every root that end in a result or EINVAL/ENOENT, never a crash.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "fuzz_fail.h"
#include "xenctrl_ext.h"

#define PAGE      4096
#define MAX_MFN   (UINT64_C(1) << 40)
#define MAX_VCPUS 4
#define MAX_RUNS  4096

struct image {
    const uint8_t *data;
    size_t size;
};

/* @mfn reads as a page of the image exactly when the M2P knows it. */
static void check_frame(const struct xcx_pv_guest *g, const struct image *im,
                        uint64_t mfn)
{
    const uint8_t *page;
    uint64_t pfn = 0;
    int rc;

    errno = 0;
    page = g->read_frame(g->arg, mfn);
    if (!page && errno != ENOENT)
        fuzz_fail("read_frame(%#" PRIx64 "): errno %d", mfn, errno);
    if (page && (page < im->data || im->size < PAGE ||
                 (size_t)(page - im->data) > im->size - PAGE))
        fuzz_fail("frame %#" PRIx64 " at %p is outside the image", mfn,
                  (const void *)page);
    errno = 0;
    rc = g->m2p(g->arg, mfn, &pfn);
    if (rc && errno != ENOENT)
        fuzz_fail("m2p(%#" PRIx64 "): errno %d", mfn, errno);
    if (!rc != !!page)
        fuzz_fail("frame %#" PRIx64 ": read %s, M2P %s", mfn,
                  page ? "ok" : "failed", rc ? "failed" : "ok");
}

/* The frames a table names (and the table's own) are consistent. */
static void check_table(const struct xcx_pv_guest *g, const struct image *im,
                        uint64_t mfn)
{
    const uint8_t *table;

    check_frame(g, im, mfn);
    table = g->read_frame(g->arg, mfn);
    if (!table)
        return;
    for (unsigned int i = 0; i < 512; i++) {
        uint64_t e = 0;

        for (unsigned int b = 0; b < 8; b++)
            e |= (uint64_t)table[8 * i + b] << (8 * b);
        if (e & 1)
            check_frame(g, im, (e >> 12) & (MAX_MFN - 1));
    }
}

static void check_walk(const struct xcx_pv_guest *g, uint64_t root, uint64_t va)
{
    struct xcx_pv_walk w;
    uint64_t pfn;

    memset(&w, 0, sizeof(w));
    errno = 0;
    if (xcx_pv_walk(g, root, va, &w, NULL)) {
        if (errno != EINVAL && errno != ENOENT)
            fuzz_fail("walk of %#" PRIx64 ": errno %d", va, errno);
        return;
    }
    if (w.nr_levels > 4)
        fuzz_fail("walk of %#" PRIx64 ": %u levels", va, w.nr_levels);
    if (!w.mapped)
        return;
    if (w.page_size != 1u << 12 && w.page_size != 1u << 21 &&
        w.page_size != 1u << 30)
        fuzz_fail("walk of %#" PRIx64 ": page size %#" PRIx64, va, w.page_size);
    if (w.mfn >= MAX_MFN)
        fuzz_fail("walk of %#" PRIx64 ": MFN %#" PRIx64, va, w.mfn);
    if (w.pfn_valid && (g->m2p(g->arg, w.mfn, &pfn) || pfn != w.pfn))
        fuzz_fail("walk of %#" PRIx64 ": PFN %#" PRIx64 " not the M2P's", va,
                  w.pfn);
}

static int count_run(void *arg, const struct xcx_pv_run *run)
{
    unsigned int *n = arg;

    if (run->va_end <= run->va_start && run->va_end != 0)
        fuzz_fail("run [%#" PRIx64 ", %#" PRIx64 ")", run->va_start,
                  run->va_end);
    return ++*n >= MAX_RUNS;
}

static void check_root(const struct xcx_pv_guest *g, const struct image *im,
                       uint64_t root)
{
    static const uint64_t vas[] = {
        0x0,
        0x400000,
        0xc0001000,
        0xc0200000,
        0xffff800000000000,
        0xffff888000002000,
        0xffff888000200000,
        0xffffffff81000000,
        0x0000800000000000,
    };
    unsigned int runs = 0;

    check_table(g, im, root);
    for (unsigned int i = 0; i < sizeof(vas) / sizeof(vas[0]); i++)
        check_walk(g, root, vas[i]);
    /* A VA the input steers: its last 8 bytes. */
    if (im->size >= 8) {
        uint64_t va = 0;

        for (unsigned int b = 0; b < 8; b++)
            va |= (uint64_t)im->data[im->size - 8 + b] << (8 * b);
        check_walk(g, root, va);
    }
    errno = 0;
    if (xcx_pv_dump(g, root, 0, UINT64_MAX, count_run, &runs, NULL) < 0 &&
        errno != EINVAL && errno != ENOENT && errno != ENOMEM)
        fuzz_fail("dump from %#" PRIx64 ": errno %d", root, errno);
}

static void check_vcpus(const xcx_core *core, const struct xcx_pv_guest *g,
                        const struct image *im, unsigned int nr)
{
    uint64_t root;

    for (unsigned int v = 0; v < nr && v < MAX_VCPUS; v++) {
        for (int user = 0; user < 2; user++) {
            errno = 0;
            if (xcx_core_root(core, v, user, &root)) {
                if (errno != ENOENT)
                    fuzz_fail("vCPU %u root: errno %d", v, errno);
                continue;
            }
            check_root(g, im, root);
        }
    }
    errno = 0;
    if (xcx_core_root(core, nr, false, &root) != -1 || errno != EINVAL)
        fuzz_fail("vCPU %u of %u: not EINVAL", nr, nr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct image im = {data, size};
    struct xcx_pv_guest g;
    unsigned int nr, width;
    xcx_core *core;

    errno = 0;
    core = xcx_core_open(data, size, NULL);
    if (!core) {
        if (errno != EINVAL && errno != EOPNOTSUPP && errno != ENOMEM)
            fuzz_fail("xcx_core_open failed with errno %d", errno);
        return 0;
    }
    nr = xcx_core_nr_vcpus(core);
    width = xcx_core_width(core);
    if (nr == 0 || (width != 4 && width != 8))
        fuzz_fail("%u vCPUs, width %u", nr, width);
    memset(&g, 0, sizeof(g));
    xcx_core_guest(core, &g);
    if (g.width != width || !g.read_frame || !g.m2p)
        fuzz_fail("guest of width %u for a core of width %u", g.width, width);
    for (uint64_t mfn = 0; mfn < 64; mfn++)
        check_frame(&g, &im, mfn);
    check_frame(&g, &im, MAX_MFN - 1);
    check_frame(&g, &im, UINT64_MAX);
    check_vcpus(core, &g, &im, nr);
    xcx_core_close(core);
    return 0;
}
