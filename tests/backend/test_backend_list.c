/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xcx_domain_list() (lib/live/domain.c) over a fake back end of its own: a host
 * of sorted domains answered in chunks as xc_domain_getinfolist() does,
 * with faults: a failing call, answers out of order, too many answers,
 * reserved domids, no list operation at all.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend.h"
#include "caplog.h"

#define HOST_MAX 300

struct host {
    uint32_t domid[HOST_MAX];
    unsigned int nr;
    unsigned int calls;
    uint32_t firsts[16]; /* @first of the first calls */
    unsigned int maxes[16];
    int fail_errno;         /* the fail_call-th call fails with it */
    unsigned int fail_call; /* 1-based; 0: never */
    bool swap;              /* answer the first two domains swapped */
    bool extra;             /* claim one more answer than asked */
    bool below;             /* answer a domain below @first */
    bool closed;
};

static int host_list(void *priv, uint32_t first, struct xcx_domain_entry *out,
                     unsigned int max, unsigned int *got)
{
    struct host *h = priv;
    unsigned int n = 0;

    if (h->calls < 16) {
        h->firsts[h->calls] = first;
        h->maxes[h->calls] = max;
    }
    if (++h->calls == h->fail_call) {
        errno = h->fail_errno;
        return -1;
    }
    for (unsigned int i = 0; i < h->nr && n < max; i++) {
        if (h->domid[i] < first && !(h->below && first && !n))
            continue;
        memset(&out[n], 0, sizeof(out[n]));
        out[n].info.domid = h->domid[i];
        out[n].info.nr_vcpus = 1 + h->domid[i] % 4;
        out[n].info.hvm = h->domid[i] % 2;
        out[n].paused = h->domid[i] % 3 == 0;
        out[n].handle[0] = h->domid[i] & 0xff;
        out[n].handle[15] = 0xaa;
        n++;
    }
    if (h->swap && n >= 2) {
        struct xcx_domain_entry t = out[0];

        out[0] = out[1];
        out[1] = t;
    }
    /* Too many answers are only claimed: the buffer holds @max. */
    *got = n + h->extra;
    return 0;
}

static void host_close(void *priv)
{
    ((struct host *)priv)->closed = true;
}

static const struct xcx_backend_ops list_ops = {
    .close = host_close,
    .domain_list = host_list,
};

static const struct xcx_backend_ops no_list_ops = {
    .close = host_close,
};

struct fixture {
    struct host host;
    struct caplog log;
    xcx_handle *h;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));

    if (!fx)
        return -1;
    caplog_init(&fx->log);
    fx->h = xcx_handle_new(&list_ops, &fx->host, caplog_logger(&fx->log));
    *state = fx;
    return fx->h ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    xcx_close(fx->h);
    assert_true(fx->host.closed);
    free(fx);
    return 0;
}

/* Domains 0, @step, 2 @step, ... (@n of them). */
static void populate(struct host *h, unsigned int n, uint32_t step)
{
    h->nr = n;
    for (unsigned int i = 0; i < n; i++)
        h->domid[i] = i * step;
}

static void test_list_small(void **state)
{
    struct fixture *fx = *state;
    struct xcx_domain_entry *list = NULL;
    unsigned int nr = 99;

    populate(&fx->host, 5, 3); /* 0 3 6 9 12 */
    assert_int_equal(xcx_domain_list(fx->h, &list, &nr), 0);
    assert_int_equal(nr, 5);
    assert_non_null(list);
    for (unsigned int i = 0; i < nr; i++) {
        assert_int_equal(list[i].info.domid, 3 * i);
        assert_int_equal(list[i].info.nr_vcpus, 1 + (3 * i) % 4);
        assert_int_equal(list[i].info.hvm, (3 * i) % 2);
        assert_int_equal(list[i].paused, (3 * i) % 3 == 0);
        assert_int_equal(list[i].handle[0], 3 * i);
        assert_int_equal(list[i].handle[15], 0xaa);
    }
    /* One call: fewer answers than asked means no more domains. */
    assert_int_equal(fx->host.calls, 1);
    assert_int_equal(fx->host.firsts[0], 0);
    assert_int_equal(fx->log.count, 0);
    free(list);
}

/* A host of @n domains @step apart: all listed, in order, in @calls
 * calls. */
static void list_all(struct fixture *fx, unsigned int n, uint32_t step,
                     unsigned int calls)
{
    struct xcx_domain_entry *list = NULL;
    unsigned int nr = 0;

    populate(&fx->host, n, step);
    assert_int_equal(xcx_domain_list(fx->h, &list, &nr), 0);
    assert_int_equal(nr, n);
    for (unsigned int i = 0; i < nr; i++)
        assert_int_equal(list[i].info.domid, step * i);
    assert_int_equal(fx->host.calls, calls);
    free(list);
}

static void test_list_chunks(void **state)
{
    struct fixture *fx = *state;

    /* Chunks of 64, each call from the domain after the last one. */
    list_all(fx, 150, 7, 3);
    assert_int_equal(fx->host.maxes[0], 64);
    assert_int_equal(fx->host.firsts[1], 63 * 7 + 1);
    assert_int_equal(fx->host.firsts[2], 127 * 7 + 1);
}

static void test_list_exact_chunks(void **state)
{
    struct fixture *fx = *state;

    /* A full last chunk: one more call answers none. */
    list_all(fx, 128, 1, 3);
    assert_int_equal(fx->host.firsts[2], 128);
}

static void test_list_empty(void **state)
{
    struct fixture *fx = *state;
    struct xcx_domain_entry *list = (void *)1;
    unsigned int nr = 99;

    populate(&fx->host, 0, 1);
    assert_int_equal(xcx_domain_list(fx->h, &list, &nr), 0);
    assert_int_equal(nr, 0);
    assert_null(list);
}

static void test_list_top_domids(void **state)
{
    struct fixture *fx = *state;
    struct xcx_domain_entry *list = NULL;
    unsigned int nr = 0;

    /* 64 domains ending at the last valid domid 0x7fef: the list stops
     * there without asking from DOMID_FIRST_RESERVED on. */
    fx->host.nr = 64;
    for (unsigned int i = 0; i < 64; i++)
        fx->host.domid[i] = 0x7fef - 63 + i;
    assert_int_equal(xcx_domain_list(fx->h, &list, &nr), 0);
    assert_int_equal(nr, 64);
    assert_int_equal(list[63].info.domid, 0x7fef);
    assert_int_equal(fx->host.calls, 1);
    free(list);
}

static void expect_failure(struct fixture *fx, int err, const char *words)
{
    struct xcx_domain_entry *list = (void *)1;
    unsigned int nr = 77;

    caplog_reset(&fx->log);
    errno = 0;
    assert_int_equal(xcx_domain_list(fx->h, &list, &nr), -1);
    assert_int_equal(errno, err);
    /* Nothing is handed out on failure. */
    assert_ptr_equal(list, (void *)1);
    assert_int_equal(nr, 77);
    assert_true(fx->log.count >= 1);
    assert_true(caplog_has(&fx->log, words));
}

static void test_list_errors(void **state)
{
    struct fixture *fx = *state;

    populate(&fx->host, 100, 1);
    fx->host.fail_call = 2; /* the second chunk */
    fx->host.fail_errno = EACCES;
    expect_failure(fx, EACCES, "listing domains from 64");
    fx->host.fail_call = 0;

    fx->host.calls = 0;
    fx->host.swap = true;
    expect_failure(fx, EIO, "out of order");
    fx->host.swap = false;

    fx->host.calls = 0;
    fx->host.extra = true;
    expect_failure(fx, EIO, "65 answers to 64");
    fx->host.extra = false;

    fx->host.calls = 0;
    fx->host.below = true;
    expect_failure(fx, EIO, "out of order");
    fx->host.below = false;

    /* A domid at or above DOMID_FIRST_RESERVED is no domain. */
    populate(&fx->host, 2, 0x7ff0);
    fx->host.domid[0] = 1;
    expect_failure(fx, EIO, "domain 32752");
}

static void test_list_args(void **state)
{
    struct fixture *fx = *state;
    struct xcx_domain_entry *list;
    unsigned int nr;
    struct caplog log;
    xcx_handle *h;

    errno = 0;
    assert_int_equal(xcx_domain_list(fx->h, NULL, &nr), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_domain_list(fx->h, &list, NULL), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_domain_list(NULL, &list, &nr), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(fx->host.calls, 0);

    /* A back end without the operation. */
    caplog_init(&log);
    h = xcx_handle_new(&no_list_ops, &fx->host, caplog_logger(&log));
    assert_non_null(h);
    assert_int_equal(xcx_domain_list(h, &list, &nr), -1);
    assert_int_equal(errno, EOPNOTSUPP);
    assert_true(caplog_has(&log, "cannot list domains"));
    xcx_close(h);
    fx->host.closed = false;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list_small, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_exact_chunks, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_list_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_top_domids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_args, setup, teardown),
    };

    return cmocka_run_group_tests_name("backend-list", tests, NULL, NULL);
}
