/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domains by name (lib/live/domain_name.c) over a fake back end of its own:
 * a host of named, nameless and vanishing domains, names that do not fit,
 * failing name reads, and a back end that cannot read names at all.
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

#define HOST_MAX 8

struct host {
    uint32_t domid[HOST_MAX];
    const char *name[HOST_MAX]; /* NULL: no name node */
    unsigned int nr;
    bool vanish; /* domain @vanished is listed, but gone when read */
    uint32_t vanished;
    uint32_t fail_name; /* this domain's name read fails with fail_errno */
    int fail_errno;
    unsigned int name_reads;
};

static int host_index(const struct host *h, uint32_t domid)
{
    for (unsigned int i = 0; i < h->nr; i++)
        if (h->domid[i] == domid && !(h->vanish && domid == h->vanished))
            return i;
    return -1;
}

static int host_info(void *priv, uint32_t domid, struct xcx_domain_info *info)
{
    if (host_index(priv, domid) < 0) {
        errno = ESRCH;
        return -1;
    }
    memset(info, 0, sizeof(*info));
    info->domid = domid;
    info->nr_vcpus = 1;
    return 0;
}

static int host_list(void *priv, uint32_t first, struct xcx_domain_entry *out,
                     unsigned int max, unsigned int *got)
{
    struct host *h = priv;
    unsigned int n = 0;

    for (unsigned int i = 0; i < h->nr && n < max; i++) {
        if (h->domid[i] < first)
            continue;
        memset(&out[n], 0, sizeof(out[n]));
        out[n++].info.domid = h->domid[i];
    }
    *got = n;
    return 0;
}

/* As xenstore answers: ENOENT for a missing node (a gone domain too). */
static int host_name(void *priv, uint32_t domid, char *buf, size_t size)
{
    struct host *h = priv;
    int i = host_index(h, domid);

    h->name_reads++;
    if (domid == h->fail_name && h->fail_errno) {
        errno = h->fail_errno;
        return -1;
    }
    if (i < 0 || !h->name[i]) {
        errno = ENOENT;
        return -1;
    }
    if (strlen(h->name[i]) >= size) {
        errno = ERANGE;
        return -1;
    }
    strcpy(buf, h->name[i]);
    return 0;
}

static const struct xcx_backend_ops name_ops = {
    .domain_info = host_info,
    .domain_list = host_list,
    .domain_name = host_name,
};

static const struct xcx_backend_ops no_name_ops = {
    .domain_info = host_info,
    .domain_list = host_list,
};

struct fixture {
    struct host host;
    struct caplog log;
    xcx_handle *h;
};

/* Domain-0 (0), web (3), nameless 5, web again (7), db (12). */
static int setup(void **state)
{
    static const uint32_t ids[] = {0, 3, 5, 7, 12};
    static const char *names[] = {"Domain-0", "web", NULL, "web", "db"};
    struct fixture *fx = calloc(1, sizeof(*fx));

    if (!fx)
        return -1;
    for (unsigned int i = 0; i < 5; i++) {
        fx->host.domid[i] = ids[i];
        fx->host.name[i] = names[i];
    }
    fx->host.nr = 5;
    caplog_init(&fx->log);
    fx->h = xcx_handle_new(&name_ops, &fx->host, caplog_logger(&fx->log));
    *state = fx;
    return fx->h ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    xcx_close(fx->h);
    free(fx);
    return 0;
}

static void test_name_of_id(void **state)
{
    struct fixture *fx = *state;
    char buf[32];

    assert_int_equal(xcx_domain_name(fx->h, 12, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "db");
    assert_int_equal(xcx_domain_name(fx->h, 0, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "Domain-0");
    assert_int_equal(fx->log.count, 0);
}

static void test_name_errors(void **state)
{
    struct fixture *fx = *state;
    char buf[32];

    /* Nameless: ENOENT, and no message (a domain may have no name). */
    assert_int_equal(xcx_domain_name(fx->h, 5, buf, sizeof(buf)), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(fx->log.count, 0);
    /* No such domain: ESRCH naming it. */
    assert_int_equal(xcx_domain_name(fx->h, 42, buf, sizeof(buf)), -1);
    assert_int_equal(errno, ESRCH);
    assert_true(caplog_has(&fx->log, "no domain 42"));
    /* Too small a buffer. */
    assert_int_equal(xcx_domain_name(fx->h, 0, buf, 8), -1);
    assert_int_equal(errno, ERANGE);
    assert_true(caplog_has(&fx->log, "name of domain 0"));
    /* xenstore fails: its errno, logged. */
    fx->host.fail_name = 3;
    fx->host.fail_errno = EACCES;
    assert_int_equal(xcx_domain_name(fx->h, 3, buf, sizeof(buf)), -1);
    assert_int_equal(errno, EACCES);
    assert_true(caplog_has(&fx->log, "domain 3"));
    /* Bad arguments. */
    assert_int_equal(xcx_domain_name(fx->h, 3, buf, 0), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_domain_name(fx->h, 3, NULL, 8), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_domain_name(NULL, 3, buf, 8), -1);
    assert_int_equal(errno, EINVAL);
}

static void test_by_name(void **state)
{
    struct fixture *fx = *state;
    uint32_t d = 99;

    assert_int_equal(xcx_domain_by_name(fx->h, "db", &d), 0);
    assert_int_equal(d, 12);
    /* Two domains of one name: the lowest domid, as libxl finds it. */
    assert_int_equal(xcx_domain_by_name(fx->h, "web", &d), 0);
    assert_int_equal(d, 3);
    assert_int_equal(xcx_domain_by_name(fx->h, "Domain-0", &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(fx->log.count, 0);
}

static void test_by_name_unknown(void **state)
{
    struct fixture *fx = *state;
    uint32_t d = 99;

    assert_int_equal(xcx_domain_by_name(fx->h, "mail", &d), -1);
    assert_int_equal(errno, ESRCH);
    assert_true(caplog_has(&fx->log, "no domain named 'mail'"));
    assert_int_equal(d, 99);
    /* Names are compared whole and case-sensitively. */
    assert_int_equal(xcx_domain_by_name(fx->h, "DB", &d), -1);
    assert_int_equal(errno, ESRCH);
    assert_int_equal(xcx_domain_by_name(fx->h, "d", &d), -1);
    assert_int_equal(errno, ESRCH);
    assert_int_equal(xcx_domain_by_name(fx->h, "", &d), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_domain_by_name(fx->h, NULL, &d), -1);
    assert_int_equal(errno, EINVAL);
}

static void test_by_name_races(void **state)
{
    struct fixture *fx = *state;
    uint32_t d = 99;

    /* Domain 3 is destroyed between the list and its name: web is 7. */
    fx->host.vanish = true;
    fx->host.vanished = 3;
    assert_int_equal(xcx_domain_by_name(fx->h, "web", &d), 0);
    assert_int_equal(d, 7);
    /* A name read that fails otherwise is an error, not "not found". */
    fx->host.vanish = false;
    fx->host.fail_name = 3;
    fx->host.fail_errno = EIO;
    assert_int_equal(xcx_domain_by_name(fx->h, "db", &d), -1);
    assert_int_equal(errno, EIO);
    assert_true(caplog_has(&fx->log, "domain 3"));
}

static void test_qualifier(void **state)
{
    struct fixture *fx = *state;
    uint32_t d = 99;

    assert_int_equal(xcx_domain_qualifier(fx->h, "12", &d), 0);
    assert_int_equal(d, 12);
    assert_int_equal(xcx_domain_qualifier(fx->h, "db", &d), 0);
    assert_int_equal(d, 12);
    /* Digits only are an id: a domain that does not exist is ESRCH, with
     * no name lookup. */
    fx->host.name_reads = 0;
    assert_int_equal(xcx_domain_qualifier(fx->h, "42", &d), -1);
    assert_int_equal(errno, ESRCH);
    assert_int_equal(fx->host.name_reads, 0);
    assert_true(caplog_has(&fx->log, "no domain 42"));
    /* Anything else is a name, as in xl: "0x3" is not domain 3. */
    assert_int_equal(xcx_domain_qualifier(fx->h, "0x3", &d), -1);
    assert_int_equal(errno, ESRCH);
    assert_true(caplog_has(&fx->log, "'0x3'"));
    assert_int_equal(xcx_domain_qualifier(fx->h, "32752", &d), -1);
    assert_int_equal(errno, EINVAL);
    assert_true(caplog_has(&fx->log, "32752"));
    assert_int_equal(xcx_domain_qualifier(fx->h, "99999999999999999999", &d),
                     -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_domain_qualifier(fx->h, "", &d), -1);
    assert_int_equal(errno, EINVAL);
}

static void test_no_name_op(void **state)
{
    struct fixture *fx = *state;
    xcx_handle *h = xcx_handle_new(&no_name_ops, &fx->host, NULL);
    char buf[16];
    uint32_t d;

    assert_non_null(h);
    assert_int_equal(xcx_domain_name(h, 3, buf, sizeof(buf)), -1);
    assert_int_equal(errno, EOPNOTSUPP);
    assert_int_equal(xcx_domain_by_name(h, "web", &d), -1);
    assert_int_equal(errno, EOPNOTSUPP);
    /* An id needs no name. */
    assert_int_equal(xcx_domain_qualifier(h, "3", &d), 0);
    assert_int_equal(d, 3);
    xcx_close(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_name_of_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_name_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_by_name_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_by_name_races, setup, teardown),
        cmocka_unit_test_setup_teardown(test_qualifier, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_name_op, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
