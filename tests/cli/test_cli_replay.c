/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-cli-replay XC_MTRR_TYPE XC_MTRR_MAP DATA_DIR: --replay LOG on the
 * Xen 4.17 sample (fixtures.h describes it), with logs written at run time.
 *
 * The guest of the samples programs pair 1 UC over [0xf0000000, 4 GiB),
 * which the Xen 4.17 record does not show. A log of those writes on both
 * vCPUs, replayed from the start (the default), makes every pair exact:
 * the copies of pair 0 in slots 2..7 go back to their power-on 0, so the
 * answers and the map are the fixed-Xen sample's. --replay-partial keeps
 * those slots unknown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "run.h"

/* Pair 1's writes on vCPU @v: minimal lines, or as --record writes them. */
#define PAIR1_MIN(v)                                                           \
    "{\"vcpu\": " #v ", \"msr\": \"0x202\", \"value\": \"0xf0000000\"}\n"      \
    "{\"vcpu\": " #v ", \"msr\": \"0x203\", \"value\": \"0xff0000800\"}\n"
#define PAIR1_RECORDED(v)                                                      \
    "{\"vcpu\":" #v ",\"msr\":\"0x202\",\"value\":\"0xf0000000\","             \
    "\"old\":\"0x0\",\"accepted\":true}\n"                                     \
    "{\"vcpu\":" #v ",\"msr\":\"0x203\",\"value\":\"0xff0000800\","            \
    "\"old\":\"0x0\",\"accepted\":true}\n"

#define PAIR1_LOG PAIR1_MIN(0) PAIR1_RECORDED(1)

/* What xc-mtrr-type says at 0xf0000000, 0x100000 and 0xe8000000. */
#define EXACT(v)                                                               \
    "vcpu " #v " gpa 0xf0000000: UC (variable pair 1)\n"                       \
    "vcpu " #v " gpa 0x100000: WB (default type)\n"                            \
    "vcpu " #v " gpa 0xe8000000: UC (variable pair 0)\n"
#define PARTIAL(v)                                                             \
    "vcpu " #v " gpa 0xf0000000: UC (variable pair 1)\n"                       \
    "vcpu " #v " gpa 0x100000: WB (default type), unreliable: depends on "     \
    "variable pairs 2-7, which the save record does not show\n"                \
    "vcpu " #v " gpa 0xe8000000: UC (variable pairs 0,2-7, same type)\n"

/* xc-mtrr-type -a on the 4.17 sample with @log_path replayed (and more
 * options), at the three addresses above. */
#define RUN_TYPE(log_path, ...)                                                \
    RUN(xc_type, "-a", "-c", sample417, "--replay", log_path, ##__VA_ARGS__,   \
        "0xf0000000", "0x100000", "0xe8000000")

/* "PATH:LINE: what", as the tools name a line of a log. */
static const char *at_line(const char *path, unsigned int line,
                           const char *what)
{
    static char buf[4608];

    snprintf(buf, sizeof(buf), "%s:%u: %s", path, line, what);
    return buf;
}

/* ------------------------------------------------------------------------ */
/* Answers                                                                   */
/* ------------------------------------------------------------------------ */

static void test_replay_type(void **state)
{
    const char *log = temp_file("pair1.log", PAIR1_LOG);

    RUN_TYPE(log);
    expect_ok(EXACT(0) EXACT(1));

    /* Blank lines (empty, spaces, a tab, CRLF) change nothing. */
    log = temp_file("blank.log",
                    "\n   \n" PAIR1_MIN(0) "\t\n\r\n\n" PAIR1_MIN(1) "\n");
    RUN_TYPE(log);
    expect_ok(EXACT(0) EXACT(1));

    RUN(xc_type, "-j", "-c", sample417, "--replay", log, "0x100000");
    expect_ok("{\"gpa\":\"0x100000\",\"vcpu\":0,\"type\":\"WB\",\"code\":6,"
              "\"origin\":\"default\",\"overlap\":\"none\",\"ranges\":[],"
              "\"reliable\":true}\n");
}

/* The replayed map is the fixed-Xen sample's, line for line. */
static void test_replay_map(void **state)
{
    static const char *const vcpus[][2] = {{"-a", NULL}, {"-v", "1"}};
    const char *log = temp_file("pair1.log", PAIR1_LOG);

    for (unsigned int i = 0; i < ARRAY_SIZE(vcpus); i++) {
        char *want;

        if (vcpus[i][1])
            RUN(xc_map, vcpus[i][0], vcpus[i][1], "-c", samplefix);
        else
            RUN(xc_map, vcpus[i][0], "-c", samplefix);
        expect_exit(0);
        want = strdup(R.out);
        assert_non_null(want);
        assert_non_null(strstr(want, "UC variable pairs 1\n"));
        if (vcpus[i][1])
            RUN(xc_map, vcpus[i][0], vcpus[i][1], "-c", sample417, "--replay",
                log);
        else
            RUN(xc_map, vcpus[i][0], "-c", sample417, "--replay", log);
        expect_ok(want);
        free(want);
    }
}

/* The log began after boot: the slots it never wrote stay unknown. */
static void test_replay_partial(void **state)
{
    const char *log = temp_file("pair1.log", PAIR1_LOG);

    RUN_TYPE(log, "--replay-partial");
    expect_ok(PARTIAL(0) PARTIAL(1));

    RUN(xc_map, "-c", sample417, "--replay", log, "--replay-partial");
    expect_exit(0);
    expect_err_empty();
    expect_out("  pair 1: base 0xf0000000 mask 0xff0000800 = [0xf0000000, "
               "0x100000000) UC, exact\n");
    assert_int_equal(count(R.out, "UC, UNKNOWN: the save record shows a copy "
                                  "of pair 0 here\n"),
                     6);
    expect_out("    [0x100000, 0xe8000000) WB default unreliable\n"
               "    [0xe8000000, 0xf0000000) UC variable pairs 0,2-7 overlap "
               "same\n"
               "    [0xf0000000, 0x100000000) UC variable pairs 1\n"
               "    [0x100000000, 0x1000000000) WB default unreliable\n");
}

/* ------------------------------------------------------------------------ */
/* Refused writes and bad logs                                               */
/* ------------------------------------------------------------------------ */

/* Writes Xen refuses are reported with their line and skipped. */
static void test_replay_refused(void **state)
{
    const char *log = temp_file(
        "refused.log",
        PAIR1_MIN(
            0) "{\"vcpu\":0,\"msr\":\"0x204\",\"value\":\"0x3\"}\n" /* 3 */
               "\n"
               "{\"vcpu\":1,\"msr\":\"0xfe\",\"value\":\"0x0\"}\n" /* 5: MTRRcap
                                                                    */
        PAIR1_MIN(1));

    RUN_TYPE(log);
    expect_exit(0);
    expect_out_equal(EXACT(0) EXACT(1));
    expect_err(at_line(log, 3,
                       "vcpu 0 write refused, skipped: "
                       "MTRRphysBase2 0x3"));
    expect_err(at_line(log, 5, "vcpu 1 write refused, skipped: MTRRcap"));
    assert_int_equal(lines(R.err), 2);

    RUN(xc_map, "-a", "-c", sample417, "--replay", log);
    expect_exit(0);
    expect_err(at_line(log, 3, "vcpu 0 write refused"));
    assert_int_equal(lines(R.err), 2);
}

static void test_replay_errors(void **state)
{
    static const struct {
        const char *name, *log;
        unsigned int line;
        const char *what;
    } bad[] = {
        {"malformed.log",
         PAIR1_MIN(0) "\n{\"vcpu\":0,\"msr\":0x204,\"value\":\"0x0\"}\n", 4,
         "not a write log line"},
        {"truncated.log", PAIR1_MIN(0) "{\"vcpu\":0,\"msr\":\"0x2", 3,
         "not a write log line"},
        {"no-value.log", "{\"vcpu\":0,\"msr\":\"0x202\"}\n", 1,
         "not a write log line"},
        {"vcpu.log",
         PAIR1_MIN(0) "{\"vcpu\":2,\"msr\":\"0x2ff\",\"value\":"
                      "\"0xc06\"}\n",
         3, "vCPU 2"},
        {"efer.log",
         "{\"vcpu\":1,\"msr\":\"0xc0000080\",\"value\":\"0xd01\"}\n", 1,
         "the write to MSR 0xc0000080 cannot be replayed"},
        {"vcnt.log", "{\"vcpu\":0,\"msr\":\"0x210\",\"value\":\"0x0\"}\n", 1,
         "the write to MSR 0x210 cannot be replayed"},
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        const char *log = temp_file(bad[i].name, bad[i].log);

        RUN_TYPE(log);
        expect_error(at_line(log, bad[i].line, bad[i].what));
        RUN(xc_map, "-c", sample417, "--replay", log);
        expect_error(at_line(log, bad[i].line, bad[i].what));
    }

    /* A log that is not there is named. */
    RUN_TYPE(temp_file("missing.log", NULL));
    expect_error(temp_file("missing.log", NULL));
    expect_err("No such file or directory");
    RUN(xc_map, "-c", sample417, "--replay", temp_file("missing.log", NULL));
    expect_error(temp_file("missing.log", NULL));
}

static void test_replay_usage(void **state)
{
    const char *log = temp_file("pair1.log", PAIR1_LOG);
    const char *s = sample417;
    const struct run_case cases[] = {
        {{xc_type, "--replay", log, "5", "0x1000"}, "need --context FILE"},
        {{xc_type, "-r", log, "5", "0x1000"}, "need --context FILE"},
        {{xc_type, "--replay-partial", "5", "0x1000"}, "need --context FILE"},
        {{xc_type, "--replay-partial", "-c", s, "0x1000"},
         "--replay-partial needs --replay LOG"},
        {{xc_type, "-c", s, "--replay"}, NULL},
        {{xc_map, "--replay", log, "5"}, "need --context FILE"},
        {{xc_map, "--replay-partial", "-c", s},
         "--replay-partial needs --replay LOG"},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_usage);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_type),
        cmocka_unit_test(test_replay_map),
        cmocka_unit_test(test_replay_partial),
        cmocka_unit_test(test_replay_refused),
        cmocka_unit_test(test_replay_errors),
        cmocka_unit_test(test_replay_usage),
    };

    if (fixtures_init(argc, argv))
        return 2;
    return cmocka_run_group_tests_name("cli-replay", tests, NULL,
                                       fixtures_teardown);
}
