/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the PV walk and dump tests share: a synthetic guest with a kernel
 * and a user root, a capturing logger, and checked calls. */
#ifndef TEST_PV_FIXTURE_H
#define TEST_PV_FIXTURE_H

#include "pvbuild.h"
#include "unit.h"

struct pvfix {
    struct pvb b;
    struct xcx_pv_guest g;
    struct caplog log;
    uint64_t root; /* kernel root */
    uint64_t user; /* user root (64-bit guests) */
};

static inline void pvfix_init(struct pvfix *f, unsigned int width)
{
    pvb_init(&f->b, width);
    pvb_guest(&f->b, &f->g);
    caplog_init(&f->log);
    f->root = pvb_new_table(&f->b);
    f->user = width == 8 ? pvb_new_table(&f->b) : 0;
}

static inline void pvfix_free(struct pvfix *f)
{
    pvb_free(&f->b);
}

/* A walk that must succeed, reading at most one frame per level. */
static inline void pvfix_walk(struct pvfix *f, uint64_t root, uint64_t va,
                              struct xcx_pv_walk *w)
{
    pvb_reset_reads(&f->b);
    if (xcx_pv_walk(&f->g, root, va, w, caplog_logger(&f->log)))
        fail_msg("walk of %#llx failed: %s (%s)", (unsigned long long)va,
                 strerror(errno), f->log.last);
    assert_true(f->b.reads <= (f->b.width == 8 ? 4u : 3u));
    assert_int_equal(f->b.bad_reads, 0);
}

/* A walk that must fail with @err, its message naming @hex. */
static inline void pvfix_walk_fails(struct pvfix *f, uint64_t root, uint64_t va,
                                    int err, uint64_t hex)
{
    struct xcx_pv_walk w;

    caplog_reset(&f->log);
    pvb_reset_reads(&f->b);
    errno = 0;
    assert_int_equal(xcx_pv_walk(&f->g, root, va, &w, caplog_logger(&f->log)),
                     -1);
    assert_int_equal(errno, err);
    assert_log_hex(&f->log, hex);
    assert_true(f->b.reads <= 4);
    assert_int_equal(f->b.bad_reads, 0);
}

#endif
