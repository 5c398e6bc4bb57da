/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/live/hvm_domain.c over a back end of its own: a synthetic HVM guest
 * (tests/support/hvmbuild.c) behind domain_info, cpu_record and the
 * foreign-memory calls. A live walk and dump equal the pure ones, frames
 * are mapped in batches and once until forgotten, a PV domain and a back
 * end without the calls are EOPNOTSUPP.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define __XEN_TOOLS__ 1
#include <xen/xen.h>
#include <xen/hvm/save.h>

#include <cmocka.h>

#include "backend.h"
#include "hvmbuild.h"

struct fake {
    struct hvb b;
    bool pv;
    unsigned int map_calls, frames_mapped, unmaps;
};

static int f_info(void *priv, uint32_t domid, struct xcx_domain_info *info)
{
    struct fake *f = priv;

    if (domid != 7) {
        errno = ESRCH;
        return -1;
    }
    *info = (struct xcx_domain_info){7, 2, !f->pv, false};
    return 0;
}

static int f_cpu(void *priv, uint32_t domid, unsigned int vcpu, void *buf,
                 size_t len)
{
    struct fake *f = priv;
    struct hvm_hw_cpu c;

    (void)domid;
    (void)vcpu;
    memset(&c, 0, sizeof(c));
    c.cr0 = f->b.cpu.cr0;
    c.cr3 = f->b.cpu.cr3;
    c.cr4 = f->b.cpu.cr4;
    c.msr_efer = f->b.cpu.efer;
    assert_true(len >= sizeof(c));
    memset(buf, 0, len);
    memcpy(buf, &c, sizeof(c));
    return 0;
}

static int f_width(void *priv, uint32_t domid, unsigned int *bits)
{
    (void)priv;
    (void)domid;
    *bits = 46;
    return 0;
}

static int f_fopen(void *priv, struct xcx_fmem **fm)
{
    (void)priv;
    *fm = (struct xcx_fmem *)(uintptr_t)1;
    return 0;
}

static int f_fclose(void *priv, struct xcx_fmem *fm)
{
    (void)priv;
    (void)fm;
    return 0;
}

/* Copies of the guest's frames, one page each, in one allocation. */
static int f_map(void *priv, struct xcx_fmem *fm, uint32_t domid,
                 const uint64_t *gfns, size_t n, int *err, void **addr)
{
    struct fake *f = priv;
    uint8_t *pages = calloc(n, 4096);

    (void)fm;
    (void)domid;
    if (!pages)
        return -1;
    f->map_calls++;
    f->frames_mapped += n;
    for (size_t i = 0; i < n; i++)
        memcpy(pages + i * 4096, hvb_frame(&f->b, gfns[i]), 4096);
    memset(err, 0, n * sizeof(*err));
    *addr = pages;
    return 0;
}

static int f_unmap(void *priv, struct xcx_fmem *fm, void *addr, size_t n)
{
    struct fake *f = priv;

    (void)fm;
    (void)n;
    f->unmaps++;
    free(addr);
    return 0;
}

static const struct xcx_backend_ops ops = {
    .domain_info = f_info,
    .cpu_record = f_cpu,
    .maxphysaddr = f_width,
    .fmem_open = f_fopen,
    .fmem_close = f_fclose,
    .map_frames = f_map,
    .unmap_frames = f_unmap,
};

static int count_run(void *arg, const struct xcx_hvm_run *run)
{
    (void)run;
    ++*(unsigned int *)arg;
    return 0;
}

static void test_live_walk(void **state)
{
    struct fake f = {0};
    struct xcx_hvm_walk w, pure;
    struct xcx_hvm_guest g, pg;
    struct xcx_hvm_cpu cpu;
    xcx_hvm_domain *d;
    xcx_handle *h;
    unsigned int runs = 0;

    (void)state;
    hvb_init(&f.b, XCX_PGMODE_4LEVEL);
    for (unsigned int i = 0; i < 64; i++)
        hvb_map(&f.b, 0x400000 + i * 4096, 0x100000 + i * 4096, 4096,
                0x6 | (i >= 32 ? 0x10 : 0));
    h = xcx_handle_new(&ops, &f, NULL);
    d = xcx_hvm_open(h, 7);
    assert_non_null(d);
    assert_int_equal(xcx_hvm_nr_vcpus(d), 2);
    assert_int_equal(xcx_hvm_read_cpu(d, 1, &cpu), 0);
    assert_int_equal(cpu.cr3, f.b.cpu.cr3);
    assert_true(cpu.efer_known);
    errno = 0;
    assert_int_equal(xcx_hvm_read_cpu(d, 2, &cpu), -1);
    assert_int_equal(errno, EINVAL);
    xcx_hvm_guest(d, &g);
    assert_int_equal(g.maxphysaddr, 46);
    assert_int_equal(xcx_hvm_walk(&g, &cpu, 0x420123, &w, NULL), 0);
    hvb_guest(&f.b, &pg);
    assert_int_equal(xcx_hvm_walk(&pg, &f.b.cpu, 0x420123, &pure, NULL), 0);
    assert_int_equal(w.gpa, pure.gpa);
    assert_int_equal(w.pat_index, 2);
    assert_int_equal(f.frames_mapped, 4); /* one per level */
    /* Cached until forgotten; a dump maps each table frame once. */
    assert_int_equal(xcx_hvm_walk(&g, &cpu, 0x420123, &w, NULL), 0);
    assert_int_equal(f.frames_mapped, 4);
    xcx_hvm_forget_frames(d);
    assert_int_equal(f.unmaps, f.map_calls);
    assert_int_equal(xcx_hvm_dump(&g, &cpu, 0, 0, count_run, &runs, NULL), 0);
    assert_int_equal(runs, 2);
    assert_int_equal(f.frames_mapped, 8);
    xcx_hvm_close(d);
    assert_int_equal(f.unmaps, f.map_calls);
    xcx_close(h);
    hvb_free(&f.b);
}

static void test_refusals(void **state)
{
    static const struct xcx_backend_ops bare = {.domain_info = f_info};
    struct fake f = {0};
    xcx_handle *h;

    (void)state;
    hvb_init(&f.b, XCX_PGMODE_PAE);
    f.pv = true;
    h = xcx_handle_new(&ops, &f, NULL);
    errno = 0;
    assert_null(xcx_hvm_open(h, 7));
    assert_int_equal(errno, EOPNOTSUPP);
    errno = 0;
    assert_null(xcx_hvm_open(h, 8));
    assert_int_equal(errno, ESRCH);
    xcx_close(h);
    h = xcx_handle_new(&bare, &f, NULL);
    errno = 0;
    assert_null(xcx_hvm_open(h, 7));
    assert_int_equal(errno, EOPNOTSUPP);
    xcx_close(h);
    hvb_free(&f.b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_live_walk),
        cmocka_unit_test(test_refusals),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
