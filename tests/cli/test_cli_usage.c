/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-cli-usage XC_MTRR_TYPE XC_MTRR_MAP DATA_DIR: the exit codes of both
 * tools and what they print with them: usage errors (2), --help and
 * --version (0), unreadable or invalid contexts and live domains on a
 * machine without Xen (1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixtures.h"
#include "run.h"

#ifndef XCX_TEST_VERSION
#error "XCX_TEST_VERSION must be defined by the build"
#endif

/* ------------------------------------------------------------------------ */
/* Usage errors                                                              */
/* ------------------------------------------------------------------------ */

static void test_type_usage(void **state)
{
    static const char *const bad_gpa[] = {
        "0x",
        "12abc",
        "99999999999999999999999",
        " 5",
        "+5",
        "",
        "0x1g",
        "18446744073709551616",
        "0x10000000000000000",
        "5 ",
    };
    const char *s = sample417;
    const struct run_case cases[] = {
        {{xc_type}, "missing DOMID"},
        {{xc_type, "-c", s}, "missing GPA"},
        {{xc_type, "5"}, "missing GPA"},
        {{xc_type, "--bogus", "-c", s, "0"}, "unknown option"},
        {{xc_type, "-x", "-c", s, "0"}, "unknown option"},
        {{xc_type, "-c", s, "-1"}, NULL},
        {{xc_type, "-c", s, "--", "-1"}, "invalid GPA '-1'"},
        {{xc_type, "--vcpu", "-1", "-c", s, "0"}, "invalid vCPU"},
        {{xc_type, "--vcpu", "65536", "-c", s, "0"}, "invalid vCPU"},
        {{xc_type, "--vcpu", "x", "-c", s, "0"}, "invalid vCPU"},
        {{xc_type, "--maxphysaddr", "31", "-c", s, "0"}, "invalid maxphysaddr"},
        {{xc_type, "--maxphysaddr", "53", "-c", s, "0"}, "invalid maxphysaddr"},
        {{xc_type, "--size", "0", "-c", s, "0"}, "invalid size"},
        {{xc_type, "--size", "0K", "-c", s, "0"}, "invalid size"},
        {{xc_type, "--size", "1T", "-c", s, "0"}, "invalid size"},
        {{xc_type, "--size", "K", "-c", s, "0"}, "invalid size"},
        {{xc_type, "--size", "-2M", "-c", s, "0"}, "invalid size"},
        {{xc_type, "--size", "17179869184G", "-c", s, "0"}, "invalid size"},
        {{xc_type, "--size"}, NULL},
        {{xc_type, "-c"}, NULL},
        /* Live: a reserved or empty DOMID (anything not all digits is a
         * name, as in xl). */
        {{xc_type, "32752", "0"}, "invalid DOMID '32752'"},
        {{xc_type, "", "0"}, "empty DOMID"},
        {{xc_type, "-1", "0"}, NULL},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_usage);
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_gpa); i++) {
        char want[128];

        RUN(xc_type, "-c", s, "0x1000", bad_gpa[i]);
        snprintf(want, sizeof(want), "invalid GPA '%s'", bad_gpa[i]);
        expect_usage(want);
    }
}

static void test_map_usage(void **state)
{
    const char *s = samplefix;
    const struct run_case cases[] = {
        {{xc_map}, "missing DOMID"},
        {{xc_map, "-c", s, "extra"}, "unexpected operand 'extra'"},
        {{xc_map, "-c", s, "0x1000"}, "unexpected operand '0x1000'"},
        {{xc_map, "5", "6"}, "unexpected operand '6'"},
        {{xc_map, "--size", "2M", "-c", s}, "unknown option"},
        {{xc_map, "--bogus", "-c", s}, "unknown option"},
        {{xc_map, "--vcpu", "-1", "-c", s}, "invalid vCPU"},
        {{xc_map, "--maxphysaddr", "31", "-c", s}, "invalid maxphysaddr"},
        {{xc_map, "--maxphysaddr", "53", "-c", s}, "invalid maxphysaddr"},
        {{xc_map, "99999999999999999999"}, "invalid DOMID"},
        {{xc_map, ""}, "empty DOMID"},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_usage);
}

/* ------------------------------------------------------------------------ */
/* --help and --version                                                      */
/* ------------------------------------------------------------------------ */

static void expect_tool_version(const char *want)
{
    expect_version(want, XCX_TEST_XEN);
}

static void test_help_version(void **state)
{
    const struct run_case versions[] = {
        {{xc_type, "--version"}, "xc-mtrr-type " XCX_TEST_VERSION},
        {{xc_type, "-V"}, "xc-mtrr-type " XCX_TEST_VERSION},
        {{xc_map, "--version"}, "xc-mtrr-map " XCX_TEST_VERSION},
    };

    RUN(xc_type, "--help");
    expect_exit(0);
    expect_err_empty();
    expect_out("Usage: xc-mtrr-type");
    expect_out("--json");
    expect_out("--size");
    expect_out("--context");
    RUN(xc_type, "-h");
    expect_exit(0);
    expect_out("--json");

    RUN(xc_map, "--help");
    expect_exit(0);
    expect_err_empty();
    expect_out("Usage: xc-mtrr-map");
    expect_out("--json");
    expect_no_out("--size");

    run_cases(versions, ARRAY_SIZE(versions), expect_tool_version);
}

/* ------------------------------------------------------------------------ */
/* Bad files                                                                 */
/* ------------------------------------------------------------------------ */

static void test_bad_files(void **state)
{
    static const enum crafted unreadable[] = {
        CTX_BAD_MAGIC, CTX_TRUNCATED, CTX_JUNK, CTX_EMPTY, CTX_DIR, CTX_MISSING,
    };
    const char *record = crafted(CTX_BAD_RECORD);
    const struct run_case cases[] = {
        {{xc_type, "-c", crafted(CTX_MISSING), "0"},
         "No such file or directory"},
        {{xc_type, "-c", crafted(CTX_EMPTY), "0"}, "not a valid HVM context"},
        {{xc_type, "-c", crafted(CTX_BAD_MAGIC), "0"},
         "not a valid HVM context"},
        /* Well formed, but a register is invalid. */
        {{xc_type, "--context", record, "0x1000"}, "PHYSBASE0"},
        {{xc_map, "--context", record}, "PHYSBASE0"},
    };

    /* Both tools name the file. */
    for (unsigned int i = 0; i < ARRAY_SIZE(unreadable); i++) {
        const char *path = crafted(unreadable[i]);

        RUN(xc_type, "--context", path, "0x1000");
        expect_error(path);
        RUN(xc_map, "--context", path);
        expect_error(path);
    }
    run_cases(cases, ARRAY_SIZE(cases), expect_error);
}

/* ------------------------------------------------------------------------ */
/* Live domains on a machine without Xen                                     */
/* ------------------------------------------------------------------------ */

static void test_live_without_xen(void **state)
{
    const struct run_case cases[] = {
        {{xc_type, "1", "0x1000"}},
        {{xc_type, "--all-vcpus", "--json", "0", "0x1000"}},
        {{xc_map, "1"}},
        /* Names, as xl takes them: looked up once Xen is open. */
        {{xc_type, "guest-1", "0x1000"}},
        {{xc_type, "12abc", "0x1000"}},
        {{xc_map, "0x7ff0"}},
    };

    run_cases_without_xen(cases, ARRAY_SIZE(cases));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_usage),
        cmocka_unit_test(test_map_usage),
        cmocka_unit_test(test_help_version),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_live_without_xen),
    };

    if (fixtures_init(argc, argv))
        return 2;
    return cmocka_run_group_tests_name("cli-usage", tests, NULL,
                                       fixtures_teardown);
}
