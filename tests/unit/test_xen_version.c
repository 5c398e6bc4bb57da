/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xcx_xen_version_parse() on what `xl info` prints on Xen 4.17 to 4.23, and
 * xcx_xen_version() over a back end that answers as Xen's XENVER_* do. */
#include "backend.h"
#include "unit.h"
#include "xenctrl_ext.h"

static void expect_version(const char *text, unsigned int major,
                           unsigned int minor, unsigned int micro,
                           const char *extra)
{
    struct xcx_xen_version v;

    if (xcx_xen_version_parse(text, &v, NULL))
        fail_msg("'%s' refused: %s", text, strerror(errno));
    assert_int_equal(v.major, major);
    assert_int_equal(v.minor, minor);
    assert_int_equal(v.micro, micro);
    assert_string_equal(v.extra, extra);
    assert_string_equal(v.text, text);
}

static void test_parse_versions(void **state)
{
    expect_version("4.17.6", 4, 17, 6, ""); /* Debian 12 */
    expect_version("4.17.5-pre", 4, 17, 5, "-pre");
    expect_version("4.20.5-pre", 4, 20, 5, "-pre"); /* Debian 13 */
    expect_version("4.22.0", 4, 22, 0, "");
    expect_version("4.22.0-rc3", 4, 22, 0, "-rc3");
    expect_version("4.23-unstable", 4, 23, 0, "-unstable"); /* master */
    expect_version("4.20", 4, 20, 0, "");
    expect_version("4.20.4+63-g7abfd2bce2", 4, 20, 4, "+63-g7abfd2bce2");
    expect_version("65535.65535.65535~x", 65535, 65535, 65535, "~x");
}

static void test_parse_refused(void **state)
{
    static const char *const bad[] = {
        "",
        "4",
        "4.",
        ".20",
        "4..20",
        "4.20.",
        "4.20.5.1",
        "-4.20",
        "+4.20",
        "4.-20",
        "4.20.-5",
        " 4.20",
        "4.20 ",
        "4.20\n",
        "4.20.5pre",
        "4.20.5-pre x",
        "4.20.5-\x01",
        "65536.0",
        "4.100000",
        "4.0000001",
        "x4.20",
        "4.20.5-0123456789012345678901234567890", /* extra too long */
        "4.20.5-01234567890123456789012345678901234567890123", /* too long */
    };
    struct xcx_xen_version v = {.major = 99};
    struct caplog log;

    caplog_init(&log);
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        errno = 0;
        if (!xcx_xen_version_parse(bad[i], &v, caplog_logger(&log)))
            fail_msg("'%s' accepted", bad[i]);
        assert_int_equal(errno, EINVAL);
        assert_true(caplog_has(&log, "Xen version"));
        assert_int_equal(v.major, 99); /* untouched */
    }
    assert_int_equal(xcx_xen_version_parse(NULL, &v, NULL), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_xen_version_parse("4.20", NULL, NULL), -1);
    assert_int_equal(errno, EINVAL);
}

/* A back end that answers XENVER_version and XENVER_extraversion. */
struct fake_xen {
    uint32_t ver;
    const char *extra;
    int err; /* fail with this errno */
};

static int fake_version(void *priv, uint32_t *ver, char *extra, size_t len)
{
    const struct fake_xen *f = priv;

    if (f->err) {
        errno = f->err;
        return -1;
    }
    *ver = f->ver;
    snprintf(extra, len, "%s", f->extra);
    return 0;
}

static int live_version(struct fake_xen *f, struct xcx_xen_version *v,
                        bool with_op)
{
    static const struct xcx_backend_ops with = {.xen_version = fake_version};
    static const struct xcx_backend_ops without = {0};
    xcx_handle *h = xcx_handle_new(with_op ? &with : &without, f, NULL);
    int rc;

    assert_non_null(h);
    rc = xcx_xen_version(h, v);
    xcx_close(h);
    return rc;
}

static void test_live_version(void **state)
{
    struct fake_xen x420 = {4 << 16 | 20, ".5-pre", 0};
    struct fake_xen x417 = {4 << 16 | 17, ".6", 0};
    struct fake_xen master = {4 << 16 | 23, "-unstable", 0};
    struct fake_xen junk = {4 << 16 | 20, ".5 pre", 0};
    struct fake_xen denied = {0, "", EPERM};
    struct xcx_xen_version v;

    assert_int_equal(live_version(&x420, &v, true), 0);
    assert_string_equal(v.text, "4.20.5-pre");
    assert_int_equal(v.micro, 5);
    assert_int_equal(live_version(&x417, &v, true), 0);
    assert_string_equal(v.text, "4.17.6");
    assert_int_equal(live_version(&master, &v, true), 0);
    assert_string_equal(v.text, "4.23-unstable");
    assert_int_equal(live_version(&junk, &v, true), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(live_version(&denied, &v, true), -1);
    assert_int_equal(errno, EPERM);
    assert_int_equal(live_version(&x420, &v, false), -1);
    assert_int_equal(errno, EOPNOTSUPP);
    assert_int_equal(xcx_xen_version(NULL, &v), -1);
    assert_int_equal(errno, EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_versions),
        cmocka_unit_test(test_parse_refused),
        cmocka_unit_test(test_live_version),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
