/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-cli-watch XC_MTRR_TYPE XC_MTRR_MAP DATA_DIR XC_MTRR_WATCH: what
 * xc-mtrr-watch does without a guest to watch: usage errors (2), --help
 * and --version (0), and an attach on a machine without Xen (1), which
 * must leave its --record file as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixtures.h"
#include "run.h"

#ifndef XCX_TEST_VERSION
#error "XCX_TEST_VERSION must be defined by the build"
#endif

static void test_watch_usage(void **state)
{
    const char *file = sample417;
    const struct run_case cases[] = {
        {{xc_watch}, "missing DOMID"},
        {{xc_watch, "--json"}, "missing DOMID"},
        {{xc_watch, "1", "2"}, "unexpected operand '2'"},
        {{xc_watch, "--count", "5", "1", "extra"},
         "unexpected operand 'extra'"},
        {{xc_watch, "--count", "0", "1"}, "invalid count '0'"},
        {{xc_watch, "--count", "x", "1"}, "invalid count 'x'"},
        {{xc_watch, "-n", "-3", "1"}, "invalid count '-3'"},
        {{xc_watch, "--duration", "0", "1"}, "invalid duration '0'"},
        {{xc_watch, "--duration", "-1", "1"}, "invalid duration '-1'"},
        {{xc_watch, "-d", "1.5", "1"}, "invalid duration '1.5'"},
        {{xc_watch, "--bogus", "1"}, "unknown option"},
        {{xc_watch, "-x", "1"}, "unknown option"},
        /* The options of the other tools are not watch's. */
        {{xc_watch, "-c", file, "1"}, "unknown option"},
        {{xc_watch, "--context", file, "1"}, "unknown option"},
        {{xc_watch, "--replay", file, "1"}, "unknown option"},
        {{xc_watch, "--record"}, NULL},
        {{xc_watch, "--count"}, NULL},
        {{xc_watch, "32752"}, "invalid DOMID '32752'"},
        {{xc_watch, ""}, "empty DOMID"},
        {{xc_watch, "--unpause"}, "missing DOMID"},
        {{xc_watch, "-u", "--unpause=1", "3"}, NULL},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_usage);
}

static void expect_tool_version(const char *want)
{
    expect_version(want, XCX_TEST_XEN);
}

static void test_watch_help_version(void **state)
{
    const struct run_case versions[] = {
        {{xc_watch, "--version"}, "xc-mtrr-watch " XCX_TEST_VERSION},
        {{xc_watch, "-V"}, "xc-mtrr-watch " XCX_TEST_VERSION},
    };
    static const char *const help[] = {"--help", "-h"};

    for (unsigned int i = 0; i < ARRAY_SIZE(help); i++) {
        RUN(xc_watch, help[i]);
        expect_exit(0);
        expect_err_empty();
        expect_out("Usage: xc-mtrr-watch");
        expect_out("xl create -p");
        expect_out("--record FILE");
        expect_out("--from-start");
        expect_out("--unpause");
        expect_out("--from-start --unpause --record");
        expect_out("{\"event\":\"attached\",...}");
        expect_no_out("--context");
    }
    run_cases(versions, ARRAY_SIZE(versions), expect_tool_version);
}

/* The bytes of file @path, NUL-terminated; NULL when there is none. */
static char *file_content(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    size_t n;

    if (!f)
        return NULL;
    buf = calloc(1, 65536);
    assert_non_null(buf);
    n = fread(buf, 1, 65535, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* No Xen: exit 1 with a message, nothing printed, the record untouched. */
static void test_watch_without_xen(void **state)
{
    static const char existing[] =
        "{\"vcpu\":0,\"msr\":\"0x2ff\",\"value\":\"0xc06\",\"old\":\"0x0\","
        "\"accepted\":true}\n";
    const char *record = temp_file("existing.mtrrlog", existing);
    const char *fresh = temp_file("fresh.mtrrlog", NULL);
    char *now;

    if (access("/dev/xen/privcmd", F_OK) == 0) {
        skip(); /* a real dom0: the answer depends on its domains */
        return;
    }
    unlink(fresh);

    /* A log holds one recording: refused before attaching. */
    RUN(xc_watch, "--record", record, "--count", "3", "1");
    expect_error("exists and is not empty: a log holds one recording");
    now = file_content(record);
    assert_non_null(now);
    assert_string_equal(now, existing);
    free(now);

    /* A new record file gets nothing either (it may be created empty). */
    RUN(xc_watch, "-j", "--from-start", "--unpause", "-r", fresh, "-d", "1",
        "7");
    expect_failure(NULL);
    now = file_content(fresh);
    if (now)
        assert_string_equal(now, "");
    free(now);

    RUN(xc_watch, "1");
    expect_failure(NULL);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_watch_usage),
        cmocka_unit_test(test_watch_help_version),
        cmocka_unit_test(test_watch_without_xen),
    };

    if (fixtures_init(argc, argv))
        return 2;
    if (!xc_watch) {
        fprintf(stderr, "%s: XC_MTRR_WATCH missing\n", argv[0]);
        return 2;
    }
    return cmocka_run_group_tests_name("cli-watch", tests, NULL,
                                       fixtures_teardown);
}
