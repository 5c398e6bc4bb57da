/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A checked start and a race-free attach (lib/domain_run.c, lib/monitor.c)
 * over the fake back end: XCX_MONITOR_FROM_START refused on a domain a
 * vCPU of which has run, leaving it paused or running as it was;
 * XCX_MONITOR_UNPAUSE releasing the toolstack's pause only once attached;
 * xcx_domain_has_run(); the log header a monitor gives.
 */
#include <stdio.h>

#include "fake_backend.h"

/* Nothing of a monitor left, and @pauses pauses held (the toolstack's). */
static void assert_untouched(struct fake_domain *d, unsigned int pauses)
{
    assert_int_equal(d->xen.pause_count, pauses);
    assert_false(d->xen.enabled);
    assert_int_equal(d->xen.nr_subscribed, 0);
    assert_false(d->xen.bound);
}

static void test_has_run(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);
    bool ran = true;

    assert_int_equal(xcx_domain_has_run(fx->h, DOM_HVM4, &ran), 0);
    assert_false(ran);
    d->run_ns[3] = 1; /* the last vCPU only, one nanosecond */
    assert_int_equal(xcx_domain_has_run(fx->h, DOM_HVM4, &ran), 0);
    assert_true(ran);
    assert_fails(fx, xcx_domain_has_run(fx->h, DOM_MISSING, &ran), ESRCH);
    assert_logged(&fx->log, "no domain 42");
    d->err_run_time = EACCES;
    assert_fails(fx, xcx_domain_has_run(fx->h, DOM_HVM4, &ran), EACCES);
    assert_logged(&fx->log, "running time of domain 4's vCPU 0");
    assert_fails(fx, xcx_domain_has_run(NULL, DOM_HVM4, &ran), EINVAL);
    assert_fails(fx, xcx_domain_has_run(fx->h, DOM_HVM4, NULL), EINVAL);
}

/* From the start on a domain that ran: refused under our pause, before
 * the baseline or the ring, and the domain left as it was. */
static void test_from_start_refused(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);

    d->run_ns[1] = 123456;
    for (unsigned int pauses = 0; pauses < 2; pauses++) {
        d->xen.pause_count = pauses; /* running, or xl create -p + xl pause */
        fake_reset_counters(&fx->fake);
        caplog_reset(&fx->log);
        errno = 0;
        assert_null(xcx_monitor_open(fx->h, DOM_HVM4, XCX_MONITOR_FROM_START));
        assert_int_equal(errno, EALREADY);
        assert_logged(&fx->log, "domain 4 has run already (vCPU 1 ran for "
                                "123456 ns)");
        assert_logged(&fx->log, "xl create -p");
        assert_string_equal(fx->fake.trace,
                            "pause info runtime0 runtime1 unpause");
        assert_untouched(d, pauses);
    }
    /* With --unpause too: the toolstack's pause stays. */
    d->xen.pause_count = 1;
    assert_null(xcx_monitor_open(fx->h, DOM_HVM4,
                                 XCX_MONITOR_FROM_START | XCX_MONITOR_UNPAUSE));
    assert_int_equal(errno, EALREADY);
    assert_untouched(d, 1);
    d->xen.pause_count = 0;
}

static void test_from_start_checked(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);
    xcx_monitor *mon;

    fake_reset_counters(&fx->fake);
    mon = xcx_monitor_open(fx->h, DOM_HVM4, XCX_MONITOR_FROM_START);
    assert_non_null(mon);
    assert_non_null(strstr(fx->fake.trace, "pause info runtime0 runtime1 "
                                           "runtime2 runtime3 info policy"));
    assert_int_equal(xcx_monitor_close(mon), 0);
    assert_untouched(d, 0);
    /* A back end that cannot tell: refused, not trusted. */
    d->err_run_time = EPERM;
    assert_null(xcx_monitor_open(fx->h, DOM_HVM4, XCX_MONITOR_FROM_START));
    assert_int_equal(errno, EPERM);
    assert_untouched(d, 0);
    d->err_run_time = 0;
}

/* --unpause: the toolstack's pause is released last, once attached. */
static void test_unpause(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM1);
    const char *t;
    xcx_monitor *mon;

    d->xen.pause_count = 1; /* xl create -p */
    fake_reset_counters(&fx->fake);
    mon = xcx_monitor_open(fx->h, DOM_HVM1,
                           XCX_MONITOR_FROM_START | XCX_MONITOR_UNPAUSE);
    assert_non_null(mon);
    t = fx->fake.trace;
    assert_true(!strncmp(t, "entry pause info runtime0 ", 26));
    assert_non_null(strstr(t, " bind unpause unpause"));
    assert_int_equal(strlen(strstr(t, " bind unpause unpause")),
                     strlen(" bind unpause unpause"));
    assert_int_equal(d->xen.pause_count, 0);
    assert_true(d->xen.enabled);
    assert_int_equal(xcx_monitor_close(mon), 0);
    assert_untouched(d, 0);

    /* Not paused: refused before anything. */
    fake_reset_counters(&fx->fake);
    caplog_reset(&fx->log);
    assert_null(xcx_monitor_open(fx->h, DOM_HVM1, XCX_MONITOR_UNPAUSE));
    assert_int_equal(errno, EINVAL);
    assert_logged(&fx->log, "domain 1 is not paused");
    assert_string_equal(fx->fake.trace, "entry");
    assert_untouched(d, 0);

    /* The last unpause fails: detached again, the pause still held. */
    d->xen.pause_count = 1;
    fake_reset_counters(&fx->fake);
    fx->fake.fail_errno[FOP_UNPAUSE] = EIO;
    fx->fake.fail_from[FOP_UNPAUSE] = 1;
    fx->fake.fail_count[FOP_UNPAUSE] = 1;
    assert_null(xcx_monitor_open(fx->h, DOM_HVM1, XCX_MONITOR_UNPAUSE));
    assert_int_equal(errno, EIO);
    assert_untouched(d, 1);
    d->xen.pause_count = 0;
    fake_reset_counters(&fx->fake);
}

static void test_log_header(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);
    struct xcx_log_header h;
    char line[XCX_LOG_LINE_MAX];
    xcx_monitor *mon;

    strcpy(d->name, "guest-4");
    for (unsigned int i = 0; i < 16; i++)
        d->uuid[i] = (uint8_t)(0x10 + i);
    mon = xcx_monitor_open(fx->h, DOM_HVM4, XCX_MONITOR_FROM_START);
    assert_non_null(mon);
    assert_int_equal(xcx_monitor_log_header(mon, &h), 0);
    assert_int_equal(h.version, XCX_LOG_VERSION);
    assert_int_equal(h.domid, DOM_HVM4);
    assert_string_equal(h.name, "guest-4");
    assert_memory_equal(h.uuid, d->uuid, 16);
    assert_int_equal(h.maxphysaddr, 40);
    assert_int_equal(h.nr_vcpus, 4);
    assert_string_equal(h.xen_version, FAKE_XEN_VERSION);
    assert_true(h.from_start);
    assert_int_equal(strlen(h.start), 20);
    assert_int_equal(h.start[10], 'T');
    assert_int_equal(h.start[19], 'Z');
    assert_true(xcx_log_format_header(&h, line, sizeof(line)) > 0);
    assert_int_equal(xcx_monitor_close(mon), 0);

    /* Attached later: not from the start; no name known: "". */
    d->name[0] = '\0';
    mon = xcx_monitor_open(fx->h, DOM_HVM4, 0);
    assert_non_null(mon);
    assert_int_equal(xcx_monitor_log_header(mon, &h), 0);
    assert_false(h.from_start);
    assert_string_equal(h.name, "");
    assert_int_equal(xcx_monitor_log_header(NULL, &h), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_monitor_close(mon), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        T(test_has_run), T(test_from_start_refused), T(test_from_start_checked),
        T(test_unpause), T(test_log_header),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
