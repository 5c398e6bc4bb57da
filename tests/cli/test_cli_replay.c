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

/* The header xc-mtrr-watch writes, for the samples' guest (36 bits, two
 * vCPUs), recorded from its start or not. */
#define HEADER(from_start)                                                     \
    "{\"log\":\"xc-mtrr-watch\",\"version\":1,\"domid\":5,"                    \
    "\"name\":\"sample\",\"uuid\":\"01234567-89ab-cdef-0123-"                  \
    "456789abcdef\",\"maxphysaddr\":36,\"vcpus\":2,\"xen\":\"4.17.5\","        \
    "\"from_start\":" #from_start ",\"start\":\"2026-12-07T23:00:00Z\"}\n"

#define PAIR1_LOG HEADER(true) PAIR1_MIN(0) PAIR1_RECORDED(1)

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
    RUN_TYPE(log, "-w", "36");
    expect_ok(EXACT(0) EXACT(1));

    RUN(xc_type, "-j", "-c", sample417, "--replay", log, "-w", "36",
        "0x100000");
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

/* The log began after boot: the slots it never wrote stay unknown. Its
 * header says so; --replay-partial may say it too. */
static void test_replay_partial(void **state)
{
    const char *log =
        temp_file("partial.log", HEADER(false) PAIR1_MIN(0) PAIR1_RECORDED(1));

    RUN_TYPE(log);
    expect_ok(PARTIAL(0) PARTIAL(1));
    RUN_TYPE(log, "--replay-partial", "-w", "36");
    expect_ok(PARTIAL(0) PARTIAL(1));

    RUN(xc_map, "-c", sample417, "--replay", log);
    expect_exit(0);
    expect_err_empty();
    expect_out("  pair 1: base 0x00000000f0000000 mask 0x0000000ff0000800 = "
               "[0xf0000000, "
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

    RUN_TYPE(log, "-w", "36");
    expect_exit(0);
    expect_out_equal(EXACT(0) EXACT(1));
    expect_err(at_line(log, 3,
                       "vcpu 0 write refused, skipped: "
                       "MTRRphysBase2 0x3"));
    expect_err(at_line(log, 5, "vcpu 1 write refused, skipped: MTRRcap"));
    assert_int_equal(lines(R.err), 2);

    RUN(xc_map, "-a", "-c", sample417, "--replay", log, "-w", "36");
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
         HEADER(true)
             PAIR1_MIN(0) "\n{\"vcpu\":0,\"msr\":0x204,\"value\":\"0x0\"}\n",
         5, "not a write log line"},
        {"truncated.log", HEADER(true) PAIR1_MIN(0) "{\"vcpu\":0,\"msr\":\"0x2",
         4, "not a write log line"},
        {"no-value.log", HEADER(true) "{\"vcpu\":0,\"msr\":\"0x202\"}\n", 2,
         "not a write log line"},
        {"vcpu.log",
         HEADER(true) PAIR1_MIN(0) "{\"vcpu\":2,\"msr\":\"0x2ff\",\"value\":"
                                   "\"0xc06\"}\n",
         4, "vCPU 2"},
        {"bad-old.log",
         HEADER(true) "{\"vcpu\":1,\"msr\":\"0x2ff\",\"value\":\"0xc06\","
                      "\"old\":\"0x1000\"}\n",
         2, "the write to MSR 0x2ff cannot be replayed"},
        {"two-headers.log", HEADER(true) PAIR1_MIN(0) HEADER(true), 4,
         "a second header"},
        {"version2.log", "{\"log\":\"xc-mtrr-watch\",\"version\":2}\n", 1,
         "not a write log line"},
        /* Xen's verdict differs: another width or another Xen. */
        {"verdict.log",
         HEADER(true) "{\"vcpu\":0,\"msr\":\"0x203\",\"value\":"
                      "\"0x3ff0000800\",\"accepted\":true}\n",
         2,
         "vcpu 0's write of 0x0000003ff0000800 to MSR 0x203 was accepted "
         "by Xen when recorded but is refused on replay"},
        {"verdict2.log",
         HEADER(true) "{\"vcpu\":1,\"msr\":\"0x2ff\",\"value\":\"0xc06\","
                      "\"accepted\":false}\n",
         2,
         "vcpu 1's write of 0x0000000000000c06 to MSR 0x2ff was refused by "
         "Xen when recorded but is accepted on replay"},
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

/* MSRs the tracker does not follow (another MSR, pairs past VCNT 8): a
 * note naming the line, as the live monitor ignores them. */
static void test_replay_untracked(void **state)
{
    const char *log = temp_file(
        "untracked.log",
        HEADER(true) PAIR1_MIN(0) "{\"vcpu\":1,\"msr\":\"0xc0000080\","
                                  "\"value\":\"0xd01\"}\n"
                                  "{\"vcpu\":0,\"msr\":\"0x210\",\"value\":"
                                  "\"0x6\",\"accepted\":false}\n" PAIR1_MIN(1));

    RUN_TYPE(log);
    expect_exit(0);
    expect_out_equal(EXACT(0) EXACT(1));
    expect_err(at_line(log, 4,
                       "MSR 0xc0000080 is no MTRR or PAT MSR: "
                       "skipped, as the live monitor ignores it"));
    expect_err(at_line(log, 5, "MSR 0x210 is no MTRR or PAT MSR"));
    assert_int_equal(lines(R.err), 2);
}

/* The header says width and mode; options that contradict it are errors;
 * without a header the width must be given. */
static void test_replay_header(void **state)
{
    const char *log = temp_file("pair1.log", PAIR1_LOG);
    const char *bare = temp_file("bare.log", PAIR1_MIN(0) PAIR1_RECORDED(1));
    const char *three = temp_file(
        "three.log",
        "{\"log\":\"xc-mtrr-watch\",\"version\":1,\"domid\":5,"
        "\"name\":\"\",\"uuid\":\"01234567-89ab-cdef-0123-456789abcdef\","
        "\"maxphysaddr\":36,\"vcpus\":3,\"xen\":\"4.17.5\","
        "\"from_start\":true,\"start\":\"t\"}\n");

    RUN_TYPE(log, "-w", "36");
    expect_ok(EXACT(0) EXACT(1));
    RUN_TYPE(log, "-w", "38");
    expect_error("--maxphysaddr 38 contradicts");
    expect_err("recorded from a guest of 36 bits");
    RUN_TYPE(log, "--replay-partial");
    expect_error("--replay-partial contradicts");
    RUN(xc_map, "-c", sample417, "--replay", log, "--replay-partial");
    expect_error("--replay-partial contradicts");
    RUN_TYPE(three);
    expect_error("recorded from a guest of 3 vCPUs, the context holds 2");
    /* No header: never a guessed width. */
    RUN_TYPE(bare);
    expect_error("has no header line saying the guest's width: give "
                 "--maxphysaddr BITS");
    RUN(xc_map, "-c", sample417, "--replay", bare);
    expect_error("give --maxphysaddr BITS");
    RUN_TYPE(bare, "--maxphysaddr", "36");
    expect_ok(EXACT(0) EXACT(1));
    /* An empty log replays nothing, but has no width either. */
    RUN_TYPE(temp_file("empty.log", ""));
    expect_error("give --maxphysaddr BITS");
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
        cmocka_unit_test(test_replay_untracked),
        cmocka_unit_test(test_replay_header),
        cmocka_unit_test(test_replay_usage),
    };

    if (fixtures_init(argc, argv))
        return 2;
    return cmocka_run_group_tests_name("cli-replay", tests, NULL,
                                       fixtures_teardown);
}
