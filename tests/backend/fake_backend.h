/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A fake back end for the handle logic of lib/domain.c: an in-memory table
 * of domains with per-vCPU MTRR save records, injectable errors per
 * operation and call counters. No Xen and no libxenctrl. With it, the
 * cmocka fixture the backend tests share.
 */
#ifndef TEST_FAKE_BACKEND_H
#define TEST_FAKE_BACKEND_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend.h"
#include "caplog.h"
#include "xenctrl_ext.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------ */
/* The fake back end                                                         */
/* ------------------------------------------------------------------------ */

#define FAKE_MAX_DOMAINS 8
#define FAKE_MAX_VCPUS   8

struct fake_domain {
    uint32_t domid;
    unsigned int nr_vcpus;
    bool hvm;
    bool dying;
    uint8_t rec[FAKE_MAX_VCPUS][XCX_MTRR_RECORD_SIZE];
    unsigned int maxphysaddr; /* what the policy says; 0: no leaf */
    /* Injected errors: 0 none, else the errno the op fails with. */
    int err_info;
    int err_record;
    int err_record_vcpu; /* -1: every vCPU; else only this one */
    int err_policy;
};

struct fake {
    struct fake_domain dom[FAKE_MAX_DOMAINS];
    unsigned int nr;
    unsigned int calls_info;
    unsigned int calls_record;
    unsigned int calls_policy;
    unsigned int calls_close;
    unsigned int calls_record_vcpu[FAKE_MAX_VCPUS];
    size_t last_record_len;
};

/* The operations over a struct fake (their priv). */
extern const struct xcx_backend_ops fake_ops;

/* Zero the call counters. */
void fake_reset_counters(struct fake *f);

/* Some message since the last reset of caplog @c contains @needle. */
#define assert_logged(c, needle)                                               \
    do {                                                                       \
        if (!strstr((c)->all, (needle)))                                       \
            fail_msg("log \"%s\" lacks \"%s\"", (c)->all, (needle));           \
    } while (0)

/* ------------------------------------------------------------------------ */
/* Fixture                                                                   */
/* ------------------------------------------------------------------------ */

struct fixture {
    struct fake fake;
    struct caplog log;
    xcx_handle *h;
};

/* Domain ids of the fixture. */
enum {
    DOM_HVM1 = 1,   /* 1 vCPU, hvmloader-like record, policy 0 (no leaf) */
    DOM_HVM4 = 4,   /* 4 vCPUs, a different record each, policy 40 */
    DOM_PV = 7,     /* PV */
    DOM_NOVCPU = 9, /* HVM with no vCPU */
    DOM_MIX = 12,   /* 1 vCPU, overlaps of every kind, policy 0 */
    DOM_MISSING = 42,
};

/*
 * DOM_HVM1's registers, hvmloader-like: def WB E FE, fixed WB but the VGA
 * hole UC, pair 0 UC over [0xf0000000, 4 GiB), the other pairs zero.
 */
void regs_hvmloader(struct xcx_mtrr_regs *r);

/* The default type of DOM_HVM4's vCPU @v. */
extern const unsigned int vcpu_def_type[4];

/* vCPU @v of DOM_HVM4: default type and pair 0 (WC, 40 bits) differ. */
void regs_vcpu(struct xcx_mtrr_regs *r, unsigned int v);

/* cmocka setup and teardown: the domains above, a handle over them. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

/* The fake domain @domid of the fixture, which must exist. */
struct fake_domain *dom(struct fixture *fx, uint32_t domid);

/* With the log reset and errno 0, @call fails with errno @err. */
#define assert_fails(fx, call, err)                                            \
    do {                                                                       \
        caplog_reset(&(fx)->log);                                              \
        errno = 0;                                                             \
        assert_int_equal((call), -1);                                          \
        assert_int_equal(errno, (err));                                        \
    } while (0)

#endif
