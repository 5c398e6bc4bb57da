/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-cli-hvm XC_HVM_PAGETABLE: xc-hvm-pagetable's command line: usage
 * errors (exit 2) and --help; walks of real guests are in the e2e suite.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "run.h"

static const char *tool;

static void hvm_usage(const char *const *argv, const char *word)
{
    run_argv(argv);
    assert_int_equal(R.status, 2);
    if (!strstr(R.err, word))
        fail_msg("%s: stderr \"%s\" lacks \"%s\"", R.cmd, R.err, word);
    assert_string_equal(R.out, "");
    run_free();
}

static void test_usage(void **state)
{
    (void)state;
    hvm_usage((const char *const[]){tool, NULL}, "DOMID");
    hvm_usage((const char *const[]){tool, "1", NULL}, "VA");
    hvm_usage((const char *const[]){tool, "1", "0xzz", NULL}, "0xzz");
    hvm_usage((const char *const[]){tool, "--dump", "1", "0x1000", NULL},
              "--dump takes no VA");
    hvm_usage((const char *const[]){tool, "--dump=0x2000-0x1000", "1", NULL},
              "invalid range");
    hvm_usage((const char *const[]){tool, "--vcpu", "x", "1", "0", NULL}, "x");
    hvm_usage((const char *const[]){tool, "--bogus", "1", "0", NULL},
              "unknown option");
}

static void test_help(void **state)
{
    (void)state;
    RUN(tool, "--help");
    assert_int_equal(R.status, 0);
    assert_non_null(
        strstr(R.out, "Usage: xc-hvm-pagetable [options] DOMID VA..."));
    assert_non_null(strstr(R.out, "--dump[=START-END]"));
    run_free();
    RUN(tool, "--version");
    assert_int_equal(R.status, 0);
    /* The first line names the tool and version; the Xen lines follow. */
    assert_true(strncmp(R.out, "xc-hvm-pagetable " XCX_TEST_VERSION "\n",
                        strlen("xc-hvm-pagetable " XCX_TEST_VERSION "\n")) ==
                0);
    assert_non_null(strstr(R.out, "\nbuilt against Xen "));
    run_free();
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_help),
    };

    if (argc < 2)
        return 2;
    tool = argv[1];
    return cmocka_run_group_tests(tests, NULL, NULL);
}
